// The bearer tokens an organization's identity provider provisions people with (decision 034).
// A token is `<id>.<secret>` like a session's: the id finds the row, only SHA-256 of the secret is
// stored and it is compared in constant time. It is shown once, when it is made.
import { and, desc, eq, isNull, lt, or } from "drizzle-orm";
import { first, transaction, type Handle } from "~/db/connection.server";
import { scimTokens, users } from "~/db/schema";
import { recordAudit, type AuditActor } from "~/features/audit/audit.server";
import { newCookieToken, readCookieToken, secretMatches } from "~/features/auth/tokens.server";
import { Refusal } from "~/features/refusal";

export type ScimTokenRow = {
  id: string;
  label: string;
  createdAt: Date;
  createdBy: string | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

/** The organization's tokens, newest first, revoked ones too (they say when they were revoked). */
export async function listScimTokens(db: Handle, orgId: string): Promise<ScimTokenRow[]> {
  return db
    .select({
      id: scimTokens.id,
      label: scimTokens.label,
      createdAt: scimTokens.createdAt,
      createdBy: users.name,
      lastUsedAt: scimTokens.lastUsedAt,
      revokedAt: scimTokens.revokedAt,
    })
    .from(scimTokens)
    .leftJoin(users, eq(users.id, scimTokens.createdBy))
    .where(eq(scimTokens.orgId, orgId))
    .orderBy(desc(scimTokens.createdAt), desc(scimTokens.id));
}

/** How many tokens an organization may have open at once: one per provider, with room to rotate. */
export const MAX_OPEN_TOKENS = 10;

/** Makes a token; returns it whole, the only time it exists outside the identity provider. */
export async function createScimToken(
  db: Handle,
  orgId: string,
  label: string,
  by: AuditActor,
  now: Date,
): Promise<{ id: string; token: string }> {
  return transaction(db, async (tx) => {
    const open = await tx
      .select({ id: scimTokens.id })
      .from(scimTokens)
      .where(and(eq(scimTokens.orgId, orgId), isNull(scimTokens.revokedAt)));
    if (open.length >= MAX_OPEN_TOKENS)
      throw new Refusal(
        `You already have ${MAX_OPEN_TOKENS} tokens in use. Revoke one you no longer need first.`,
        409,
        "label",
      );
    const { id, token, secretHash } = newCookieToken();
    await tx.insert(scimTokens).values({ id, orgId, label, secretHash, createdBy: by.userId, createdAt: now });
    await recordAudit(
      tx,
      orgId,
      by,
      { action: "scim.token-created", subjectType: "token", subjectId: id, subjectLabel: label },
      now,
    );
    return { id, token };
  });
}

/** Revokes a token of the organization (another organization's id: refused as not found). */
export async function revokeScimToken(
  db: Handle,
  orgId: string,
  tokenId: string,
  by: AuditActor,
  now: Date,
): Promise<void> {
  await transaction(db, async (tx) => {
    const token = await first(
      tx
        .select({ label: scimTokens.label, revokedAt: scimTokens.revokedAt })
        .from(scimTokens)
        .where(and(eq(scimTokens.id, tokenId), eq(scimTokens.orgId, orgId)))
        .limit(1),
    );
    if (!token) throw new Refusal("That token is not one of your organization's.", 404);
    if (token.revokedAt) return;
    await tx
      .update(scimTokens)
      .set({ revokedAt: now })
      .where(and(eq(scimTokens.id, tokenId), eq(scimTokens.orgId, orgId)));
    await recordAudit(
      tx,
      orgId,
      by,
      { action: "scim.token-revoked", subjectType: "token", subjectId: tokenId, subjectLabel: token.label },
      now,
    );
  });
}

/** What a valid bearer token opens: one organization's provisioning, under the token's name. */
export type ScimCaller = { tokenId: string; orgId: string; label: string };

// "Last used" is shown to the minute: a busy provider does not write the row on every request.
const LAST_USED_STEP_MS = 60_000;

/**
 * The caller a request's `Authorization: Bearer` header names, or null (no header, not one of
 * ours, revoked, a wrong secret). Cookies are never read: a browser's session opens nothing here.
 */
export async function scimCaller(db: Handle, authorization: string | null, now: Date): Promise<ScimCaller | null> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  const parts = readCookieToken(match?.[1]);
  if (!parts) return null;
  const row = await first(
    db
      .select({
        orgId: scimTokens.orgId,
        label: scimTokens.label,
        secretHash: scimTokens.secretHash,
        revokedAt: scimTokens.revokedAt,
      })
      .from(scimTokens)
      .where(eq(scimTokens.id, parts.id))
      .limit(1),
  );
  if (!row || row.revokedAt || !secretMatches(row.secretHash, parts.secret)) return null;
  const stale = new Date(now.getTime() - LAST_USED_STEP_MS);
  await db
    .update(scimTokens)
    .set({ lastUsedAt: now })
    .where(and(eq(scimTokens.id, parts.id), or(isNull(scimTokens.lastUsedAt), lt(scimTokens.lastUsedAt, stale))));
  return { tokenId: parts.id, orgId: row.orgId, label: row.label };
}

/** Who a SCIM change is by, in the audit trail: no person, the token's name, source "scim". */
export function byScimToken(caller: ScimCaller): AuditActor {
  return { userId: null, email: `SCIM token “${caller.label}”`, source: "scim" };
}
