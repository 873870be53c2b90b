import { and, asc, eq, inArray } from "drizzle-orm";
import { db } from "~/db/connection.server";
import { newId } from "~/db/ids";
import { teamMembers, teams, users } from "~/db/schema";
import { NotInOrganizationError } from "./users.server";

export type TeamSummary = { id: string; name: string; managers: string[]; memberCount: number };

export function listTeams(orgId: string): TeamSummary[] {
  const rows = db().select({ id: teams.id, name: teams.name }).from(teams).where(eq(teams.orgId, orgId)).orderBy(asc(teams.name)).all();
  const members = db()
    .select({ teamId: teamMembers.teamId, role: teamMembers.role, name: users.name })
    .from(teamMembers)
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .where(eq(teamMembers.orgId, orgId))
    .all();
  return rows.map((t) => ({
    ...t,
    managers: members.filter((m) => m.teamId === t.id && m.role === "manager").map((m) => m.name),
    memberCount: members.filter((m) => m.teamId === t.id && m.role === "member").length,
  }));
}

export type TeamDetail = {
  id: string;
  name: string;
  people: Array<{ id: string; name: string; email: string; role: "member" | "manager" }>;
};

export function getTeam(orgId: string, teamId: string): TeamDetail | null {
  const team = db().select({ id: teams.id, name: teams.name }).from(teams).where(and(eq(teams.id, teamId), eq(teams.orgId, orgId))).get();
  if (!team) return null;
  const people = db()
    .select({ id: users.id, name: users.name, email: users.email, role: teamMembers.role })
    .from(teamMembers)
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.orgId, orgId)))
    .orderBy(asc(users.name))
    .all();
  return { ...team, people };
}

export class TeamNameTakenError extends Error {
  constructor(name: string) {
    super(`There is already a team called “${name}”.`);
  }
}

function nameTaken(orgId: string, name: string, exceptId?: string): boolean {
  const row = db().select({ id: teams.id }).from(teams).where(and(eq(teams.orgId, orgId), eq(teams.name, name))).get();
  return !!row && row.id !== exceptId;
}

export function createTeam(orgId: string, name: string): string {
  if (nameTaken(orgId, name)) throw new TeamNameTakenError(name);
  const id = newId();
  db().insert(teams).values({ id, orgId, name }).run();
  return id;
}

export function renameTeam(orgId: string, teamId: string, name: string): void {
  if (nameTaken(orgId, name, teamId)) throw new TeamNameTakenError(name);
  const result = db().update(teams).set({ name }).where(and(eq(teams.id, teamId), eq(teams.orgId, orgId))).run();
  if (result.changes === 0) throw new NotInOrganizationError();
}

function assertPeopleInOrg(orgId: string, userIds: string[]): void {
  if (userIds.length === 0) return;
  const found = db().select({ id: users.id }).from(users).where(and(eq(users.orgId, orgId), inArray(users.id, userIds))).all();
  if (found.length !== new Set(userIds).size) throw new NotInOrganizationError();
}

function assertTeamInOrg(orgId: string, teamId: string): void {
  if (!db().select({ id: teams.id }).from(teams).where(and(eq(teams.id, teamId), eq(teams.orgId, orgId))).get()) {
    throw new NotInOrganizationError();
  }
}

/** Replaces the people who hold `role` in a team (managers, or members). */
export function setTeamPeople(orgId: string, teamId: string, role: "member" | "manager", userIds: string[]): void {
  assertTeamInOrg(orgId, teamId);
  assertPeopleInOrg(orgId, userIds);
  const unique = [...new Set(userIds)];
  db().transaction((tx) => {
    tx.delete(teamMembers).where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.role, role))).run();
    if (unique.length) tx.insert(teamMembers).values(unique.map((userId) => ({ orgId, teamId, userId, role }))).run();
  });
}

export function addTeamPerson(orgId: string, teamId: string, userId: string, role: "member" | "manager"): void {
  assertTeamInOrg(orgId, teamId);
  assertPeopleInOrg(orgId, [userId]);
  db().insert(teamMembers).values({ orgId, teamId, userId, role }).onConflictDoNothing().run();
}

export function removeTeamPerson(orgId: string, teamId: string, userId: string, role: "member" | "manager"): void {
  assertTeamInOrg(orgId, teamId);
  db()
    .delete(teamMembers)
    .where(and(eq(teamMembers.orgId, orgId), eq(teamMembers.teamId, teamId), eq(teamMembers.userId, userId), eq(teamMembers.role, role)))
    .run();
}

/** The teams a manager manages: the scope of everything they may see about reps. */
export function managedTeamIds(orgId: string, userId: string): string[] {
  return db()
    .select({ teamId: teamMembers.teamId })
    .from(teamMembers)
    .where(and(eq(teamMembers.orgId, orgId), eq(teamMembers.userId, userId), eq(teamMembers.role, "manager")))
    .all()
    .map((r) => r.teamId);
}

/**
 * The one definition of a manager's scope: the reps who are members of any team the manager
 * manages. Everything a manager may see about reps goes through this.
 */
export function repsManagedBy(orgId: string, managerId: string): string[] {
  const teamIds = managedTeamIds(orgId, managerId);
  if (teamIds.length === 0) return [];
  return [
    ...new Set(
      db()
        .select({ userId: teamMembers.userId })
        .from(teamMembers)
        .where(and(eq(teamMembers.orgId, orgId), eq(teamMembers.role, "member"), inArray(teamMembers.teamId, teamIds)))
        .all()
        .map((r) => r.userId),
    ),
  ];
}
