// Bringing people in from a file (decision 029): a dry run that says what the file would do to
// whom, then an apply that does exactly that, all in one transaction, or nothing. The file describes
// each person in full: their name, their roles, the teams they are a member of and the teams they
// manage; importing the same file twice changes nothing. New people get an account at once (with
// their roles and teams) and an invitation mail to choose their password; nobody else is mailed.
import { sha256 } from "@oslojs/crypto/sha2";
import { encodeHexLowerCase } from "@oslojs/encoding";
import { and, asc, eq, sql } from "drizzle-orm";
import { runSql, transaction, type Handle } from "~/db/connection.server";
import { inList, jsonRecords } from "~/db/dialect";
import { newId } from "~/db/ids";
import { sessions, teamMembers, teams, userRoles, users, type Role, type TeamRole } from "~/db/schema";
import { recordAudit, type AuditActor, type AuditEvent } from "~/features/audit/audit.server";
import { Refusal } from "~/features/refusal";
import { inviteNewAccounts } from "./invitations.server";
import { readPeopleFile, unusableAddress, type ImportProblem, type ImportRow } from "./people-file.server";

export type PersonOutcome = {
  line: number;
  email: string;
  name: string;
  kind: "create" | "change" | "unchanged";
  /** What changes, in words ("roles: rep → manager, rep"); for a new person, what they get. */
  changes: string[];
};

/** What a file would do, as the dry run shows it and the apply checks it. */
export type ImportPlan = {
  fileHash: string;
  /** A fingerprint of everything below: the apply refuses if it comes out different. */
  planHash: string;
  problems: ImportProblem[];
  people: PersonOutcome[];
  counts: { create: number; change: number; unchanged: number };
  newTeams: string[];
  /** Active people of the organization whom the file does not list (never the importing admin). */
  missing: Array<{ id: string; name: string; email: string }>;
};

/** The admin importing: their own account is never deactivated, nor loses its admin role, by a file. */
export type Importer = { id: string; email: string };

type Place = { teamKey: string; role: TeamRole; teamId?: string };
type Existing = { id: string; email: string; name: string; active: boolean; roles: Role[]; places: Place[] };
type TeamRef = { id: string | null; name: string };

/** Everything the apply needs besides the plan itself. */
type Work = {
  rows: ImportRow[];
  existing: Map<string, Existing>;
  teamsByKey: Map<string, TeamRef>;
};

const teamKey = (name: string) => name.toLowerCase();
const sortedText = (list: readonly string[]) => [...list].sort().join(", ") || "none";
const placeKey = (p: Place) => `${p.role}|${p.teamKey}`;

// One after another: inside the apply's transaction they share one connection.
async function organizationState(db: Handle, orgId: string) {
  const people = await db
    .select({ id: users.id, email: users.email, name: users.name, active: users.active })
    .from(users)
    .where(eq(users.orgId, orgId));
  const roles = await db
    .select({ userId: userRoles.userId, role: userRoles.role })
    .from(userRoles)
    .where(eq(userRoles.orgId, orgId));
  const places = await db
    .select({ userId: teamMembers.userId, teamId: teamMembers.teamId, role: teamMembers.role })
    .from(teamMembers)
    .where(eq(teamMembers.orgId, orgId));
  const teamRows = await db
    .select({ id: teams.id, name: teams.name })
    .from(teams)
    .where(eq(teams.orgId, orgId))
    .orderBy(asc(teams.name));
  const teamsByKey = new Map<string, TeamRef>();
  const keyOfTeam = new Map<string, string>();
  for (const team of teamRows) {
    // Two teams whose names differ only in case: the file's name goes to the first.
    if (!teamsByKey.has(teamKey(team.name))) teamsByKey.set(teamKey(team.name), team);
    keyOfTeam.set(team.id, teamKey(team.name));
  }
  const existing = new Map<string, Existing>();
  const byId = new Map<string, Existing>();
  for (const p of people) {
    const person = { ...p, roles: [] as Role[], places: [] as Place[] };
    existing.set(p.email, person);
    byId.set(p.id, person);
  }
  for (const r of roles) byId.get(r.userId)?.roles.push(r.role);
  for (const p of places)
    byId.get(p.userId)?.places.push({ teamKey: keyOfTeam.get(p.teamId)!, role: p.role, teamId: p.teamId });
  return { existing, teamsByKey };
}

/** Addresses among `emails` that have an account in another organization. */
async function addressesElsewhere(db: Handle, orgId: string, emails: string[]): Promise<Set<string>> {
  if (emails.length === 0) return new Set();
  const rows = await db
    .select({ email: users.email, orgId: users.orgId })
    .from(users)
    .where(inList(users.email, emails));
  return new Set(rows.filter((r) => r.orgId !== orgId).map((r) => r.email));
}

function fingerprint(value: unknown): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(JSON.stringify(value))));
}

/** The plan for `bytes` against the organization as it is on `db`. */
async function planFor(
  db: Handle,
  orgId: string,
  importer: Importer,
  bytes: Uint8Array,
): Promise<{ plan: ImportPlan; work: Work; elsewhere: Array<{ line: number; email: string }> }> {
  const file = readPeopleFile(bytes);
  const problems = [...file.problems];
  const { existing, teamsByKey } = await organizationState(db, orgId);
  const outside = await addressesElsewhere(
    db,
    orgId,
    file.rows.filter((r) => !existing.has(r.email)).map((r) => r.email),
  );
  const elsewhere: Array<{ line: number; email: string }> = [];

  // Teams named under `team` are made if missing; `manages` must name one that exists or is made.
  const newTeams = new Map<string, string>();
  for (const row of file.rows)
    for (const name of row.team ?? [])
      if (!teamsByKey.has(teamKey(name)) && !newTeams.has(teamKey(name))) newTeams.set(teamKey(name), name);
  const teamName = (key: string) => teamsByKey.get(key)?.name ?? newTeams.get(key)!;

  const rows: ImportRow[] = [];
  const people: PersonOutcome[] = [];
  for (const row of file.rows) {
    if (outside.has(row.email)) {
      problems.push(unusableAddress(row.line, row.email));
      elsewhere.push({ line: row.line, email: row.email });
      continue;
    }
    const unknownTeam = (row.manages ?? []).find(
      (name) => !teamsByKey.has(teamKey(name)) && !newTeams.has(teamKey(name)),
    );
    if (unknownTeam) {
      problems.push({
        line: row.line,
        message: `Line ${row.line}: manages “${unknownTeam}”, a team that does not exist and that no row names under team. Check its spelling, or create the team first.`,
      });
      continue;
    }
    const person = existing.get(row.email);
    if (person?.id === importer.id && person.roles.includes("admin") && !row.roles.includes("admin")) {
      problems.push({
        line: row.line,
        message: `Line ${row.line}: that is you, and you can't remove your own admin role; ask another admin.`,
      });
      continue;
    }
    rows.push(row);
    const memberOf = row.team?.map(teamKey) ?? null;
    const manages = row.manages?.map(teamKey) ?? null;
    if (!person) {
      people.push({
        line: row.line,
        email: row.email,
        name: row.name,
        kind: "create",
        changes: [
          `roles: ${sortedText(row.roles)}`,
          ...(memberOf?.length ? [`member of: ${sortedText(memberOf.map(teamName))}`] : []),
          ...(manages?.length ? [`manages: ${sortedText(manages.map(teamName))}`] : []),
        ],
      });
      continue;
    }
    const changes: string[] = [];
    if (!person.active) changes.push("reactivated");
    if (person.name !== row.name) changes.push(`name: ${person.name} → ${row.name}`);
    if (sortedText(person.roles) !== sortedText(row.roles))
      changes.push(`roles: ${sortedText(person.roles)} → ${sortedText(row.roles)}`);
    const placesNamed = (role: TeamRole, keys: string[] | null) => {
      if (keys === null) return;
      const now = person.places.filter((p) => p.role === role).map((p) => teamName(p.teamKey));
      const next = keys.map(teamName);
      if (sortedText(now) !== sortedText(next))
        changes.push(`${role === "member" ? "member of" : "manages"}: ${sortedText(now)} → ${sortedText(next)}`);
    };
    placesNamed("member", memberOf);
    placesNamed("manager", manages);
    people.push({
      line: row.line,
      email: row.email,
      name: row.name,
      kind: changes.length ? "change" : "unchanged",
      changes,
    });
  }

  const listed = new Set(file.rows.map((r) => r.email));
  const missing = [...existing.values()]
    .filter((p) => p.active && p.id !== importer.id && !listed.has(p.email))
    .map(({ id, name, email }) => ({ id, name, email }))
    .sort((a, b) => a.email.localeCompare(b.email));
  problems.sort((a, b) => a.line - b.line);
  const counts = { create: 0, change: 0, unchanged: 0 };
  for (const p of people) counts[p.kind]++;
  const newTeamNames = [...newTeams.values()].sort();
  const planHash = fingerprint({
    file: file.hash,
    people: people.map((p) => [p.email, p.kind, p.changes]),
    newTeams: newTeamNames,
    missing: missing.map((m) => m.id),
    problems: problems.map((p) => p.message),
  });
  return {
    plan: { fileHash: file.hash, planHash, problems, people, counts, newTeams: newTeamNames, missing },
    work: { rows, existing, teamsByKey },
    elsewhere,
  };
}

/**
 * The dry run: what the file would do, changing nothing but the audit trail, where an address
 * that belongs to another organization is recorded (the admin is told only that it cannot be added).
 */
export async function previewImport(
  db: Handle,
  orgId: string,
  importer: Importer,
  bytes: Uint8Array,
  by: AuditActor,
  now: Date,
): Promise<ImportPlan> {
  const { plan, elsewhere } = await planFor(db, orgId, importer, bytes);
  if (elsewhere.length)
    await recordAudit(
      db,
      orgId,
      by,
      elsewhere.map(({ line, email }) => ({
        action: "address.refused",
        subjectType: "user",
        subjectLabel: email,
        details: { line, reason: "the address has an account in another organization" },
      })),
      now,
    );
  return plan;
}

export type ImportConfirmation = {
  /** The dry run's file and plan: the apply refuses anything else. */
  fileHash: string;
  planHash: string;
  /** The count of people missing from the file the admin agreed to deactivate, or null. */
  deactivateMissing: number | null;
};

export type ImportResult = {
  created: number;
  changed: number;
  unchanged: number;
  teamsCreated: number;
  deactivated: number;
};

// Rows per insert: few enough values for SQLite's 32,766 parameters in one statement.
const BATCH = 2_000;

async function insertInBatches<T>(rows: T[], insert: (batch: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) await insert(rows.slice(i, i + BATCH));
}

/**
 * Applies the file exactly as its dry run showed it, in one transaction: the file must be the one
 * previewed (its hash), and the plan on the organization as it is now must be the one shown (people
 * or teams changed since would change it). Any problem, and nothing is written.
 */
export async function applyImport(
  db: Handle,
  orgId: string,
  importer: Importer,
  bytes: Uint8Array,
  confirmation: ImportConfirmation,
  by: AuditActor,
  now: Date,
): Promise<ImportResult> {
  return transaction(db, async (tx) => {
    const { plan, work } = await planFor(tx, orgId, importer, bytes);
    if (plan.fileHash !== confirmation.fileHash)
      throw new Refusal(
        "This is not the file of your dry run: it has changed since. Look at its new dry run below before you apply it.",
        409,
      );
    if (plan.problems.length)
      throw new Refusal(
        `The file has ${plan.problems.length === 1 ? "a problem" : `${plan.problems.length} problems`}, so nothing was imported. Correct ${plan.problems.length === 1 ? "it" : "them"} and upload the file again.`,
        422,
      );
    if (plan.planHash !== confirmation.planHash)
      throw new Refusal(
        "People or teams changed since your dry run, so it no longer shows what this file would do. Look at the new dry run below and apply again.",
        409,
      );
    if (confirmation.deactivateMissing !== null && confirmation.deactivateMissing !== plan.missing.length)
      throw new Refusal(
        `You confirmed deactivating ${confirmation.deactivateMissing} people, but ${plan.missing.length} are missing from the file now. Look at the new dry run below.`,
        409,
      );

    const events: AuditEvent[] = [];
    // 1. Teams the file names that do not exist yet.
    const teamsByKey = new Map(work.teamsByKey);
    const createdTeams = plan.newTeams.map((name) => ({ id: newId(), orgId, name }));
    for (const team of createdTeams) {
      teamsByKey.set(teamKey(team.name), team);
      events.push({ action: "team.created", subjectType: "team", subjectId: team.id, subjectLabel: team.name });
    }
    await insertInBatches(createdTeams, (batch) => tx.insert(teams).values(batch));
    const teamId = (name: string) => teamsByKey.get(teamKey(name))!.id!;

    // 2. Each listed person's account, roles and places, only what differs.
    const outcome = new Map(plan.people.map((p) => [p.email, p]));
    const newPeople: Array<typeof users.$inferInsert> = [];
    const renamed: Array<{ id: string; name: string }> = [];
    const reactivated: string[] = [];
    const rolesReplaced: string[] = [];
    const roleRows: Array<typeof userRoles.$inferInsert> = [];
    const leaving: Array<{ team_id: string; user_id: string; role: TeamRole }> = [];
    const joining: Array<typeof teamMembers.$inferInsert> = [];
    const invited: Array<{ userId: string; email: string }> = [];
    for (const row of work.rows) {
      const planned = outcome.get(row.email)!;
      if (planned.kind === "unchanged") continue;
      const person = work.existing.get(row.email);
      const userId = person?.id ?? newId();
      const subject = { subjectType: "user" as const, subjectId: userId, subjectLabel: row.email };
      if (!person) {
        newPeople.push({ id: userId, orgId, email: row.email, name: row.name, passwordHash: null });
        invited.push({ userId, email: row.email });
        events.push({ action: "person.created", ...subject, details: { changes: planned.changes } });
      } else {
        if (!person.active) {
          reactivated.push(userId);
          events.push({ action: "person.reactivated", ...subject });
        }
        if (person.name !== row.name) {
          renamed.push({ id: userId, name: row.name });
          events.push({ action: "person.renamed", ...subject, details: { name: { from: person.name, to: row.name } } });
        }
      }
      const rolesBefore = person?.roles ?? [];
      if (sortedText(rolesBefore) !== sortedText(row.roles)) {
        if (person) {
          rolesReplaced.push(userId);
          events.push({
            action: "person.roles-changed",
            ...subject,
            details: { roles: { from: [...rolesBefore].sort(), to: [...row.roles].sort() } },
          });
        }
        roleRows.push(...row.roles.map((role) => ({ orgId, userId, role })));
      }
      const placesBefore = new Set((person?.places ?? []).map(placeKey));
      const wanted: Place[] = [
        ...(row.team ?? []).map((name) => ({ teamKey: teamKey(name), role: "member" as const })),
        ...(row.manages ?? []).map((name) => ({ teamKey: teamKey(name), role: "manager" as const })),
      ];
      const wantedKeys = new Set(wanted.map(placeKey));
      const columns = new Set<TeamRole>([
        ...(row.team !== null ? ["member" as const] : []),
        ...(row.manages !== null ? ["manager" as const] : []),
      ]);
      let placesChanged = false;
      for (const place of person?.places ?? [])
        if (columns.has(place.role) && !wantedKeys.has(placeKey(place))) {
          leaving.push({ team_id: place.teamId!, user_id: userId, role: place.role });
          placesChanged = true;
        }
      for (const place of wanted)
        if (!placesBefore.has(placeKey(place))) {
          joining.push({ orgId, teamId: teamId(place.teamKey), userId, role: place.role, joinedAt: now });
          placesChanged = true;
        }
      if (person && placesChanged)
        events.push({
          action: "person.teams-changed",
          ...subject,
          details: { changes: planned.changes.filter((c) => c.startsWith("member of") || c.startsWith("manages")) },
        });
    }
    await insertInBatches(newPeople, (batch) => tx.insert(users).values(batch));
    if (renamed.length)
      await runSql(
        tx,
        sql`update users set name = renamed.name from ${jsonRecords(renamed, { id: "text", name: "text" }, "renamed")}
            where users.id = renamed.id and users.org_id = ${orgId}`,
      );
    if (reactivated.length)
      await tx
        .update(users)
        .set({ active: true })
        .where(and(eq(users.orgId, orgId), inList(users.id, reactivated)));
    if (rolesReplaced.length)
      await tx.delete(userRoles).where(and(eq(userRoles.orgId, orgId), inList(userRoles.userId, rolesReplaced)));
    await insertInBatches(roleRows, (batch) => tx.insert(userRoles).values(batch));
    if (leaving.length)
      await runSql(
        tx,
        sql`delete from team_members where org_id = ${orgId} and exists (
              select 1 from ${jsonRecords(leaving, { team_id: "text", user_id: "text", role: "text" }, "gone")}
              where gone.team_id = team_members.team_id and gone.user_id = team_members.user_id
                and gone.role = team_members.role)`,
      );
    await insertInBatches(joining, (batch) => tx.insert(teamMembers).values(batch));

    // 3. Those missing from the file, when the admin confirmed it with their count.
    const deactivated = confirmation.deactivateMissing === null ? [] : plan.missing;
    if (deactivated.length) {
      const ids = deactivated.map((p) => p.id);
      await tx
        .update(users)
        .set({ active: false })
        .where(and(eq(users.orgId, orgId), inList(users.id, ids)));
      await tx.delete(sessions).where(inList(sessions.userId, ids));
      for (const p of deactivated)
        events.push({ action: "person.deactivated", subjectType: "user", subjectId: p.id, subjectLabel: p.email });
    }

    // 4. An invitation for each new person, through the invitation mail; an invitation from the
    // People page still waiting for the same address is replaced (its link would find the address taken).
    const invitedCount = await inviteNewAccounts(tx, orgId, invited, importer.id, now);

    const result: ImportResult = {
      created: plan.counts.create,
      changed: plan.counts.change,
      unchanged: plan.counts.unchanged,
      teamsCreated: createdTeams.length,
      deactivated: deactivated.length,
    };
    events.unshift({
      action: "people.imported",
      subjectType: "import",
      subjectId: plan.fileHash.slice(0, 16),
      subjectLabel: `file ${plan.fileHash.slice(0, 12)}`,
      details: { ...result, invited: invitedCount },
    });
    await recordAudit(tx, orgId, by, events, now);
    return result;
  });
}

/** How many of each list the dry run's page shows; the counts are always whole. */
export const SHOWN_PER_LIST = 200;

/** The dry run as the page shows it: whole counts, the lists cut to a readable length. */
export function planView(plan: ImportPlan) {
  const of = (kind: PersonOutcome["kind"]) => plan.people.filter((p) => p.kind === kind).slice(0, SHOWN_PER_LIST);
  return {
    fileHash: plan.fileHash,
    planHash: plan.planHash,
    counts: plan.counts,
    problemCount: plan.problems.length,
    problems: plan.problems.slice(0, SHOWN_PER_LIST * 2),
    create: of("create"),
    change: of("change"),
    newTeams: plan.newTeams.slice(0, SHOWN_PER_LIST),
    newTeamCount: plan.newTeams.length,
    missingCount: plan.missing.length,
    missing: plan.missing.slice(0, SHOWN_PER_LIST).map(({ name, email }) => ({ name, email })),
  };
}

export type ImportPlanView = ReturnType<typeof planView>;
