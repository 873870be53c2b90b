// The server's VAPID key pair (RFC 8292): made once, at the first start of the first server, and
// kept in the database so that every server and every restart signs with the same key (a browser's
// subscription is bound to the public key it was made with). Decision 036.
import { eq } from "drizzle-orm";
import webpush from "web-push";
import { first, type Handle } from "~/db/connection.server";
import { serverKeys } from "~/db/schema";
import { configuredOrigin } from "~/shared/app-origin.server";

export type VapidKeys = { publicKey: string; privateKey: string };

const NAME = "vapid";
let cached: Promise<VapidKeys> | undefined;

/**
 * The key pair, made and stored when there is none. Two servers starting at once both try to
 * insert theirs; the primary key keeps the first and both read that one back.
 */
export function vapidKeys(db: Handle): Promise<VapidKeys> {
  cached ??= loadOrCreate(db).catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

async function loadOrCreate(db: Handle): Promise<VapidKeys> {
  const made = webpush.generateVAPIDKeys();
  await db
    .insert(serverKeys)
    .values({ name: NAME, publicKey: made.publicKey, privateKey: made.privateKey })
    .onConflictDoNothing();
  const stored = await first(
    db
      .select({ publicKey: serverKeys.publicKey, privateKey: serverKeys.privateKey })
      .from(serverKeys)
      .where(eq(serverKeys.name, NAME))
      .limit(1),
  );
  if (!stored) throw new Error("The VAPID keys could not be stored.");
  return stored;
}

/** For tests that switch databases within one process. */
export function forgetVapidKeys(): void {
  cached = undefined;
}

/**
 * Who push services may contact about our sends (the JWT's `sub`): the configured public address
 * when it is https, otherwise the address mail is sent from. Never a request's Host.
 */
export function vapidSubject(): string {
  const origin = configuredOrigin();
  if (origin?.startsWith("https:")) return origin;
  const from = process.env.MAIL_FROM ?? "";
  const address = /<([^<>\s]+@[^<>\s]+)>/.exec(from)?.[1] ?? (/^[^\s<>]+@[^\s<>]+$/.test(from) ? from : null);
  return `mailto:${address ?? "no-reply@flywheel.invalid"}`;
}
