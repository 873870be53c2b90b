import { encodeBase32LowerCaseNoPadding } from "@oslojs/encoding";

/** A random, unguessable identifier (128 bits, 26 characters of lower-case base32). */
export function newId(): string {
  return randomToken(16);
}

export function randomToken(bytes: number): string {
  const buffer = new Uint8Array(bytes);
  crypto.getRandomValues(buffer);
  return encodeBase32LowerCaseNoPadding(buffer);
}
