import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db, first } from "~/db/connection.server";
import { knownDevices, outbox, sessions, users } from "~/db/schema";
import { isResetTokenOpen, requestPasswordReset, resetPassword } from "~/features/auth/accounts.server";
import { DEVICE_TTL_MS, knownDeviceOf, rememberDevice } from "~/features/auth/devices.server";
import { hashPassword, verifyPassword } from "~/features/auth/password.server";
import { createSession, SESSION_IDLE_MS, validateSessionToken } from "~/features/auth/sessions.server";
import { setActive } from "~/features/people/users.server";
import { makeOrg, makeUser } from "../support/people";

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

async function signedIn() {
  const org = await makeOrg();
  const user = await makeUser(org.id, ["rep"]);
  const start = new Date("2026-03-01T09:00:00Z");
  return { org, user, start, token: await createSession(db(), user.id, start) };
}

describe("sessions", () => {
  it("stores only a SHA-256 of the secret, never the token", async () => {
    const { token } = await signedIn();
    const [id, secret] = token.split(".");
    expect(secret!.length).toBeGreaterThanOrEqual(26); // ≥128 bits in base32
    const row = (await first(db().select().from(sessions).where(eq(sessions.id, id!)).limit(1)))!;
    expect(row.secretHash.length).toBe(32);
    expect(row.secretHash.toString("utf8")).not.toContain(secret!);
  });

  it("refuses a token whose secret was altered", async () => {
    const { token, start } = await signedIn();
    const tampered = token.slice(0, -1) + (token.endsWith("a") ? "b" : "a");
    expect(await validateSessionToken(db(), tampered, start)).toBeNull();
    expect(await validateSessionToken(db(), token, start)).not.toBeNull();
  });

  it("expires after 14 days without use and deletes the session", async () => {
    const { token, start } = await signedIn();
    expect(await validateSessionToken(db(), token, new Date(start.getTime() + SESSION_IDLE_MS - 1000))).not.toBeNull();
    const { token: other, start: otherStart } = await signedIn();
    expect(await validateSessionToken(db(), other, new Date(otherStart.getTime() + SESSION_IDLE_MS))).toBeNull();
    expect(
      await first(
        db()
          .select()
          .from(sessions)
          .where(eq(sessions.id, other.split(".")[0]!))
          .limit(1),
      ),
    ).toBeUndefined();
  });

  it("renews on use at most once an hour, sliding the expiry forward", async () => {
    const { token, start } = await signedIn();
    expect((await validateSessionToken(db(), token, new Date(start.getTime() + 30 * 60_000)))?.renewed).toBe(false);
    const later = new Date(start.getTime() + 2 * HOUR);
    expect((await validateSessionToken(db(), token, later))?.renewed).toBe(true);
    // Used at +2h, so it is still alive 14 days after the original start.
    expect(await validateSessionToken(db(), token, new Date(start.getTime() + SESSION_IDLE_MS + HOUR))).not.toBeNull();
  });

  it("ends 30 days after sign-in however recently it was used, and is deleted then", async () => {
    const { token, start } = await signedIn();
    const at = (days: number) => new Date(start.getTime() + days * DAY);
    // Used every 13 days, so it never sits idle for 14.
    for (const day of [13, 26, 29])
      expect(await validateSessionToken(db(), token, at(day)), `day ${day}`).not.toBeNull();
    expect(await validateSessionToken(db(), token, at(30))).toBeNull();
    expect(
      await first(
        db()
          .select()
          .from(sessions)
          .where(eq(sessions.id, token.split(".")[0]!))
          .limit(1),
      ),
    ).toBeUndefined();
  });

  it("a 400-day-old session last used 13 days ago no longer works", async () => {
    const now = new Date("2027-06-01T12:00:00Z");
    const { user } = await signedIn();
    const token = await createSession(db(), user.id, new Date(now.getTime() - 400 * DAY));
    await db()
      .update(sessions)
      .set({ lastVerifiedAt: new Date(now.getTime() - 13 * DAY) })
      .where(eq(sessions.id, token.split(".")[0]!));
    expect(await validateSessionToken(db(), token, now)).toBeNull();
  });

  it("a renewed cookie lasts 14 days, but never past the session's 30th day", async () => {
    const { token, start } = await signedIn();
    const renewedAt = (days: number) => validateSessionToken(db(), token, new Date(start.getTime() + days * DAY));
    expect((await renewedAt(10))?.lifetimeMs).toBe(SESSION_IDLE_MS);
    expect((await renewedAt(20))?.lifetimeMs).toBe(10 * DAY);
  });

  it("ends every session when a user is deactivated", async () => {
    const { org, user, token, start } = await signedIn();
    const second = await createSession(db(), user.id, start);
    await setActive(db(), org.id, user.id, false, { userId: null, source: "admin page" }, new Date());
    expect(await validateSessionToken(db(), token, start)).toBeNull();
    expect(await validateSessionToken(db(), second, start)).toBeNull();
  });

  it("a password reset uses its token once, within an hour, and ends every session", async () => {
    const { user, token } = await signedIn();
    await requestPasswordReset(db(), user.email);
    const mail = (await first(db().select().from(outbox).where(eq(outbox.to, user.email)).limit(1)))!;
    const resetToken = /\/reset-password\/([a-z0-9]+)/.exec(mail.text)![1]!;
    expect(await isResetTokenOpen(db(), resetToken)).toBe(true);
    expect(await isResetTokenOpen(db(), resetToken, new Date(Date.now() + HOUR + 1000))).toBe(false);
    expect(await resetPassword(db(), resetToken, "a brand new password")).toEqual({ userId: user.id });
    expect(await validateSessionToken(db(), token)).toBeNull();
    expect(await resetPassword(db(), resetToken, "another new password")).toBeNull();
  });

  it("using one reset link ends every other open reset link of the account, older and newer", async () => {
    const { user } = await signedIn();
    const other = await makeUser(user.orgId, ["rep"]);
    for (const email of [user.email, user.email, user.email, other.email]) await requestPasswordReset(db(), email);
    const linksTo = async (email: string) =>
      (await db().select().from(outbox).where(eq(outbox.to, email))).map(
        (m) => /\/reset-password\/([a-z0-9]+)/.exec(m.text)![1]!,
      );
    const [first_, middle, last] = await linksTo(user.email);
    expect(await resetPassword(db(), middle!, "a brand new password")).toEqual({ userId: user.id });
    for (const token of [first_!, last!]) {
      expect(await isResetTokenOpen(db(), token)).toBe(false);
      expect(await resetPassword(db(), token, "the attacker's password")).toBeNull();
    }
    expect(await verifyPassword((await passwordHashOf(user.id))!, "a brand new password")).toBe(true);
    // Another account's link is not touched.
    expect(await isResetTokenOpen(db(), (await linksTo(other.email))[0]!)).toBe(true);
  });
});

async function passwordHashOf(userId: string) {
  return (await first(db().select({ hash: users.passwordHash }).from(users).where(eq(users.id, userId)).limit(1)))
    ?.hash;
}

describe("passwords", () => {
  it("are hashed with argon2id and never truncated", async () => {
    const long = "x".repeat(200) + "tail";
    const stored = await hashPassword(long);
    expect(stored.startsWith("$argon2id$v=19$m=19456,t=2,p=1$")).toBe(true);
    expect(await verifyPassword(stored, long)).toBe(true);
    expect(await verifyPassword(stored, "x".repeat(200))).toBe(false);
  });
});

describe("known devices", () => {
  it("are known to their own account for 180 days after their last sign-in, each sign-in renewing it", async () => {
    const { user, start } = await signedIn();
    const other = await makeUser(user.orgId, ["rep"]);
    const at = (days: number) => new Date(start.getTime() + days * DAY);
    const token = await rememberDevice(db(), user.id, null, start);
    expect(await knownDeviceOf(db(), token, user.email, at(179))).not.toBeNull();
    expect(await knownDeviceOf(db(), token, other.email, at(1))).toBeNull();
    expect(DEVICE_TTL_MS).toBe(180 * DAY);
    expect(await knownDeviceOf(db(), token, user.email, at(180))).toBeNull();
    // Signing in again on it keeps its cookie and starts its 180 days again.
    expect(await rememberDevice(db(), user.id, token, at(100))).toBe(token);
    expect(await knownDeviceOf(db(), token, user.email, at(279))).not.toBeNull();
  });

  it("store only a hash of the cookie's secret; another account signing in on the browser gets a new one", async () => {
    const { user, start } = await signedIn();
    const other = await makeUser(user.orgId, ["rep"]);
    const token = await rememberDevice(db(), user.id, null, start);
    const [id, secret] = token.split(".");
    const row = (await first(db().select().from(knownDevices).where(eq(knownDevices.id, id!)).limit(1)))!;
    expect(row.secretHash.length).toBe(32);
    expect(row.secretHash.toString("utf8")).not.toContain(secret!);
    const theirs = await rememberDevice(db(), other.id, token, start);
    expect(theirs).not.toBe(token);
    expect(await knownDeviceOf(db(), theirs, other.email, start)).not.toBeNull();
    expect(await knownDeviceOf(db(), `${id}.${secret!.slice(1)}`, user.email, start)).toBeNull();
  });
});
