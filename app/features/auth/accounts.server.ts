// Signing in, invitations and passwords: the flows that create or change credentials.
import { and, eq, gt, isNull } from "drizzle-orm";
import { changedRows, first, transaction, type Handle } from "~/db/connection.server";
import { newId } from "~/db/ids";
import {
  invitations,
  organizations,
  passwordResets,
  teamMembers,
  teams,
  userRoles,
  users,
  ROLES,
  teamRolesFor,
  type Role,
} from "~/db/schema";
import { recordAudit, type AuditActor } from "~/features/audit/audit.server";
import { queueMail, type Mail } from "~/features/mail/mailer.server";
import { appUrl } from "~/shared/app-origin.server";
import { dayOfLabel } from "~/shared/date-formats";
import { Refusal } from "~/features/refusal";
import { notInOrganization } from "./access";
import { burnPasswordCheck, hashNewPassword, verifyPassword } from "./password.server";
import { invalidateUserSessions } from "./sessions.server";
import {
  clearThrottle,
  forgiveThrottle,
  hitThrottle,
  loginAccountKey,
  passwordChangeKey,
  THROTTLE,
} from "./throttle.server";
import { hashLinkToken, newLinkToken } from "./tokens.server";

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
export const RESET_TTL_MS = 60 * 60 * 1000;

/** The account behind an e-mail address, with what signing in checks. */
async function findUserByEmail(db: Handle, email: string) {
  return first(
    db
      .select({
        id: users.id,
        orgId: users.orgId,
        name: users.name,
        email: users.email,
        passwordHash: users.passwordHash,
        active: users.active,
      })
      .from(users)
      .where(eq(users.email, email.trim().toLowerCase()))
      .limit(1),
  );
}

/** Same answer, and about the same time, for an unknown e-mail and a wrong password. */
export async function authenticate(db: Handle, email: string, password: string): Promise<{ userId: string } | null> {
  const user = await findUserByEmail(db, email);
  if (!user || !user.passwordHash || !user.active) {
    await burnPasswordCheck(password);
    return null;
  }
  return (await verifyPassword(user.passwordHash, password)) ? { userId: user.id } : null;
}

/** What an admin is told of an address that belongs to another organization: it names none. */
export const ADDRESS_CANNOT_BE_ADDED = "This address cannot be added.";

/**
 * An address with an account in another organization: one address, one account across the
 * installation (decision 033). The caller records it in the audit trail outside the refused write.
 */
export class AddressRefused extends Refusal {
  constructor(readonly email: string) {
    super(ADDRESS_CANNOT_BE_ADDED, 409, "email");
  }
}

/**
 * Stores an invitation and queues its mail; returns the invitation's id. An address with an
 * account in another organization is refused with AddressRefused, in words that name no
 * organization (decision 033, replacing decision 012's silent invitation). An account in the
 * admin's own organization is refused, and so is an address
 * with an invitation of this organization still waiting (expired or not): that one is sent again
 * or revoked, never doubled (decision 026). Run it in a transaction: the check and the insert
 * then see the same invitations.
 */
export async function inviteUser(
  db: Handle,
  input: { orgId: string; invitedBy: string; email: string; roles: Role[]; teamId: string | null },
  when: { now: Date; timezone: string },
  by: AuditActor,
): Promise<string> {
  const existing = await findUserByEmail(db, input.email);
  if (existing && existing.orgId !== input.orgId) throw new AddressRefused(input.email);
  if (existing?.orgId === input.orgId)
    throw new Refusal(
      `${input.email} is already in your organization: ${existing.name}. Find them under People below.`,
      409,
      "email",
    );
  const waiting = await first(
    db
      .select({ expiresAt: invitations.expiresAt })
      .from(invitations)
      .where(
        and(eq(invitations.orgId, input.orgId), eq(invitations.email, input.email), isNull(invitations.acceptedAt)),
      )
      .limit(1),
  );
  if (waiting) {
    const until = dayOfLabel(waiting.expiresAt, when.timezone, when.now);
    throw new Refusal(
      `An invitation to ${input.email} is already waiting (${
        waiting.expiresAt > when.now ? `its link works until ${until}` : `its link expired on ${until}`
      }). Send it again from the list below, or revoke it to invite them with other roles.`,
      409,
      "email",
    );
  }
  let teamName: string | null = null;
  if (input.teamId) {
    const team = await first(
      db
        .select({ id: teams.id, name: teams.name })
        .from(teams)
        .where(and(eq(teams.id, input.teamId), eq(teams.orgId, input.orgId)))
        .limit(1),
    );
    if (!team) throw notInOrganization("teamId");
    teamName = team.name;
  }
  const { token, hash } = newLinkToken();
  const id = newId();
  await db.insert(invitations).values({
    id,
    orgId: input.orgId,
    email: input.email,
    roles: [...new Set(input.roles)],
    teamId: input.teamId,
    tokenHash: hash,
    invitedBy: input.invitedBy,
    expiresAt: new Date(when.now.getTime() + INVITATION_TTL_MS),
  });
  await queueInvitationMail(db, { orgId: input.orgId, email: input.email, token });
  await recordAudit(
    db,
    input.orgId,
    by,
    {
      action: "invitation.sent",
      subjectType: "invitation",
      subjectId: id,
      subjectLabel: input.email,
      details: { roles: [...new Set(input.roles)].sort(), team: teamName },
    },
    when.now,
  );
  return id;
}

/** The invitation mail with its link; sent when inviting and again when an admin resends it. */
export async function queueInvitationMail(
  db: Handle,
  invitation: { orgId: string; email: string; token: string },
): Promise<void> {
  const org = await first(
    db.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, invitation.orgId)).limit(1),
  );
  await queueMail(db, invitationMail(org?.name ?? null, invitation));
}

/** The invitation mail itself, for one invitation or a people import's many. */
export function invitationMail(
  orgName: string | null,
  invitation: { orgId: string; email: string; token: string },
): Mail {
  return {
    orgId: invitation.orgId,
    to: invitation.email,
    subject: `You're invited to ${orgName ?? "Flywheel"} on Flywheel`,
    text: [
      `You have been invited to join ${orgName ?? "your team"} on Flywheel, where your team practices questioning, listening and negotiation a few minutes a day.`,
      "",
      `Accept the invitation and choose your password (the link works once, for 7 days):`,
      appUrl(`/invite/${invitation.token}`),
    ].join("\n"),
  };
}

export async function findOpenInvitation(db: Handle, token: string, now = new Date()) {
  return first(
    db
      .select({
        id: invitations.id,
        orgId: invitations.orgId,
        email: invitations.email,
        roles: invitations.roles,
        teamId: invitations.teamId,
        orgName: organizations.name,
      })
      .from(invitations)
      .innerJoin(organizations, eq(organizations.id, invitations.orgId))
      .where(
        and(
          eq(invitations.tokenHash, hashLinkToken(token)),
          isNull(invitations.acceptedAt),
          gt(invitations.expiresAt, now),
        ),
      )
      .limit(1),
  );
}

export type Acceptance =
  | { ok: true; userId: string }
  | { ok: false; reason: "closed" }
  | { ok: false; reason: "address-taken"; email: string };

/**
 * Accepting creates the account; the invitation is marked used in the same transaction. An
 * account is keyed by its e-mail address across all organizations, so an address that already
 * has one (here or elsewhere) cannot accept: the invitation stays open and nothing changes.
 */
export async function acceptInvitation(
  db: Handle,
  token: string,
  input: { name: string; password: string },
  now = new Date(),
): Promise<Acceptance> {
  // Read first for the address the password must not contain; hashing takes a while, so it is
  // done outside the transaction, which looks the invitation up again.
  const open = await findOpenInvitation(db, token, now);
  if (!open) return { ok: false, reason: "closed" };
  const passwordHash = await hashNewPassword(input.password, open.email);
  return transaction(db, async (tx) => {
    const invite = await first(
      tx
        .select({
          id: invitations.id,
          orgId: invitations.orgId,
          email: invitations.email,
          roles: invitations.roles,
          teamId: invitations.teamId,
          userId: invitations.userId,
        })
        .from(invitations)
        .where(
          and(
            eq(invitations.tokenHash, hashLinkToken(token)),
            isNull(invitations.acceptedAt),
            gt(invitations.expiresAt, now),
          ),
        )
        .limit(1),
    );
    if (!invite) return { ok: false, reason: "closed" };
    // A people import made the account already, with its roles and teams (decision 029): accepting
    // gives it its name and password. Once it has a password (set through a reset link) or is
    // deactivated, the invitation has nothing left to do.
    if (invite.userId) {
      const claimed = await tx
        .update(users)
        .set({ name: input.name, passwordHash })
        .where(
          and(
            eq(users.id, invite.userId),
            eq(users.orgId, invite.orgId),
            isNull(users.passwordHash),
            eq(users.active, true),
          ),
        );
      if (changedRows(claimed) === 0) return { ok: false, reason: "closed" };
      await tx.update(invitations).set({ acceptedAt: now }).where(eq(invitations.id, invite.id));
      return { ok: true, userId: invite.userId };
    }
    if (await first(tx.select({ id: users.id }).from(users).where(eq(users.email, invite.email)).limit(1)))
      return { ok: false, reason: "address-taken", email: invite.email };
    const userId = newId();
    await tx
      .insert(users)
      .values({ id: userId, orgId: invite.orgId, email: invite.email, name: input.name, passwordHash });
    // Roles are a set; invitations stored before that was enforced may name one twice.
    const roles = [...new Set(invite.roles)].filter((role) => ROLES.includes(role));
    if (roles.length) await tx.insert(userRoles).values(roles.map((role) => ({ orgId: invite.orgId, userId, role })));
    // The invitee takes the places in the team that the roles the admin chose give them.
    const places = invite.teamId ? teamRolesFor(roles) : [];
    if (places.length)
      await tx
        .insert(teamMembers)
        .values(places.map((role) => ({ orgId: invite.orgId, teamId: invite.teamId!, userId, role })));
    await tx.update(invitations).set({ acceptedAt: now }).where(eq(invitations.id, invite.id));
    return { ok: true, userId };
  });
}

/** Always looks the same to the caller, so the form cannot be used to find accounts. */
export async function requestPasswordReset(db: Handle, email: string, now = new Date()): Promise<void> {
  const user = await findUserByEmail(db, email);
  if (!user || !user.active) return;
  const { token, hash } = newLinkToken();
  await db
    .insert(passwordResets)
    .values({ id: newId(), userId: user.id, tokenHash: hash, expiresAt: new Date(now.getTime() + RESET_TTL_MS) });
  await queueMail(db, {
    orgId: user.orgId,
    to: user.email,
    subject: "Reset your Flywheel password",
    text: [
      `Hi ${user.name},`,
      "",
      "Someone (hopefully you) asked to reset your Flywheel password. Choose a new one here; the link works once, for one hour:",
      appUrl(`/reset-password/${token}`),
      "",
      "If it wasn't you, ignore this e-mail: your password stays as it is.",
    ].join("\n"),
  });
}

/** The reset link `token` names, if it is neither used nor expired at `now`. */
const openResetLink = (token: string, now: Date) =>
  and(
    eq(passwordResets.tokenHash, hashLinkToken(token)),
    isNull(passwordResets.usedAt),
    gt(passwordResets.expiresAt, now),
  );

export async function isResetTokenOpen(db: Handle, token: string, now = new Date()): Promise<boolean> {
  return !!(await first(
    db.select({ id: passwordResets.id }).from(passwordResets).where(openResetLink(token, now)).limit(1),
  ));
}

/** Sets the new password, ends every open reset link and every session of the account. */
export async function resetPassword(
  db: Handle,
  token: string,
  password: string,
  now = new Date(),
): Promise<{ userId: string } | null> {
  // As for an invitation: the account's address first, then the hash, then the transaction.
  const open = await first(
    db
      .select({ email: users.email })
      .from(passwordResets)
      .innerJoin(users, eq(users.id, passwordResets.userId))
      .where(openResetLink(token, now))
      .limit(1),
  );
  if (!open) return null;
  const passwordHash = await hashNewPassword(password, open.email);
  const userId = await transaction(db, async (tx) => {
    const reset = await first(
      tx
        .select({ id: passwordResets.id, userId: passwordResets.userId })
        .from(passwordResets)
        .where(openResetLink(token, now))
        .limit(1),
    );
    if (!reset) return null;
    // Every open link of the account ends with this one: an older mail someone else can read
    // must not reset the password again.
    await tx
      .update(passwordResets)
      .set({ usedAt: now })
      .where(and(eq(passwordResets.userId, reset.userId), isNull(passwordResets.usedAt)));
    await tx.update(users).set({ passwordHash }).where(eq(users.id, reset.userId));
    return reset.userId;
  });
  if (!userId) return null;
  await invalidateUserSessions(db, userId);
  // The link proved the mailbox is the owner's: guessing that locked the account ends here.
  await clearThrottle(db, loginAccountKey(open.email));
  await clearThrottle(db, passwordChangeKey(userId));
  return { userId };
}

export type PasswordChange =
  | { ok: true }
  | { ok: false; reason: "wrong-password" }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

/**
 * Changing the password keeps the current session and ends all the others. The current password
 * is checked under the same throttle as sign-in, per user, so a borrowed or stolen session cannot
 * be used to guess it; a right one gives its attempt back.
 */
export async function changePassword(
  db: Handle,
  userId: string,
  currentSessionId: string,
  current: string,
  next: string,
  now = Date.now(),
): Promise<PasswordChange> {
  const key = passwordChangeKey(userId);
  const verdict = await hitThrottle(db, [[key, THROTTLE.passwordChange]], now);
  if (!verdict.allowed) return { ok: false, reason: "throttled", retryAfterSeconds: verdict.retryAfterSeconds };
  const row = await first(
    db
      .select({ email: users.email, passwordHash: users.passwordHash })
      .from(users)
      .where(eq(users.id, userId))
      .limit(1),
  );
  if (!row?.passwordHash || !(await verifyPassword(row.passwordHash, current)))
    return { ok: false, reason: "wrong-password" };
  await forgiveThrottle(db, key, THROTTLE.passwordChange, now);
  await db
    .update(users)
    .set({ passwordHash: await hashNewPassword(next, row.email) })
    .where(eq(users.id, userId));
  await invalidateUserSessions(db, userId, currentSessionId);
  return { ok: true };
}
