// SCIM Groups are the organization's teams (decision 034): displayName is the team's name and
// members are its members (the "member" place; managers come from the users' enterprise manager).
// DELETE empties the team rather than deleting it: assignments made to it keep their history.
import { and, asc, count, eq, exists, inArray, sql, type SQL } from "drizzle-orm";
import { first, transaction, type Handle } from "~/db/connection.server";
import { scimUsers, teamMembers, teams, users } from "~/db/schema";
import type { AuditActor } from "~/features/audit/audit.server";
import { createTeam, renameTeam, setTeamPeople } from "~/features/people/teams.server";
import { appUrl } from "~/shared/app-origin.server";
import { SCIM_BASE_PATH } from "./discovery.server";
import { memberInPath, type GroupFilter } from "./filter";
import type { PatchOperation } from "./patch";
import { attribute, readObject, readString, SCHEMA, ScimError } from "./protocol";
import { placeManager } from "./users.server";

export type ScimTeam = {
  id: string;
  name: string;
  createdAt: Date;
  members: Array<{ id: string; name: string }>;
};

/** Most members a group may list in one request: a team is a sales team, not the whole company. */
export const MAX_MEMBERS = 5_000;

async function membersOf(db: Handle, orgId: string, teamIds: string[]) {
  if (teamIds.length === 0) return new Map<string, ScimTeam["members"]>();
  const rows = await db
    .select({ teamId: teamMembers.teamId, id: users.id, name: users.name })
    .from(teamMembers)
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .where(and(eq(teamMembers.orgId, orgId), eq(teamMembers.role, "member"), inArray(teamMembers.teamId, teamIds)))
    .orderBy(asc(users.createdAt), asc(users.id));
  const byTeam = new Map<string, ScimTeam["members"]>();
  for (const { teamId, ...member } of rows) byTeam.set(teamId, [...(byTeam.get(teamId) ?? []), member]);
  return byTeam;
}

function filterCondition(db: Handle, filter: GroupFilter | null): SQL | undefined {
  if (!filter) return undefined;
  if (filter.member !== undefined)
    return and(
      eq(teams.id, filter.value),
      exists(
        db
          .select({ one: sql`1` })
          .from(teamMembers)
          .where(
            and(
              eq(teamMembers.teamId, teams.id),
              eq(teamMembers.userId, filter.member),
              eq(teamMembers.role, "member"),
            ),
          ),
      ),
    );
  if (filter.attribute === "id") return eq(teams.id, filter.value);
  // displayName is compared as SCIM says for a caseExact=false attribute.
  return sql`lower(${teams.name}) = ${filter.value.trim().toLowerCase()}`;
}

export async function listScimGroups(
  db: Handle,
  orgId: string,
  filter: GroupFilter | null,
  page: { startIndex: number; count: number },
  withMembers: boolean,
): Promise<{ teams: ScimTeam[]; total: number }> {
  const where = and(eq(teams.orgId, orgId), filterCondition(db, filter));
  const [{ total } = { total: 0 }] = await db.select({ total: count() }).from(teams).where(where);
  const rows =
    page.count === 0
      ? []
      : await db
          .select({ id: teams.id, name: teams.name, createdAt: teams.createdAt })
          .from(teams)
          .where(where)
          .orderBy(asc(teams.createdAt), asc(teams.id))
          .limit(page.count)
          .offset(page.startIndex - 1);
  const members = withMembers
    ? await membersOf(
        db,
        orgId,
        rows.map((t) => t.id),
      )
    : new Map();
  return { teams: rows.map((t) => ({ ...t, members: members.get(t.id) ?? [] })), total: Number(total) };
}

export async function requireScimGroup(db: Handle, orgId: string, teamId: string): Promise<ScimTeam> {
  const team = await first(
    db
      .select({ id: teams.id, name: teams.name, createdAt: teams.createdAt })
      .from(teams)
      .where(and(eq(teams.id, teamId), eq(teams.orgId, orgId)))
      .limit(1),
  );
  if (!team) throw new ScimError(404, `There is no group with id “${teamId}”.`);
  return { ...team, members: (await membersOf(db, orgId, [team.id])).get(team.id) ?? [] };
}

const url = (path: string, id: string) => appUrl(`${SCIM_BASE_PATH}/${path}/${encodeURIComponent(id)}`);

export function groupResource(team: ScimTeam, withMembers = true) {
  return {
    schemas: [SCHEMA.group],
    id: team.id,
    displayName: team.name,
    ...(withMembers
      ? { members: team.members.map((m) => ({ value: m.id, display: m.name, $ref: url("Users", m.id), type: "User" })) }
      : {}),
    meta: { resourceType: "Group", created: team.createdAt.toISOString(), location: url("Groups", team.id) },
  };
}

// ---------------------------------------------------------------------------- reading requests

function readMembers(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length > MAX_MEMBERS)
    throw new ScimError(400, `A request may name at most ${MAX_MEMBERS} members.`, "tooMany");
  return list.map((entry) => {
    const id = readString(attribute(readObject(entry, "Each member"), "value"), "members.value", 64);
    if (!id) throw new ScimError(400, "Each member needs a value: the user's id.", "invalidValue");
    return id;
  });
}

const GROUP_KEYS = new Set(["schemas", "id", "externalid", "meta", "displayname", "members"]);

/** A POST's or PUT's group: its name and members; unknown attributes refused. */
export function readGroupBody(body: unknown): { name: string; memberIds: string[] } {
  const object = readObject(body, "The request body");
  const unknown = Object.keys(object).find((k) => !GROUP_KEYS.has(k.toLowerCase()));
  if (unknown) throw new ScimError(400, `Flywheel's groups have no attribute “${unknown}”.`, "invalidSyntax");
  const name = readString(attribute(object, "displayName"), "displayName", 100);
  if (!name) throw new ScimError(400, "displayName is required: the team's name.", "invalidValue");
  const members = attribute(object, "members");
  return { name, memberIds: members === undefined || members === null ? [] : readMembers(members) };
}

/** The name and members a PATCH leaves the group with. */
export function patchedGroup(team: ScimTeam, operations: PatchOperation[]): { name: string; memberIds: string[] } {
  let name = team.name;
  const members = new Set(team.members.map((m) => m.id));
  const setName = (value: unknown) => {
    const next = readString(value, "displayName", 100);
    if (!next) throw new ScimError(400, "displayName cannot be empty.", "invalidValue");
    name = next;
  };
  for (const { op, path, value } of operations) {
    if (path === null) {
      // Okta: { op: "replace", value: { id, displayName } }; others send members the same way.
      for (const [key, inner] of Object.entries(readObject(value, "A PATCH value without a path"))) {
        const lower = key.toLowerCase();
        if (lower === "displayname") setName(inner);
        else if (lower === "members") {
          if (op === "replace") members.clear();
          for (const id of readMembers(inner)) members.add(id);
        } else if (!GROUP_KEYS.has(lower))
          throw new ScimError(400, `Flywheel's groups have no attribute “${key}”.`, "invalidPath");
      }
      continue;
    }
    const lower = path.toLowerCase();
    if (lower === "displayname") {
      if (op === "remove") throw new ScimError(400, "displayName is required: it cannot be removed.", "invalidValue");
      setName(value);
    } else if (lower === "members") {
      if (op === "replace") members.clear();
      if (op === "remove" && value === undefined) members.clear();
      else
        for (const id of readMembers(value)) {
          if (op === "remove") members.delete(id);
          else members.add(id);
        }
    } else if (lower === "externalid") {
      // Not kept for teams: a provider finds them by displayName.
    } else {
      const member = memberInPath(path);
      if (member === null) throw new ScimError(400, `Flywheel's groups have no attribute “${path}”.`, "invalidPath");
      if (op !== "remove") throw new ScimError(400, `Only remove takes the path ${path}.`, "invalidPath");
      members.delete(member);
    }
  }
  return { name, memberIds: [...members] };
}

// ---------------------------------------------------------------------------- writing

async function assertMembers(db: Handle, orgId: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const found = new Set(
    (
      await db
        .select({ id: users.id })
        .from(users)
        .where(and(eq(users.orgId, orgId), inArray(users.id, ids)))
    ).map((r) => r.id),
  );
  const missing = ids.find((id) => !found.has(id));
  if (missing) throw new ScimError(400, `members: there is no user with id “${missing}”.`, "invalidValue");
}

async function nameTakenByAnother(db: Handle, orgId: string, name: string, teamId: string | null) {
  const other = await first(
    db
      .select({ id: teams.id })
      .from(teams)
      .where(and(eq(teams.orgId, orgId), sql`lower(${teams.name}) = ${name.toLowerCase()}`))
      .limit(1),
  );
  if (other && other.id !== teamId)
    throw new ScimError(409, `A group with displayName “${name}” exists already (id ${other.id}).`, "uniqueness");
}

/**
 * The team's name and members become these, in one transaction. Each member who joins and has a
 * manager from the provider gets that manager as a manager of the team (placeManager).
 */
async function writeGroup(
  db: Handle,
  orgId: string,
  teamId: string,
  input: { name: string; memberIds: string[] },
  before: string[],
  by: AuditActor,
  now: Date,
): Promise<void> {
  const joining = input.memberIds.filter((id) => !before.includes(id));
  await transaction(db, async (tx) => {
    await renameTeam(tx, orgId, teamId, input.name, by, now);
    await setTeamPeople(tx, orgId, teamId, "member", input.memberIds, by, now);
    if (joining.length === 0) return;
    const managed = await tx
      .select({ userId: scimUsers.userId, managerId: scimUsers.managerId })
      .from(scimUsers)
      .where(and(eq(scimUsers.orgId, orgId), inArray(scimUsers.userId, joining)));
    for (const { userId, managerId } of managed)
      if (managerId) await placeManager(tx, orgId, userId, managerId, by, now, [teamId]);
  });
}

export async function createScimGroup(
  db: Handle,
  orgId: string,
  input: { name: string; memberIds: string[] },
  by: AuditActor,
  now: Date,
): Promise<ScimTeam> {
  await nameTakenByAnother(db, orgId, input.name, null);
  await assertMembers(db, orgId, input.memberIds);
  const id = await transaction(db, async (tx) => {
    const teamId = await createTeam(tx, orgId, input.name, by, now);
    await writeGroup(tx, orgId, teamId, input, [], by, now);
    return teamId;
  });
  return requireScimGroup(db, orgId, id);
}

export async function updateScimGroup(
  db: Handle,
  orgId: string,
  team: ScimTeam,
  input: { name: string; memberIds: string[] },
  by: AuditActor,
  now: Date,
): Promise<ScimTeam> {
  if (input.name.toLowerCase() !== team.name.toLowerCase()) await nameTakenByAnother(db, orgId, input.name, team.id);
  await assertMembers(db, orgId, input.memberIds);
  await writeGroup(
    db,
    orgId,
    team.id,
    input,
    team.members.map((m) => m.id),
    by,
    now,
  );
  return requireScimGroup(db, orgId, team.id);
}

/** DELETE: the team loses its members and managers; it stays, with its assignments' history. */
export async function emptyScimGroup(db: Handle, orgId: string, teamId: string, by: AuditActor, now: Date) {
  await requireScimGroup(db, orgId, teamId);
  await transaction(db, async (tx) => {
    await setTeamPeople(tx, orgId, teamId, "member", [], by, now);
    await setTeamPeople(tx, orgId, teamId, "manager", [], by, now);
  });
}
