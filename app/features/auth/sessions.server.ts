// Sessions after Lucia's design: the token is `<id>.<secret>`, only SHA-256(secret) is stored,
// the comparison is constant-time, and a session expires after 14 days without use. Use
// renews it, at most once an hour so a busy rep does not write on every request, but never past
// 30 days after sign-in: a stolen cookie that is used every day still stops working then.
import { and, eq, ne, sql } from "drizzle-orm";
import { first, prepared, type Handle } from "~/db/connection.server";
import { commaList } from "~/db/dialect";
import { organizations, sessions, userRoles, users, type Role } from "~/db/schema";
import { newCookieToken, readCookieToken, secretMatches } from "./tokens.server";

const DAY_MS = 24 * 60 * 60 * 1000;
/** A session unused this long has ended. */
export const SESSION_IDLE_MS = 14 * DAY_MS;
/** However often it is used, a session ends this long after it was created (OWASP ASVS 5.0, 7.3.2). */
export const SESSION_ABSOLUTE_MS = 30 * DAY_MS;
export const SESSION_RENEW_AFTER_MS = 60 * 60 * 1000;

export type SessionUser = {
  id: string;
  orgId: string;
  orgName: string;
  timezone: string;
  email: string;
  name: string;
  roles: Role[];
};

/** `lifetimeMs`: how long from now the session lasts unless it is used again (for the cookie's Max-Age). */
export type ValidSession = { sessionId: string; user: SessionUser; renewed: boolean; lifetimeMs: number };

/** Creates a session and returns the token for the cookie (never stored). */
export async function createSession(db: Handle, userId: string, now = new Date()): Promise<string> {
  const { id, token, secretHash } = newCookieToken();
  await db.insert(sessions).values({ id, userId, secretHash, createdAt: now, lastVerifiedAt: now });
  return token;
}

const sessionById = prepared("sessions_by_id", (database) =>
  database
    .select({
      secretHash: sessions.secretHash,
      createdAt: sessions.createdAt,
      lastVerifiedAt: sessions.lastVerifiedAt,
      userId: users.id,
      orgId: users.orgId,
      email: users.email,
      name: users.name,
      active: users.active,
      orgName: organizations.name,
      timezone: organizations.timezone,
      // One query per request: the roles come along as a comma-separated list.
      roles: sql<
        string | null
      >`(select ${commaList(userRoles.role)} from ${userRoles} where ${userRoles.userId} = ${users.id})`,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .innerJoin(organizations, eq(organizations.id, users.orgId))
    .where(eq(sessions.id, sql.placeholder("id"))),
);

export async function validateSessionToken(db: Handle, token: string, now = new Date()): Promise<ValidSession | null> {
  const parts = readCookieToken(token);
  if (!parts) return null;
  const { id, secret } = parts;
  const row = await first(sessionById(db).execute({ id }));
  if (!row || !secretMatches(row.secretHash, secret)) return null;
  const idleFor = now.getTime() - row.lastVerifiedAt.getTime();
  const endsAt = row.createdAt.getTime() + SESSION_ABSOLUTE_MS;
  if (idleFor >= SESSION_IDLE_MS || now.getTime() >= endsAt || !row.active) {
    await db.delete(sessions).where(eq(sessions.id, id));
    return null;
  }
  let renewed = false;
  if (idleFor >= SESSION_RENEW_AFTER_MS) {
    await db.update(sessions).set({ lastVerifiedAt: now }).where(eq(sessions.id, id));
    renewed = true;
  }
  const lifetimeMs = Math.min(SESSION_IDLE_MS - (renewed ? 0 : idleFor), endsAt - now.getTime());
  const roles = (row.roles ?? "").split(",").filter(Boolean) as Role[];
  return {
    sessionId: id,
    renewed,
    lifetimeMs,
    user: {
      id: row.userId,
      orgId: row.orgId,
      orgName: row.orgName,
      timezone: row.timezone,
      email: row.email,
      name: row.name,
      roles,
    },
  };
}

export async function invalidateSession(db: Handle, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** Ends every session of a user (on deactivation and password reset), or every other one. */
export async function invalidateUserSessions(db: Handle, userId: string, exceptSessionId?: string): Promise<void> {
  const mine = eq(sessions.userId, userId);
  await db.delete(sessions).where(exceptSessionId ? and(mine, ne(sessions.id, exceptSessionId)) : mine);
}
