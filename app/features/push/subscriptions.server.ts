// The devices a rep subscribed to push notifications on: what the browser's pushManager.subscribe
// gave (the push service's endpoint and the keys that encrypt for it, RFC 8291), checked before it
// is stored, listed on /account/reminders, and removed by the rep or when the push service says
// the device is gone.
import { and, asc, eq } from "drizzle-orm";
import { changedRows, first, type Handle } from "~/db/connection.server";
import { inList } from "~/db/dialect";
import { newId } from "~/db/ids";
import { pushSubscriptions } from "~/db/schema";
import type { SessionUser } from "~/features/auth/sessions.server";
import { Refusal } from "~/features/refusal";

/** More devices than anyone carries: a limit on what one account can make the server send to. */
export const MAX_DEVICES = 10;
const MAX_ENDPOINT_LENGTH = 2048;
const MAX_LABEL_LENGTH = 80;

/**
 * Plain-http endpoints on this machine are for tests only (PUSH_TEST_HTTP_ENDPOINTS=1): a push
 * endpoint the test serves itself. Every real push service is https.
 */
function httpTestEndpointsAllowed(): boolean {
  return process.env.PUSH_TEST_HTTP_ENDPOINTS === "1";
}

const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

function decodedLength(value: string): number {
  return BASE64URL.test(value) ? Buffer.from(value.replace(/=+$/, ""), "base64url").length : -1;
}

export type NewSubscription = { endpoint: string; p256dh: string; auth: string; label: string };

/** The subscription as it may be stored, or a Refusal saying what is wrong with it. */
export function checkedSubscription(input: NewSubscription): NewSubscription {
  let url: URL;
  try {
    url = new URL(input.endpoint);
  } catch {
    throw new Refusal("The browser gave a push address that is not a URL. Try again, or use another browser.");
  }
  const localTest =
    httpTestEndpointsAllowed() &&
    url.protocol === "http:" &&
    ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
  if ((url.protocol !== "https:" && !localTest) || url.username || url.password)
    throw new Refusal("The browser's push address must be an https address.");
  if (input.endpoint.length > MAX_ENDPOINT_LENGTH) throw new Refusal("The browser's push address is too long.");
  // An uncompressed P-256 public key (65 bytes, starting with 4) and a 16-byte authentication secret.
  const key = BASE64URL.test(input.p256dh) ? Buffer.from(input.p256dh, "base64url") : null;
  if (!key || key.length !== 65 || key[0] !== 4)
    throw new Refusal("The browser's push key is not a P-256 public key. Try again, or use another browser.");
  if (decodedLength(input.auth) !== 16)
    throw new Refusal("The browser's push secret is not 16 bytes. Try again, or use another browser.");
  const label = input.label.trim().slice(0, MAX_LABEL_LENGTH) || "This browser";
  return { endpoint: url.toString(), p256dh: input.p256dh, auth: input.auth, label };
}

/**
 * Stores a device for the rep. The same endpoint subscribed again (the browser renewed its keys,
 * or another account signs in on the same browser) is moved to this rep with its new keys: one
 * endpoint reaches one person.
 */
export async function subscribeDevice(
  db: Handle,
  user: Pick<SessionUser, "id" | "orgId">,
  input: NewSubscription,
): Promise<void> {
  const device = checkedSubscription(input);
  const existing = await first(
    db
      .select({ id: pushSubscriptions.id, userId: pushSubscriptions.userId })
      .from(pushSubscriptions)
      .where(eq(pushSubscriptions.endpoint, device.endpoint))
      .limit(1),
  );
  if (!existing && (await devicesOf(db, user)).length >= MAX_DEVICES)
    throw new Refusal(`You can get notifications on up to ${MAX_DEVICES} devices. Remove one first.`);
  await db
    .insert(pushSubscriptions)
    .values({ id: newId(), orgId: user.orgId, userId: user.id, ...device })
    .onConflictDoUpdate({
      target: pushSubscriptions.endpoint,
      set: { orgId: user.orgId, userId: user.id, p256dh: device.p256dh, auth: device.auth, label: device.label },
    });
}

export async function devicesOf(db: Handle, user: Pick<SessionUser, "id">) {
  return db
    .select({ id: pushSubscriptions.id, label: pushSubscriptions.label, createdAt: pushSubscriptions.createdAt })
    .from(pushSubscriptions)
    .where(eq(pushSubscriptions.userId, user.id))
    .orderBy(asc(pushSubscriptions.createdAt));
}

/** Removes one of the rep's devices; another person's id is refused as not found. */
export async function removeDevice(db: Handle, user: Pick<SessionUser, "id">, id: string): Promise<void> {
  const result = await db
    .delete(pushSubscriptions)
    .where(and(eq(pushSubscriptions.id, id), eq(pushSubscriptions.userId, user.id)));
  if (changedRows(result) === 0) throw new Refusal("That device is not on your list any more.", 404);
}

/**
 * Forgets the device with this endpoint, whoever it was: the browser ended the subscription (its
 * rep signed out on it, decision 036). The endpoint is the proof: only the browser, the push
 * service and this server know it. An endpoint not on file, or not a string of an endpoint's
 * size, changes nothing. True when a device was forgotten.
 */
export async function forgetDevice(db: Handle, endpoint: unknown): Promise<boolean> {
  if (typeof endpoint !== "string" || endpoint.length === 0 || endpoint.length > MAX_ENDPOINT_LENGTH) return false;
  return changedRows(await db.delete(pushSubscriptions).where(eq(pushSubscriptions.endpoint, endpoint))) > 0;
}

/** Each of these reps' subscribed devices, in one query. */
export async function devicesByRep(db: Handle, userIds: readonly string[]): Promise<Map<string, string[]>> {
  const byRep = new Map<string, string[]>();
  if (userIds.length === 0) return byRep;
  const found = await db
    .select({ id: pushSubscriptions.id, userId: pushSubscriptions.userId })
    .from(pushSubscriptions)
    .where(inList(pushSubscriptions.userId, userIds));
  for (const { id, userId } of found) byRep.set(userId, [...(byRep.get(userId) ?? []), id]);
  return byRep;
}
