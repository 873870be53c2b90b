import { hash, verify } from "@node-rs/argon2";
import { Refusal } from "~/features/refusal";
import { PASSWORD_MIN } from "~/shared/passwords";

// argon2id with OWASP's minimum profile (m=19456 KiB, t=2, p=1). `2` is Algorithm.Argon2id;
// the package exports it as a const enum, which isolated modules cannot read.
const ARGON2ID = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2ID);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

// A real hash of a random string, so an unknown e-mail costs the same time as a wrong password.
let decoy: Promise<string> | undefined;
export async function burnPasswordCheck(password: string): Promise<void> {
  decoy ??= hashPassword(crypto.randomUUID());
  await verifyPassword(await decoy, password);
}

// ---------------------------------------------------------------------------- new passwords

// The passwords attackers try first: @zxcvbn-ts/language-common's list (about 49,000, from
// leaked password sets, most frequent first), those of an allowed length. Loading it takes about
// 100 ms, so it is loaded when the first new password is checked, not at start.
let commonPasswords: Promise<Set<string>> | undefined;
function loadCommonPasswords(): Promise<Set<string>> {
  commonPasswords ??= import("@zxcvbn-ts/language-common").then(
    ({ dictionary }) => new Set(dictionary["passwords-common"].filter((word) => word.length >= PASSWORD_MIN)),
  );
  return commonPasswords;
}

// A part of the address this short is refused only as the whole password: "rep" may be in a
// good passphrase ("representative"), "priya.raman" may not.
const SHORTEST_PART_REFUSED_INSIDE = 4;

/**
 * Why `password` may not be the new password of the account with `email`, for the person
 * choosing it, or null. The length is checked by the form (passwordField, app/shared/passwords.ts).
 */
export async function newPasswordProblem(password: string, email: string): Promise<string | null> {
  const typed = password.toLowerCase();
  if ((await loadCommonPasswords()).has(typed.trim()))
    return "This password is too common: it is on the lists of leaked passwords that attackers try first. Choose one that is your own, for example three or four unrelated words.";
  const address = email.trim().toLowerCase();
  const name = address.slice(0, address.lastIndexOf("@"));
  if (
    typed.includes(address) ||
    typed.trim() === name ||
    (name.length >= SHORTEST_PART_REFUSED_INSIDE && typed.includes(name))
  )
    return "This password contains your e-mail address, which is the first thing an attacker tries. Choose one without it.";
  return null;
}

/**
 * The hash to store for a password someone chose for the account with `email`: every form that
 * sets a password (setup, invitation, reset, change) comes through here, so none skips the
 * rules. Throws a Refusal about the `password` field when the password may not be used.
 */
export async function hashNewPassword(password: string, email: string): Promise<string> {
  const problem = await newPasswordProblem(password, email);
  if (problem) throw new Refusal(problem, 400, "password");
  return hashPassword(password);
}
