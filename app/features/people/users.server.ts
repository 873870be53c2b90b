// Users of one organization. Every function takes the caller's orgId and filters by it, so
// an ID from a URL can never reach another organization's people.
import { and, asc, eq, inArray } from "drizzle-orm";
import { db } from "~/db/connection.server";
import { teamMembers, teams, userRoles, users, type Role } from "~/db/schema";
import { invalidateUserSessions } from "~/features/auth/sessions.server";

export type PersonRow = {
  id: string;
  name: string;
  email: string;
  active: boolean;
  roles: Role[];
  teams: Array<{ id: string; name: string; role: "member" | "manager" }>;
};

export function listPeople(orgId: string): PersonRow[] {
  const people = db()
    .select({ id: users.id, name: users.name, email: users.email, active: users.active })
    .from(users)
    .where(eq(users.orgId, orgId))
    .orderBy(asc(users.name))
    .all();
  const roles = db().select({ userId: userRoles.userId, role: userRoles.role }).from(userRoles).where(eq(userRoles.orgId, orgId)).all();
  const memberships = db()
    .select({ userId: teamMembers.userId, id: teams.id, name: teams.name, role: teamMembers.role })
    .from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .where(eq(teamMembers.orgId, orgId))
    .orderBy(asc(teams.name))
    .all();
  return people.map((p) => ({
    ...p,
    roles: roles.filter((r) => r.userId === p.id).map((r) => r.role),
    teams: memberships.filter((m) => m.userId === p.id).map(({ id, name, role }) => ({ id, name, role })),
  }));
}

export function getPerson(orgId: string, userId: string): PersonRow | null {
  return listPeople(orgId).find((p) => p.id === userId) ?? null;
}

export function findUserByEmail(email: string) {
  return db()
    .select({ id: users.id, orgId: users.orgId, name: users.name, email: users.email, passwordHash: users.passwordHash, active: users.active })
    .from(users)
    .where(eq(users.email, email.trim().toLowerCase()))
    .get();
}

function assertInOrg(orgId: string, userId: string): void {
  const found = db().select({ id: users.id }).from(users).where(and(eq(users.id, userId), eq(users.orgId, orgId))).get();
  if (!found) throw new NotInOrganizationError();
}

export class NotInOrganizationError extends Error {
  constructor() {
    super("That person or team is not in your organization.");
  }
}

export function setRoles(orgId: string, userId: string, roles: Role[]): void {
  assertInOrg(orgId, userId);
  db().transaction((tx) => {
    tx.delete(userRoles).where(and(eq(userRoles.userId, userId), eq(userRoles.orgId, orgId))).run();
    if (roles.length) tx.insert(userRoles).values(roles.map((role) => ({ orgId, userId, role }))).run();
  });
}

/** Moves a person: their team memberships (as a member) become exactly `teamIds`. */
export function setMemberTeams(orgId: string, userId: string, teamIds: string[]): void {
  assertInOrg(orgId, userId);
  const valid = teamIds.length
    ? db().select({ id: teams.id }).from(teams).where(and(eq(teams.orgId, orgId), inArray(teams.id, teamIds))).all()
    : [];
  if (valid.length !== new Set(teamIds).size) throw new NotInOrganizationError();
  db().transaction((tx) => {
    tx.delete(teamMembers)
      .where(and(eq(teamMembers.orgId, orgId), eq(teamMembers.userId, userId), eq(teamMembers.role, "member")))
      .run();
    if (valid.length) tx.insert(teamMembers).values(valid.map((t) => ({ orgId, teamId: t.id, userId, role: "member" as const }))).run();
  });
}

/** Deactivation keeps the person's history but ends every session at once. */
export function setActive(orgId: string, userId: string, active: boolean): void {
  assertInOrg(orgId, userId);
  db().update(users).set({ active }).where(and(eq(users.id, userId), eq(users.orgId, orgId))).run();
  if (!active) invalidateUserSessions(userId);
}
