// What a new password must be. Its length is checked by every new-password form (passwordField)
// and hinted under the field; that it is not a common password nor the account's e-mail address
// is checked where the password is hashed (hashNewPassword, app/features/auth/password.server.ts),
// which has the list of common passwords and knows the account.
export const PASSWORD_MIN = 8;
// argon2 hashes any length; the ceiling only keeps a huge body from costing a hash.
export const PASSWORD_MAX = 256;

/** The hint under every new-password field. */
export const NEW_PASSWORD_HINT = `${PASSWORD_MIN} to ${PASSWORD_MAX} characters, not a common password or your e-mail address.`;
