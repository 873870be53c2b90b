import { sha256 } from "@oslojs/crypto/sha2";
import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { encodeHexLowerCase } from "@oslojs/encoding";
import { randomToken } from "~/db/ids";

/** A single-use link token: the link carries the token, the database only its hash. */
export function newLinkToken(): { token: string; hash: string } {
  const token = randomToken(20);
  return { token, hash: hashLinkToken(token) };
}

export function hashLinkToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

// A cookie's token after Lucia's design (sessions, known devices): `<id>.<secret>`, where the id
// finds the row and only SHA-256 of the secret is stored, compared in constant time.

function hashSecret(secret: string): Buffer {
  return Buffer.from(sha256(new TextEncoder().encode(secret)));
}

/** A new token for the cookie (never stored), with the row's id and the secret's hash to store. */
export function newCookieToken(): { id: string; token: string; secretHash: Buffer } {
  const id = randomToken(16); // 128 bits
  const secret = randomToken(20); // 160 bits
  return { id, token: `${id}.${secret}`, secretHash: hashSecret(secret) };
}

/** A cookie's token split into its id and secret, or null when it is not one of ours. */
export function readCookieToken(token: string | null | undefined): { id: string; secret: string } | null {
  const [id, secret, extra] = (token ?? "").split(".");
  if (!id || !secret || extra !== undefined || id.length > 64 || secret.length > 64) return null;
  return { id, secret };
}

export function secretMatches(storedHash: Uint8Array, secret: string): boolean {
  return constantTimeEqual(new Uint8Array(storedHash), new Uint8Array(hashSecret(secret)));
}
