// Invitations an admin is waiting on: listed, sent again with a new link, or revoked. Making and
// accepting one are the account flows in auth/accounts.server.ts.
import { and, asc, desc, eq, isNull } from "drizzle-orm";
import { changedRows, first, transaction, type Handle } from "~/db/connection.server";
import { invitations, teams, users, type Role } from "~/db/schema";
import { recordAudit, type AuditActor } from "~/features/audit/audit.server";
import { INVITATION_TTL_MS, queueInvitationMail } from "~/features/auth/accounts.server";
import { newLinkToken } from "~/features/auth/tokens.server";
import { Refusal } from "~/features/refusal";

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
