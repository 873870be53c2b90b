import { sha256 } from "@oslojs/crypto/sha2";
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
