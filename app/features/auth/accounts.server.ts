// Signing in, invitations and passwords: the flows that create or change credentials.
import { and, eq, gt, isNull } from "drizzle-orm";
import { db } from "~/db/connection.server";
import { newId } from "~/db/ids";
import { invitations, organizations, passwordResets, teamMembers, teams, userRoles, users, type Role } from "~/db/schema";
import { appUrl, queueMail } from "~/features/mail/mailer.server";
import { findUserByEmail, NotInOrganizationError } from "~/features/people/users.server";
import { burnPasswordCheck, hashPassword, verifyPassword } from "./password.server";
import { invalidateUserSessions } from "./sessions.server";
import { hashLinkToken, newLinkToken } from "./tokens.server";

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
export const RESET_TTL_MS = 60 * 60 * 1000;

/** Same answer, and about the same time, for an unknown e-mail and a wrong password. */
export async function authenticate(email: string, password: string): Promise<{ userId: string } | null> {
  const user = findUserByEmail(email);
  if (!user || !user.passwordHash || !user.active) {
    await burnPasswordCheck(password);
    return null;
  }
  return (await verifyPassword(user.passwordHash, password)) ? { userId: user.id } : null;
}

export class AlreadyAMemberError extends Error {
  constructor(email: string) {
    super(`${email} already has a Flywheel account.`);
  }
}

export function inviteUser(
  request: Request,
  input: { orgId: string; invitedBy: string; email: string; roles: Role[]; teamId: string | null },
): void {
  if (findUserByEmail(input.email)) throw new AlreadyAMemberError(input.email);
  if (input.teamId) {
    const team = db().select({ id: teams.id }).from(teams).where(and(eq(teams.id, input.teamId), eq(teams.orgId, input.orgId))).get();
    if (!team) throw new NotInOrganizationError();
  }
  const org = db().select({ name: organizations.name }).from(organizations).where(eq(organizations.id, input.orgId)).get();
  const { token, hash } = newLinkToken();
  db()
    .insert(invitations)
    .values({
      id: newId(),
      orgId: input.orgId,
      email: input.email,
      roles: input.roles,
      teamId: input.teamId,
      tokenHash: hash,
      invitedBy: input.invitedBy,
      expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
    })
    .run();
  queueMail({
    orgId: input.orgId,
    to: input.email,
    subject: `You're invited to ${org?.name ?? "Flywheel"} on Flywheel`,
    text: [
      `You have been invited to join ${org?.name ?? "your team"} on Flywheel, where your team practices questioning, listening and negotiation a few minutes a day.`,
      "",
      `Accept the invitation and choose your password (the link works once, for 7 days):`,
      appUrl(request, `/invite/${token}`),
    ].join("\n"),
  });
}

export function findOpenInvitation(token: string, now = new Date()) {
  return db()
    .select({ id: invitations.id, orgId: invitations.orgId, email: invitations.email, roles: invitations.roles, teamId: invitations.teamId, orgName: organizations.name })
    .from(invitations)
    .innerJoin(organizations, eq(organizations.id, invitations.orgId))
    .where(and(eq(invitations.tokenHash, hashLinkToken(token)), isNull(invitations.acceptedAt), gt(invitations.expiresAt, now)))
    .get();
}

/** Accepting creates the account; the invitation is marked used in the same transaction. */
export async function acceptInvitation(token: string, input: { name: string; password: string }): Promise<{ userId: string } | null> {
  const passwordHash = await hashPassword(input.password);
  return db().transaction((tx) => {
    const invite = tx
      .select({ id: invitations.id, orgId: invitations.orgId, email: invitations.email, roles: invitations.roles, teamId: invitations.teamId })
      .from(invitations)
      .where(and(eq(invitations.tokenHash, hashLinkToken(token)), isNull(invitations.acceptedAt), gt(invitations.expiresAt, new Date())))
      .get();
    if (!invite) return null;
    if (tx.select({ id: users.id }).from(users).where(eq(users.email, invite.email)).get()) return null;
    const userId = newId();
    tx.insert(users).values({ id: userId, orgId: invite.orgId, email: invite.email, name: input.name, passwordHash }).run();
    if (invite.roles.length) tx.insert(userRoles).values(invite.roles.map((role) => ({ orgId: invite.orgId, userId, role }))).run();
    if (invite.teamId) tx.insert(teamMembers).values({ orgId: invite.orgId, teamId: invite.teamId, userId, role: "member" }).run();
    tx.update(invitations).set({ acceptedAt: new Date() }).where(eq(invitations.id, invite.id)).run();
    return { userId };
  });
}

/** Always looks the same to the caller, so the form cannot be used to find accounts. */
export function requestPasswordReset(request: Request, email: string): void {
  const user = findUserByEmail(email);
  if (!user || !user.active) return;
  const { token, hash } = newLinkToken();
  db()
    .insert(passwordResets)
    .values({ id: newId(), userId: user.id, tokenHash: hash, expiresAt: new Date(Date.now() + RESET_TTL_MS) })
    .run();
  queueMail({
    orgId: user.orgId,
    to: user.email,
    subject: "Reset your Flywheel password",
    text: [
      `Hi ${user.name},`,
      "",
      "Someone (hopefully you) asked to reset your Flywheel password. Choose a new one here; the link works once, for one hour:",
      appUrl(request, `/reset-password/${token}`),
      "",
      "If it wasn't you, ignore this e-mail: your password stays as it is.",
    ].join("\n"),
  });
}

export function isResetTokenOpen(token: string, now = new Date()): boolean {
  return !!db()
    .select({ id: passwordResets.id })
    .from(passwordResets)
    .where(and(eq(passwordResets.tokenHash, hashLinkToken(token)), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, now)))
    .get();
}

/** Sets the new password, uses up the token and ends every session of the account. */
export async function resetPassword(token: string, password: string): Promise<{ userId: string } | null> {
  const passwordHash = await hashPassword(password);
  const userId = db().transaction((tx) => {
    const reset = tx
      .select({ id: passwordResets.id, userId: passwordResets.userId })
      .from(passwordResets)
      .where(and(eq(passwordResets.tokenHash, hashLinkToken(token)), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, new Date())))
      .get();
    if (!reset) return null;
    tx.update(passwordResets).set({ usedAt: new Date() }).where(eq(passwordResets.id, reset.id)).run();
    tx.update(users).set({ passwordHash }).where(eq(users.id, reset.userId)).run();
    return reset.userId;
  });
  if (!userId) return null;
  invalidateUserSessions(userId);
  return { userId };
}

/** Changing the password keeps the current session and ends all the others. */
export async function changePassword(userId: string, currentSessionId: string, current: string, next: string): Promise<boolean> {
  const row = db().select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId)).get();
  if (!row?.passwordHash || !(await verifyPassword(row.passwordHash, current))) return false;
  db().update(users).set({ passwordHash: await hashPassword(next) }).where(eq(users.id, userId)).run();
  invalidateUserSessions(userId, currentSessionId);
  return true;
}
