import { and, asc, eq, inArray } from "drizzle-orm";
import { changedRows, first, transaction, type Handle } from "~/db/connection.server";
import { newId } from "~/db/ids";
import { teamMembers, teams, users } from "~/db/schema";
import { recordAudit, type AuditActor } from "~/features/audit/audit.server";
import { notInOrganization } from "~/features/auth/access";
import { Refusal } from "~/features/refusal";

export type TeamSummary = { id: string; name: string; managers: string[]; memberCount: number };

export async function listTeams(db: Handle, orgId: string): Promise<TeamSummary[]> {
  const rows = await db
    .select({ id: teams.id, name: teams.name })
    .from(teams)
    .where(eq(teams.orgId, orgId))
    .orderBy(asc(teams.name));
  const members = await db
    .select({ teamId: teamMembers.teamId, role: teamMembers.role, name: users.name })
    .from(teamMembers)
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .where(eq(teamMembers.orgId, orgId));
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

export async function getTeam(db: Handle, orgId: string, teamId: string): Promise<TeamDetail | null> {
  const team = await first(
    db
      .select({ id: teams.id, name: teams.name })
      .from(teams)
      .where(and(eq(teams.id, teamId), eq(teams.orgId, orgId)))
      .limit(1),
  );
  if (!team) return null;
  const people = await db
    .select({ id: users.id, name: users.name, email: users.email, role: teamMembers.role })
    .from(teamMembers)
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.orgId, orgId)))
    .orderBy(asc(users.name));
  return { ...team, people };
}

const teamNameTaken = (name: string) => new Refusal(`There is already a team called “${name}”.`, 400, "name");

async function nameTaken(db: Handle, orgId: string, name: string, exceptId?: string): Promise<boolean> {
  const row = await first(
    db
      .select({ id: teams.id })
      .from(teams)
      .where(and(eq(teams.orgId, orgId), eq(teams.name, name)))
      .limit(1),
  );
  return !!row && row.id !== exceptId;
}

export async function createTeam(db: Handle, orgId: string, name: string, by: AuditActor, now: Date): Promise<string> {
  if (await nameTaken(db, orgId, name)) throw teamNameTaken(name);
  const id = newId();
  await transaction(db, async (tx) => {
    await tx.insert(teams).values({ id, orgId, name });
    await recordAudit(
      tx,
      orgId,
      by,
      { action: "team.created", subjectType: "team", subjectId: id, subjectLabel: name },
      now,
    );
  });
  return id;
}

export async function renameTeam(
  db: Handle,
  orgId: string,
  teamId: string,
  name: string,
  by: AuditActor,
  now: Date,
): Promise<void> {
  if (await nameTaken(db, orgId, name, teamId)) throw teamNameTaken(name);
  const team = await teamInOrg(db, orgId, teamId);
  if (team.name === name) return;
  await transaction(db, async (tx) => {
    const result = await tx
      .update(teams)
      .set({ name })
      .where(and(eq(teams.id, teamId), eq(teams.orgId, orgId)));
    if (changedRows(result) === 0) throw notInOrganization();
    await recordAudit(
      tx,
      orgId,
      by,
      {
        action: "team.renamed",
        subjectType: "team",
        subjectId: teamId,
        subjectLabel: name,
        details: { name: { from: team.name, to: name } },
      },
      now,
    );
  });
}

async function assertPeopleInOrg(db: Handle, orgId: string, userIds: string[]): Promise<void> {
  if (userIds.length === 0) return;
  const found = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.orgId, orgId), inArray(users.id, userIds)));
  if (found.length !== new Set(userIds).size) throw notInOrganization();
}

/** The team, if it is in the organization; refused otherwise. */
async function teamInOrg(db: Handle, orgId: string, teamId: string): Promise<{ id: string; name: string }> {
  const team = await first(
    db
      .select({ id: teams.id, name: teams.name })
      .from(teams)
      .where(and(eq(teams.id, teamId), eq(teams.orgId, orgId)))
      .limit(1),
  );
  if (!team) throw notInOrganization();
  return team;
}

/** The e-mail addresses of people of the organization, for what an audit event names. */
async function emailsOf(db: Handle, orgId: string, userIds: string[]): Promise<string[]> {
  if (userIds.length === 0) return [];
  const rows = await db
    .select({ email: users.email })
    .from(users)
    .where(and(eq(users.orgId, orgId), inArray(users.id, userIds)));
  return rows.map((r) => r.email).sort();
}

/**
 * Replaces the people who hold `role` in a team (managers, or members). Only what changed is
 * written: those who stay keep when they joined.
 */
export async function setTeamPeople(
  db: Handle,
  orgId: string,
  teamId: string,
  role: "member" | "manager",
  userIds: string[],
  by: AuditActor,
  now: Date,
): Promise<void> {
  const team = await teamInOrg(db, orgId, teamId);
  const unique = [...new Set(userIds)];
  await assertPeopleInOrg(db, orgId, unique);
  await transaction(db, async (tx) => {
    const holders = and(eq(teamMembers.teamId, teamId), eq(teamMembers.role, role));
    const current = new Set(
      (await tx.select({ userId: teamMembers.userId }).from(teamMembers).where(holders)).map((r) => r.userId),
    );
    const wanted = new Set(unique);
    const leaving = [...current].filter((id) => !wanted.has(id));
    const joining = unique.filter((id) => !current.has(id));
    if (leaving.length) await tx.delete(teamMembers).where(and(holders, inArray(teamMembers.userId, leaving)));
    if (joining.length) await tx.insert(teamMembers).values(joining.map((userId) => ({ orgId, teamId, userId, role })));
    if (leaving.length || joining.length)
      await recordAudit(
        tx,
        orgId,
        by,
        {
          action: role === "manager" ? "team.managers-changed" : "team.members-changed",
          subjectType: "team",
          subjectId: teamId,
          subjectLabel: team.name,
          details: {
            [role === "manager" ? "managers" : "members"]: {
              from: await emailsOf(tx, orgId, [...current]),
              to: await emailsOf(tx, orgId, unique),
            },
          },
        },
        now,
      );
  });
}

/**
 * Adds several people to a team as members, checked as one set: everyone must be an active person
 * of the organization, or nobody is added. Those already members stay as they were (their
 * joined-at time too). Returns how many joined.
 */
export async function addTeamMembers(
  db: Handle,
  orgId: string,
  teamId: string,
  userIds: string[],
  by: AuditActor,
  now: Date,
): Promise<number> {
  const team = await teamInOrg(db, orgId, teamId);
  const unique = [...new Set(userIds)];
  if (unique.length === 0) throw new Refusal("Tick at least one person to add.", 400, "userIds");
  const found = await db
    .select({ id: users.id, name: users.name, email: users.email, active: users.active })
    .from(users)
    .where(and(eq(users.orgId, orgId), inArray(users.id, unique)));
  if (found.length !== unique.length) throw notInOrganization("userIds");
  const inactive = found.find((p) => !p.active);
  if (inactive) throw new Refusal(`${inactive.name} is deactivated: reactivate them first.`, 400, "userIds");
  return transaction(db, async (tx) => {
    const already = new Set(
      (
        await tx
          .select({ userId: teamMembers.userId })
          .from(teamMembers)
          .where(
            and(eq(teamMembers.teamId, teamId), eq(teamMembers.role, "member"), inArray(teamMembers.userId, unique)),
          )
      ).map((r) => r.userId),
    );
    const joining = unique.filter((id) => !already.has(id));
    if (joining.length) {
      await tx
        .insert(teamMembers)
        .values(joining.map((userId) => ({ orgId, teamId, userId, role: "member" as const })));
      const emails = new Map(found.map((p) => [p.id, p.email]));
      await recordAudit(
        tx,
        orgId,
        by,
        {
          action: "team.members-added",
          subjectType: "team",
          subjectId: teamId,
          subjectLabel: team.name,
          details: { added: joining.map((id) => emails.get(id)!).sort() },
        },
        now,
      );
    }
    return joining.length;
  });
}

export async function removeTeamPerson(
  db: Handle,
  orgId: string,
  teamId: string,
  userId: string,
  role: "member" | "manager",
  by: AuditActor,
  now: Date,
): Promise<void> {
  const team = await teamInOrg(db, orgId, teamId);
  await transaction(db, async (tx) => {
    const result = await tx
      .delete(teamMembers)
      .where(
        and(
          eq(teamMembers.orgId, orgId),
          eq(teamMembers.teamId, teamId),
          eq(teamMembers.userId, userId),
          eq(teamMembers.role, role),
        ),
      );
    if (changedRows(result) === 0) return;
    const [email] = await emailsOf(tx, orgId, [userId]);
    await recordAudit(
      tx,
      orgId,
      by,
      {
        action: "team.member-removed",
        subjectType: "team",
        subjectId: teamId,
        subjectLabel: team.name,
        details: { removed: email ?? userId, as: role },
      },
      now,
    );
  });
}

/** The teams a manager manages: the scope of everything they may see about reps. */
export async function managedTeamIds(db: Handle, orgId: string, userId: string): Promise<string[]> {
  const rows = await db
    .select({ teamId: teamMembers.teamId })
    .from(teamMembers)
    .where(and(eq(teamMembers.orgId, orgId), eq(teamMembers.userId, userId), eq(teamMembers.role, "manager")));
  return rows.map((r) => r.teamId);
}

/**
 * The one definition of a manager's scope: the reps who are members of any team the manager
 * manages. Everything a manager may see about reps goes through this.
 */
export async function repsManagedBy(db: Handle, orgId: string, managerId: string): Promise<string[]> {
  const teamIds = await managedTeamIds(db, orgId, managerId);
  if (teamIds.length === 0) return [];
  const rows = await db
    .select({ userId: teamMembers.userId })
    .from(teamMembers)
    .where(and(eq(teamMembers.orgId, orgId), eq(teamMembers.role, "member"), inArray(teamMembers.teamId, teamIds)));
  return [...new Set(rows.map((r) => r.userId))];
}
