// Users of one organization. Every function takes the caller's orgId and filters by it, so
// an ID from a URL can never reach another organization's people.
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { first, transaction, type Handle } from "~/db/connection.server";
import { ssoIdentities, teamMembers, teams, userRoles, users, type Role } from "~/db/schema";
import { recordAudit, type AuditActor } from "~/features/audit/audit.server";
import { notInOrganization } from "~/features/auth/access";
import { invalidateUserSessions } from "~/features/auth/sessions.server";
import { Refusal } from "~/features/refusal";

export type PersonRow = {
  id: string;
  name: string;
  email: string;
  active: boolean;
  /** Has signed in or can: a password is set, or single sign-on has linked the account. */
  joined: boolean;
  roles: Role[];
  teams: Array<{ id: string; name: string; role: "member" | "manager" }>;
};

export async function listPeople(db: Handle, orgId: string): Promise<PersonRow[]> {
  const people = await db
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      active: users.active,
      joined: sql<boolean>`${users.passwordHash} is not null or ${ssoIdentities.userId} is not null`.mapWith(Boolean),
    })
    .from(users)
    .leftJoin(ssoIdentities, eq(ssoIdentities.userId, users.id))
    .where(eq(users.orgId, orgId))
    .orderBy(asc(users.name));
  const roles = await db
    .select({ userId: userRoles.userId, role: userRoles.role })
    .from(userRoles)
    .where(eq(userRoles.orgId, orgId));
  const memberships = await db
    .select({ userId: teamMembers.userId, id: teams.id, name: teams.name, role: teamMembers.role })
    .from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .where(eq(teamMembers.orgId, orgId))
    .orderBy(asc(teams.name));
  return people.map((p) => ({
    ...p,
    roles: roles.filter((r) => r.userId === p.id).map((r) => r.role),
    teams: memberships.filter((m) => m.userId === p.id).map(({ id, name, role }) => ({ id, name, role })),
  }));
}

export async function getPerson(db: Handle, orgId: string, userId: string): Promise<PersonRow | null> {
  return (await listPeople(db, orgId)).find((p) => p.id === userId) ?? null;
}

/** The person, if they are in the organization; refused otherwise. */
async function personInOrg(db: Handle, orgId: string, userId: string) {
  const found = await first(
    db
      .select({ id: users.id, email: users.email, active: users.active })
      .from(users)
      .where(and(eq(users.id, userId), eq(users.orgId, orgId)))
      .limit(1),
  );
  if (!found) throw notInOrganization();
  return found;
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((item) => b.includes(item));

/**
 * Roles are a set: a role named twice is held once (the key is user and role). At least one: a
 * person with none has no page of their own, no navigation and no home to return to.
 */
export async function setRoles(
  db: Handle,
  orgId: string,
  userId: string,
  roles: Role[],
  by: AuditActor,
  now: Date,
): Promise<void> {
  const person = await personInOrg(db, orgId, userId);
  const unique = [...new Set(roles)];
  if (unique.length === 0)
    throw new Refusal("Pick at least one role: someone with none has nothing to open.", 400, "roles");
  await transaction(db, async (tx) => {
    const mine = and(eq(userRoles.userId, userId), eq(userRoles.orgId, orgId));
    const before = (await tx.select({ role: userRoles.role }).from(userRoles).where(mine)).map((r) => r.role);
    if (sameSet(before, unique)) return;
    await tx.delete(userRoles).where(mine);
    await tx.insert(userRoles).values(unique.map((role) => ({ orgId, userId, role })));
    await recordAudit(
      tx,
      orgId,
      by,
      {
        action: "person.roles-changed",
        subjectType: "user",
        subjectId: userId,
        subjectLabel: person.email,
        details: { roles: { from: before.sort(), to: [...unique].sort() } },
      },
      now,
    );
  });
}

/**
 * Moves a person: their team memberships (as a member) become exactly `teamIds`. Only what
 * changed is written, so a team they stay in keeps when they joined it (which decides what they
 * owe of its assignments, decision 019).
 */
export async function setMemberTeams(
  db: Handle,
  orgId: string,
  userId: string,
  teamIds: string[],
  by: AuditActor,
  now: Date,
): Promise<void> {
  const person = await personInOrg(db, orgId, userId);
  const unique = [...new Set(teamIds)];
  const valid = unique.length
    ? await db
        .select({ id: teams.id, name: teams.name })
        .from(teams)
        .where(and(eq(teams.orgId, orgId), inArray(teams.id, unique)))
    : [];
  if (valid.length !== unique.length) throw notInOrganization();
  await transaction(db, async (tx) => {
    const mine = and(eq(teamMembers.orgId, orgId), eq(teamMembers.userId, userId), eq(teamMembers.role, "member"));
    const current = new Set(
      (await tx.select({ teamId: teamMembers.teamId }).from(teamMembers).where(mine)).map((r) => r.teamId),
    );
    const wanted = new Set(valid.map((t) => t.id));
    const leaving = [...current].filter((id) => !wanted.has(id));
    const joining = [...wanted].filter((id) => !current.has(id));
    if (leaving.length) await tx.delete(teamMembers).where(and(mine, inArray(teamMembers.teamId, leaving)));
    if (joining.length)
      await tx
        .insert(teamMembers)
        .values(joining.map((teamId) => ({ orgId, teamId, userId, role: "member" as const })));
    if (leaving.length || joining.length) {
      const names = new Map(
        (
          await tx
            .select({ id: teams.id, name: teams.name })
            .from(teams)
            .where(and(eq(teams.orgId, orgId), inArray(teams.id, [...current, ...wanted])))
        ).map((t) => [t.id, t.name]),
      );
      const namesOf = (ids: Iterable<string>) => [...ids].map((id) => names.get(id) ?? id).sort();
      await recordAudit(
        tx,
        orgId,
        by,
        {
          action: "person.teams-changed",
          subjectType: "user",
          subjectId: userId,
          subjectLabel: person.email,
          details: { "member of": { from: namesOf(current), to: namesOf(wanted) } },
        },
        now,
      );
    }
  });
}

/** Deactivation keeps the person's history but ends every session at once. */
export async function setActive(
  db: Handle,
  orgId: string,
  userId: string,
  active: boolean,
  by: AuditActor,
  now: Date,
): Promise<void> {
  const person = await personInOrg(db, orgId, userId);
  await transaction(db, async (tx) => {
    await tx
      .update(users)
      .set({ active })
      .where(and(eq(users.id, userId), eq(users.orgId, orgId)));
    if (person.active !== active)
      await recordAudit(
        tx,
        orgId,
        by,
        {
          action: active ? "person.reactivated" : "person.deactivated",
          subjectType: "user",
          subjectId: userId,
          subjectLabel: person.email,
        },
        now,
      );
  });
  if (!active) await invalidateUserSessions(db, userId);
}
