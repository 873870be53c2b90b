// The organization's single sign-on settings (/admin/sign-in): its provider, the e-mail domains
// that sign in with it, the role of people it brings in, and whether passwords are off.
import { and, asc, count, eq, ne, notInArray, notLike, sql } from "drizzle-orm";
import { first, transaction, type Handle } from "~/db/connection.server";
import { inList } from "~/db/dialect";
import { ssoConnections, ssoDomains, userRoles, users } from "~/db/schema";
import { recordAudit, type AuditActor } from "~/features/audit/audit.server";
import { Refusal } from "~/features/refusal";
import type { SSO_DEFAULT_ROLES } from "./default-roles";

export type SsoSettings = {
  providerName: string;
  issuer: string;
  clientId: string;
  /** Blank on the form keeps the saved secret. */
  clientSecret: string;
  domains: string[];
  defaultRole: (typeof SSO_DEFAULT_ROLES)[number];
  requireSso: boolean;
};

/** What the admin page shows: the settings with the secret reduced to its last four characters. */
export type ShownSsoSettings = Omit<SsoSettings, "clientSecret"> & { secretEnd: string | null };

export async function ssoConnection(db: Handle, orgId: string) {
  return first(db.select().from(ssoConnections).where(eq(ssoConnections.orgId, orgId)).limit(1));
}

/**
 * The addresses among `emails` that sign in with the organization's provider (their domain is one
 * it claimed): people made for them by an import or SCIM get no invitation to choose a password.
 */
export async function addressesSigningInWithSso(db: Handle, orgId: string, emails: string[]): Promise<Set<string>> {
  if (emails.length === 0) return new Set();
  const domains = new Set(await claimedDomains(db, orgId));
  return new Set(emails.filter((email) => domains.has(email.slice(email.lastIndexOf("@") + 1).toLowerCase())));
}

/**
 * The organization's active people, admins aside, whose addresses are on none of its claimed
 * domains: Require SSO leaves them their passwords (decision 038). Their number and the first
 * `shown` of them by name, for the admin page.
 */
export async function peopleOutsideClaimedDomains(
  db: Handle,
  orgId: string,
  shown = 5,
): Promise<{ count: number; names: string[] }> {
  const domains = await claimedDomains(db, orgId);
  if (domains.length === 0) return { count: 0, names: [] };
  const admins = db
    .select({ userId: userRoles.userId })
    .from(userRoles)
    .where(and(eq(userRoles.orgId, orgId), eq(userRoles.role, "admin")));
  const outside = and(
    eq(users.orgId, orgId),
    eq(users.active, true),
    notInArray(users.id, admins),
    ...domains.map((domain) => notLike(sql`lower(${users.email})`, `%@${domain}`)),
  );
  const [total, named] = await Promise.all([
    first(db.select({ n: count() }).from(users).where(outside)),
    db.select({ name: users.name }).from(users).where(outside).orderBy(asc(users.name)).limit(shown),
  ]);
  return { count: total?.n ?? 0, names: named.map((r) => r.name) };
}

export async function claimedDomains(db: Handle, orgId: string): Promise<string[]> {
  const rows = await db
    .select({ domain: ssoDomains.domain })
    .from(ssoDomains)
    .where(eq(ssoDomains.orgId, orgId))
    .orderBy(asc(ssoDomains.domain));
  return rows.map((r) => r.domain);
}

export async function shownSsoSettings(db: Handle, orgId: string): Promise<ShownSsoSettings | null> {
  const connection = await ssoConnection(db, orgId);
  if (!connection) return null;
  return {
    providerName: connection.providerName,
    issuer: connection.issuer,
    clientId: connection.clientId,
    domains: await claimedDomains(db, orgId),
    defaultRole: connection.defaultRole === "admin" ? "rep" : connection.defaultRole,
    requireSso: connection.requireSso,
    secretEnd: connection.clientSecret.slice(-4),
  };
}

/** The refusal for a domain another organization signs in with: it names no organization. */
export const domainTakenMessage = (domain: string) =>
  `${domain} already signs in with another organization's provider on this Flywheel, so it cannot be added here.`;

/**
 * Saves the settings in one transaction, with an audit event naming what changed (the secret
 * only as "changed"). A domain claimed by another organization refuses the whole save; the
 * primary key on the domain keeps two simultaneous claims from both succeeding.
 */
export async function saveSsoSettings(
  db: Handle,
  orgId: string,
  input: SsoSettings,
  now: Date,
  by: AuditActor,
): Promise<void> {
  await transaction(db, async (tx) => {
    const before = await ssoConnection(tx, orgId);
    const secret = input.clientSecret || before?.clientSecret;
    if (!secret) throw new Refusal("Enter the client secret your provider gave you.", 400, "clientSecret");
    const taken = await first(
      tx
        .select({ domain: ssoDomains.domain })
        .from(ssoDomains)
        .where(and(inList(ssoDomains.domain, input.domains), ne(ssoDomains.orgId, orgId)))
        .limit(1),
    );
    if (taken) throw new Refusal(domainTakenMessage(taken.domain), 409, "domains");

    const values = {
      providerName: input.providerName,
      issuer: input.issuer,
      clientId: input.clientId,
      clientSecret: secret,
      defaultRole: input.defaultRole,
      requireSso: input.requireSso,
      updatedAt: now,
    };
    if (before) await tx.update(ssoConnections).set(values).where(eq(ssoConnections.orgId, orgId));
    else await tx.insert(ssoConnections).values({ orgId, ...values });

    const domainsBefore = await claimedDomains(tx, orgId);
    const gone = domainsBefore.filter((d) => !input.domains.includes(d));
    const added = input.domains.filter((d) => !domainsBefore.includes(d));
    if (gone.length)
      await tx.delete(ssoDomains).where(and(eq(ssoDomains.orgId, orgId), inList(ssoDomains.domain, gone)));
    if (added.length) {
      await tx
        .insert(ssoDomains)
        .values(added.map((domain) => ({ domain, orgId })))
        .onConflictDoNothing();
      // Claimed by another organization between the check and the insert: refuse, roll back.
      const ours = await claimedDomains(tx, orgId);
      const lost = added.find((d) => !ours.includes(d));
      if (lost) throw new Refusal(domainTakenMessage(lost), 409, "domains");
    }

    const changes: Record<string, unknown> = {};
    const compare = (key: string, from: unknown, to: unknown) => {
      if (JSON.stringify(from) !== JSON.stringify(to)) changes[key] = { from, to };
    };
    compare("provider", before?.providerName ?? null, input.providerName);
    compare("issuer", before?.issuer ?? null, input.issuer);
    compare("client ID", before?.clientId ?? null, input.clientId);
    if (before?.clientSecret !== secret) changes["client secret"] = "changed";
    compare("domains", [...domainsBefore].sort(), [...input.domains].sort());
    compare("default role", before?.defaultRole ?? null, input.defaultRole);
    compare("require SSO", before?.requireSso ?? false, input.requireSso);
    if (Object.keys(changes).length)
      await recordAudit(
        tx,
        orgId,
        by,
        {
          action: "sign-in.settings-changed",
          subjectType: "organization",
          subjectId: orgId,
          subjectLabel: input.providerName,
          details: changes,
        },
        now,
      );
  });
}
