// Whose data a dashboard may show: a manager's own teams, or an admin's whole organization.
// One function decides; every insights query takes its result.
import { and, asc, eq, inArray, sql, type SQL, type SQLWrapper } from "drizzle-orm";
import { data } from "react-router";
import type { Handle } from "~/db/connection.server";
import { inList, withoutIndex } from "~/db/dialect";
import { teamMembers, teams, userRoles, users } from "~/db/schema";
import type { SessionUser } from "~/features/auth/sessions.server";
import { log } from "~/shared/log.server";

export type InsightsScope = {
  orgId: string;
  wholeOrg: boolean;
  teams: Array<{ id: string; name: string }>;
  /** The team filter in force, if any. */
  teamId: string | null;
  /** The teams whose reps are shown. */
  teamIds: string[];
  repIds: string[];
};

export async function insightsScope(
  db: Handle,
  user: Pick<SessionUser, "id" | "orgId" | "roles">,
  teamFilter: string | null,
): Promise<InsightsScope> {
  const isAdmin = user.roles.includes("admin");
  // The teams the user may see, with their names, in one read: every team of the organization
  // for an admin, the teams they manage for a manager.
  const teamList = await allowedTeams(db, user, isAdmin);
  const allowedTeamIds = teamList.map((t) => t.id);
  if (!isAdmin && allowedTeamIds.length === 0)
    throw data(
      { message: "You don't manage a team yet. Ask your admin to add you as a team's manager." },
      { status: 403 },
    );
  if (teamFilter && !allowedTeamIds.includes(teamFilter)) {
    log.warn({ userId: user.id, teamFilter }, "authorization refused: insights for a team outside the user's scope");
    throw data({ message: "That team is not one of yours." }, { status: 404 });
  }
  const shownTeams = teamFilter ? [teamFilter] : allowedTeamIds;
  const wholeOrg = isAdmin && !teamFilter;
  const repIds = wholeOrg ? await activeReps(db, user.orgId) : await activeMembers(db, user.orgId, shownTeams);
  return { orgId: user.orgId, wholeOrg, teams: teamList, teamId: teamFilter, teamIds: shownTeams, repIds };
}

async function allowedTeams(
  db: Handle,
  user: Pick<SessionUser, "id" | "orgId">,
  isAdmin: boolean,
): Promise<Array<{ id: string; name: string }>> {
  const columns = { id: teams.id, name: teams.name };
  if (isAdmin) return db.select(columns).from(teams).where(eq(teams.orgId, user.orgId)).orderBy(asc(teams.name));
  // The same rows as managedTeamIds (people/teams.server.ts), with the teams' names.
  return db
    .select(columns)
    .from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .where(and(eq(teamMembers.orgId, user.orgId), eq(teamMembers.userId, user.id), eq(teamMembers.role, "manager")))
    .orderBy(asc(teams.name));
}

/** Every active rep of the organization. */
async function activeReps(db: Handle, orgId: string): Promise<string[]> {
  const list = await db
    .select({ id: users.id })
    .from(users)
    .innerJoin(userRoles, and(eq(userRoles.userId, users.id), eq(userRoles.role, "rep")))
    .where(and(eq(users.orgId, orgId), eq(users.active, true)));
  return list.map((r) => r.id);
}

/** The active members of the teams (a rep in two of them once). */
async function activeMembers(db: Handle, orgId: string, teamIds: string[]): Promise<string[]> {
  if (teamIds.length === 0) return [];
  const list = await db
    .select({ id: teamMembers.userId })
    .from(teamMembers)
    .innerJoin(users, and(eq(users.id, teamMembers.userId), eq(users.active, true)))
    .where(and(eq(teamMembers.orgId, orgId), eq(teamMembers.role, "member"), inArray(teamMembers.teamId, teamIds)));
  return [...new Set(list.map((r) => r.id))];
}

/**
 * `column in (the scope's reps)`, as SQL; an empty scope matches nothing. A team scope passes its
 * reps as one JSON list (read once, by insightsScope), so each read starts from the reps' own
 * index ranges; the whole organization's is a subquery, or nothing at all for the roll-ups.
 */
export function inScope(column: SQLWrapper, scope: InsightsScope, options: { learnerRows?: boolean } = {}): SQL {
  // Conditions that are always false / true, written so both engines read them as booleans.
  if (scope.repIds.length === 0) return sql`1 = 0`;
  if (!scope.wholeOrg) return inList(column, scope.repIds);
  // Roll-ups of learning (daily activity, boosts, retention) hold only learners' rows: for the
  // whole organization the org_id filter beside this one is the scope.
  if (options.learnerRows) return sql`1 = 1`;
  return sql`${column} in (select ${users.id} from ${users} join ${userRoles} on ${userRoles.userId} = ${users.id} and ${userRoles.role} = 'rep' where ${users.orgId} = ${scope.orgId} and ${eq(users.active, true)})`;
}

/**
 * `column = the scope's organization`, for the roll-ups of learning. For a team scope it is
 * written `+column` on SQLite (withoutIndex), which keeps the filter but stops SQLite from
 * walking the organization's index (every rep's rows): it starts from the team's reps (inScope)
 * and their own index.
 */
export function inOrg(column: SQLWrapper, scope: InsightsScope): SQL {
  return scope.wholeOrg ? sql`${column} = ${scope.orgId}` : sql`${withoutIndex(column)} = ${scope.orgId}`;
}
