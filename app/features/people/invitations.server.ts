// Invitations an admin is waiting on: listed, sent again with a new link, or revoked. Making and
// accepting one are the account flows in auth/accounts.server.ts.
import { and, asc, desc, eq, isNull } from "drizzle-orm";
import { changedRows, first, transaction, type Handle } from "~/db/connection.server";
import { inList } from "~/db/dialect";
import { newId } from "~/db/ids";
import { invitations, organizations, teams, users, type Role } from "~/db/schema";
import { recordAudit, type AuditActor } from "~/features/audit/audit.server";
import { INVITATION_TTL_MS, invitationMail, queueInvitationMail } from "~/features/auth/accounts.server";
import { newLinkToken } from "~/features/auth/tokens.server";
import { queueMails } from "~/features/mail/mailer.server";
import { Refusal } from "~/features/refusal";
import { addressesSigningInWithSso } from "~/features/sso/settings.server";

export type WaitingInvitation = {
  id: string;
  email: string;
  roles: Role[];
  team: string | null;
  expiresAt: Date;
  expired: boolean;
};

const gone = () => new Refusal("That invitation was already accepted or revoked.", 404);

/**
 * The organization's invitations not accepted yet, newest first; expired ones too, so they can be
 * sent again. One whose address has joined since (through another invitation) is left out.
 */
export async function waitingInvitations(db: Handle, orgId: string, now: Date): Promise<WaitingInvitation[]> {
  const rows = await db
    .select({
      id: invitations.id,
      email: invitations.email,
      roles: invitations.roles,
      team: teams.name,
      expiresAt: invitations.expiresAt,
      joined: users.id,
      // An import's invitation completes an account that exists already: still waiting.
      forAccount: invitations.userId,
    })
    .from(invitations)
    .leftJoin(teams, eq(teams.id, invitations.teamId))
    .leftJoin(users, and(eq(users.email, invitations.email), eq(users.orgId, orgId)))
    .where(and(eq(invitations.orgId, orgId), isNull(invitations.acceptedAt)))
    .orderBy(desc(invitations.createdAt), asc(invitations.email));
  return rows
    .filter((r) => r.joined === null || r.forAccount !== null)
    .map(({ joined: _joined, forAccount: _forAccount, ...r }) => ({
      ...r,
      roles: [...new Set(r.roles)],
      expired: r.expiresAt <= now,
    }));
}

async function openInvitation(db: Handle, orgId: string, invitationId: string) {
  const invitation = await first(
    db
      .select({ id: invitations.id, email: invitations.email })
      .from(invitations)
      .where(and(eq(invitations.id, invitationId), eq(invitations.orgId, orgId), isNull(invitations.acceptedAt)))
      .limit(1),
  );
  if (!invitation) throw gone();
  return invitation;
}

/**
 * Sends the invitation again with a new link, good for another week from `now`. The old link
 * stops working: one invitation has one live link, so a lost or forwarded mail is harmless.
 * Returns the invitation's id (for submitOnce).
 */
export async function resendInvitation(
  db: Handle,
  orgId: string,
  invitationId: string,
  now: Date,
  by: AuditActor,
): Promise<string> {
  const invitation = await openInvitation(db, orgId, invitationId);
  const { token, hash } = newLinkToken();
  await db
    .update(invitations)
    .set({ tokenHash: hash, expiresAt: new Date(now.getTime() + INVITATION_TTL_MS) })
    .where(eq(invitations.id, invitation.id));
  await queueInvitationMail(db, { orgId, email: invitation.email, token });
  await recordAudit(
    db,
    orgId,
    by,
    {
      action: "invitation.resent",
      subjectType: "invitation",
      subjectId: invitation.id,
      subjectLabel: invitation.email,
    },
    now,
  );
  return invitation.id;
}

/** Revoking deletes the invitation: its link stops working at once. Returns the address it went to. */
export async function revokeInvitation(
  db: Handle,
  orgId: string,
  invitationId: string,
  now: Date,
  by: AuditActor,
): Promise<string> {
  const invitation = await openInvitation(db, orgId, invitationId);
  await transaction(db, async (tx) => {
    const result = await tx
      .delete(invitations)
      .where(and(eq(invitations.id, invitation.id), eq(invitations.orgId, orgId), isNull(invitations.acceptedAt)));
    if (changedRows(result) === 0) throw gone();
    await recordAudit(
      tx,
      orgId,
      by,
      {
        action: "invitation.revoked",
        subjectType: "invitation",
        subjectId: invitation.id,
        subjectLabel: invitation.email,
      },
      now,
    );
  });
  return invitation.email;
}

// Invitations per insert: few enough values for SQLite's 32,766 parameters in one statement.
const INVITATIONS_PER_INSERT = 2_000;

/**
 * An invitation for each account just made for the organization (a people import's, SCIM's), so
 * its owner chooses a password: accepting it completes that account (decision 029). Not for an
 * address on a domain the organization signs in with through its provider (decision 033): that
 * person signs in there. An invitation from the People page still waiting for the same address is
 * replaced: its link would find the address taken. Run it in the transaction that made the
 * accounts. Returns how many were invited.
 */
export async function inviteNewAccounts(
  tx: Handle,
  orgId: string,
  made: ReadonlyArray<{ userId: string; email: string }>,
  invitedBy: string | null,
  now: Date,
): Promise<number> {
  const withSso = await addressesSigningInWithSso(
    tx,
    orgId,
    made.map((p) => p.email),
  );
  const people = made.filter((p) => !withSso.has(p.email));
  if (people.length === 0) return 0;
  // Read the organization's waiting invitations and delete by id: a list of 10,000 addresses
  // matched against every invitation is slow on PostgreSQL (`= any(array)` has no hashing).
  const emails = new Set(people.map((p) => p.email));
  const replaced = (
    await tx
      .select({ id: invitations.id, email: invitations.email })
      .from(invitations)
      .where(and(eq(invitations.orgId, orgId), isNull(invitations.acceptedAt)))
  ).filter((i) => emails.has(i.email));
  if (replaced.length)
    await tx.delete(invitations).where(
      inList(
        invitations.id,
        replaced.map((i) => i.id),
      ),
    );
  const org = await first(
    tx.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, orgId)).limit(1),
  );
  const links = people.map((p) => ({ ...p, ...newLinkToken() }));
  for (let i = 0; i < links.length; i += INVITATIONS_PER_INSERT)
    await tx.insert(invitations).values(
      links.slice(i, i + INVITATIONS_PER_INSERT).map((p) => ({
        id: newId(),
        orgId,
        email: p.email,
        roles: [],
        teamId: null,
        userId: p.userId,
        tokenHash: p.hash,
        invitedBy,
        createdAt: now,
        expiresAt: new Date(now.getTime() + INVITATION_TTL_MS),
      })),
    );
  await queueMails(
    tx,
    links.map((p) => invitationMail(org?.name ?? null, { orgId, email: p.email, token: p.token })),
  );
  return people.length;
}

/**
 * Records that `email` was refused because it has an account in another organization: on its own
 * write, since the refused invitation's transaction rolled back. The admin saw only that the
 * address cannot be added; the trail keeps why.
 */
export async function recordRefusedAddress(db: Handle, orgId: string, by: AuditActor, email: string, now: Date) {
  await recordAudit(
    db,
    orgId,
    by,
    {
      action: "address.refused",
      subjectType: "invitation",
      subjectLabel: email,
      details: { reason: "the address has an account in another organization" },
    },
    now,
  );
}
