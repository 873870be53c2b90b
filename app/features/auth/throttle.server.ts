// Throttling kept in the database, so every app process counts the same attempts. A key's window
// starts at its first attempt and lasts the rule's windowMs; the next attempt after it starts a
// new one. (Windows on the clock's quarter hours let twice the limit through across a boundary.)
import { and, eq, gt, sql } from "drizzle-orm";
import { transaction, type Handle } from "~/db/connection.server";
import { greatest } from "~/db/dialect";
import { throttles } from "~/db/schema";
import { failed } from "~/features/forms";
import { addressBucket } from "~/shared/proxy.server";

export type ThrottleRule = { limit: number; windowMs: number };

// A sales floor often shares one public address: the per-address limits are generous, the
// per-account ones are what stop password guessing. A browser the account has signed in on
// before (a known device, devices.server.ts) is held to its own limit instead of the account's
// and the address's, so guessing cannot lock the owner out (decision 016).
export const THROTTLE = {
  loginAccount: { limit: 10, windowMs: 15 * 60_000 },
  loginAddress: { limit: 200, windowMs: 15 * 60_000 },
  loginDevice: { limit: 10, windowMs: 15 * 60_000 },
  resetAccount: { limit: 5, windowMs: 60 * 60_000 },
  resetAddress: { limit: 50, windowMs: 60 * 60_000 },
  inviteAddress: { limit: 50, windowMs: 15 * 60_000 },
  /** Wrong current passwords on /account/password, per signed-in user. */
  passwordChange: { limit: 5, windowMs: 15 * 60_000 },
} satisfies Record<string, ThrottleRule>;

/** The key that counts sign-in attempts for an e-mail address (as typed, lower-cased). */
export function loginAccountKey(email: string): string {
  return `login:account:${email}`;
}

/** The key that counts sign-in attempts from one known device. */
export function loginDeviceKey(deviceId: string): string {
  return `login:device:${deviceId}`;
}

/** The key that counts a signed-in user's attempts at their current password. */
export function passwordChangeKey(userId: string): string {
  return `password:user:${userId}`;
}

/**
 * The key that counts one action's attempts from a client address (clientAddressContext: the
 * trusted client address, app/shared/proxy.server.ts), an IPv6 address by its /64 network.
 */
export function addressKey(action: "login" | "reset" | "invite", address: string): string {
  return `${action}:address:${addressBucket(address)}`;
}

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** A key to count an attempt under, by a rule; `counted` only: its limit does not refuse this attempt. */
export type ThrottleCheck = [key: string, rule: ThrottleRule, mode?: "counted"];

/** Counts one attempt against every key and says whether any (not only counted) is over its limit. */
export async function hitThrottle(db: Handle, checks: ThrottleCheck[], now = Date.now()): Promise<ThrottleVerdict> {
  // One transaction for every key; PostgreSQL may run it again after a conflict, so it starts its count afresh.
  const retryAfterMs = await transaction(db, async (tx) => {
    let longest = 0;
    for (const [key, rule, mode] of checks) {
      const open = sql`${throttles.windowStart} > ${now - rule.windowMs}`;
      const [row] = await tx
        .insert(throttles)
        .values({ key, windowStart: now, count: 1 })
        .onConflictDoUpdate({
          target: throttles.key,
          set: {
            count: sql`case when ${open} then ${throttles.count} + 1 else 1 end`,
            windowStart: sql`case when ${open} then ${throttles.windowStart} else ${now} end`,
          },
        })
        .returning({ count: throttles.count, windowStart: throttles.windowStart });
      if (mode !== "counted" && row!.count > rule.limit)
        longest = Math.max(longest, row!.windowStart + rule.windowMs - now);
    }
    return longest;
  });
  return retryAfterMs > 0 ? { allowed: false, retryAfterSeconds: Math.ceil(retryAfterMs / 1000) } : { allowed: true };
}

/**
 * Takes back one attempt counted under `key` in the current window: a sign-in that succeeded
 * proves the password, so it does not use up the limit meant for guessing.
 */
export async function forgiveThrottle(db: Handle, key: string, rule: ThrottleRule, now = Date.now()): Promise<void> {
  await db
    .update(throttles)
    .set({ count: greatest(sql`${throttles.count} - 1`, 0) })
    .where(and(eq(throttles.key, key), gt(throttles.windowStart, now - rule.windowMs)));
}

/** Ends whatever `key` has counted: a completed password reset proves the account's owner. */
export async function clearThrottle(db: Handle, key: string): Promise<void> {
  await db.delete(throttles).where(eq(throttles.key, key));
}

export function throttledMessage(seconds: number): string {
  const minutes = Math.ceil(seconds / 60);
  return `Too many attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}

/** A throttled form's answer: the wait as a message, and as Retry-After for clients that read it. */
export function throttledResult(seconds: number) {
  return failed(throttledMessage(seconds), 429, { headers: { "Retry-After": String(seconds) } });
}

/** Passes a throttled answer's Retry-After on to the HTTP response (route `headers` export). */
export function retryAfterHeaders({
  actionHeaders,
  errorHeaders,
  loaderHeaders,
}: {
  actionHeaders: Headers;
  errorHeaders?: Headers;
  loaderHeaders: Headers;
}): Headers {
  const headers = new Headers();
  const retry = (errorHeaders ?? actionHeaders).get("Retry-After") ?? loaderHeaders.get("Retry-After");
  if (retry) headers.set("Retry-After", retry);
  return headers;
}
