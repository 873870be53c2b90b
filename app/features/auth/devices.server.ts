// The browsers an account has signed in on, each remembered by a long-lived device cookie. When
// guessing has locked an account, a right password from one of them still signs its owner in,
// under a limit of the device's own (decision 016). One cookie per browser: another account
// signing in there takes it over.
import { and, eq, lt } from "drizzle-orm";
import { first, type Handle } from "~/db/connection.server";
import { knownDevices, users } from "~/db/schema";
import { newCookieToken, readCookieToken, secretMatches } from "./tokens.server";

/** A device is remembered this long after its last sign-in. */
export const DEVICE_TTL_MS = 180 * 24 * 60 * 60 * 1000;

/**
 * The id of the device behind a device cookie's token, if that browser has signed in to the
 * account with `email` within DEVICE_TTL_MS; otherwise (no cookie, a forged one, another
 * account's, a forgotten one) null.
 */
export async function knownDeviceOf(
  db: Handle,
  token: string | null,
  email: string,
  now = new Date(),
): Promise<string | null> {
  const parts = readCookieToken(token);
  if (!parts) return null;
  const device = await first(
    db
      .select({ secretHash: knownDevices.secretHash, lastSignInAt: knownDevices.lastSignInAt })
      .from(knownDevices)
      .innerJoin(users, eq(users.id, knownDevices.userId))
      .where(and(eq(knownDevices.id, parts.id), eq(users.email, email)))
      .limit(1),
  );
  if (!device || !secretMatches(device.secretHash, parts.secret)) return null;
  return now.getTime() - device.lastSignInAt.getTime() < DEVICE_TTL_MS ? parts.id : null;
}

/**
 * After `userId` signed in on this browser: the token for its device cookie. The browser's own
 * token is kept (and its time renewed) when it is this account's; otherwise a new device is
 * remembered, and the account's devices unused for DEVICE_TTL_MS are forgotten.
 */
export async function rememberDevice(
  db: Handle,
  userId: string,
  token: string | null,
  now = new Date(),
): Promise<string> {
  const parts = readCookieToken(token);
  if (parts) {
    const device = await first(
      db
        .select({ userId: knownDevices.userId, secretHash: knownDevices.secretHash })
        .from(knownDevices)
        .where(eq(knownDevices.id, parts.id))
        .limit(1),
    );
    if (device?.userId === userId && secretMatches(device.secretHash, parts.secret)) {
      await db.update(knownDevices).set({ lastSignInAt: now }).where(eq(knownDevices.id, parts.id));
      return token!;
    }
  }
  await db
    .delete(knownDevices)
    .where(
      and(eq(knownDevices.userId, userId), lt(knownDevices.lastSignInAt, new Date(now.getTime() - DEVICE_TTL_MS))),
    );
  const { id, token: fresh, secretHash } = newCookieToken();
  await db.insert(knownDevices).values({ id, userId, secretHash, createdAt: now, lastSignInAt: now });
  return fresh;
}
