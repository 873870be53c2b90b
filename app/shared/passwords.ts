// How long a new password may be: the server's check and the forms' hint read the same numbers.
export const PASSWORD_MIN = 8;
// argon2 hashes any length; the ceiling only keeps a huge body from costing a hash.
export const PASSWORD_MAX = 256;
