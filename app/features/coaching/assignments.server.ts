// Assignments: a manager gives a lesson, a module or a role-play to reps or a whole team with
// a due date. Per rep it is not started, in progress, completed or overdue — computed from
// what the rep actually did, so it can never disagree with the learning records.
import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, or, sql, type SQL } from "drizzle-orm";
import { first, prepared, rows, transaction, type Handle, type Transaction } from "~/db/connection.server";
import { inJsonList, inList, jsonRecords } from "~/db/dialect";
import { newId } from "~/db/ids";
import {
  assignmentReps,
  assignments,
  LIBRARY_OWNER,
  lessonProgress,
  lessons,
  moduleCompletions,
  modules,
  organizations,
  roleplays,
  roleplaySubmissions,
  teamMembers,
  teams,
  users,
} from "~/db/schema";
import { addDays, DAY_MS, dayIn, daysBetween } from "~/shared/days";
import { recordStatement } from "~/features/activity/statements.server";
import type { SessionUser } from "~/features/auth/sessions.server";
import { dueDayField } from "~/features/forms";
import { queueMail } from "~/features/mail/mailer.server";
import { appUrl } from "~/shared/app-origin.server";
import { dayLabel } from "~/shared/date-formats";
import { managedTeamIds, repsManagedBy } from "~/features/people/teams.server";
import { Refusal } from "~/features/refusal";

export type RepStatus = "not_started" | "in_progress" | "completed" | "overdue";
type Manager = Pick<SessionUser, "id" | "orgId" | "timezone">;
type Assigner = Manager & Pick<SessionUser, "name">;
type Assignment = typeof assignments.$inferSelect;

export type Target = { kind: "lesson" | "module" | "roleplay"; id: string; roleplayKey: string | null; title: string };

/** Everything a manager can assign in their organization, for the form. */
export async function assignableTargets(db: Handle, orgId: string): Promise<Target[]> {
  const visible = or(eq(modules.owner, LIBRARY_OWNER), eq(modules.owner, orgId));
  const mods = await db
    .select({ id: modules.id, title: modules.title })
    .from(modules)
    .where(and(visible, isNull(modules.archivedAt)))
    .orderBy(asc(modules.position));
  const less = await db
    .select({ id: lessons.id, title: lessons.title, module: modules.title })
    .from(lessons)
    .innerJoin(modules, eq(modules.id, lessons.moduleId))
    .where(and(visible, isNull(lessons.archivedAt), isNotNull(lessons.currentVersionId), isNull(modules.archivedAt)))
    .orderBy(asc(modules.position), asc(lessons.position));
  const plays = await db
    .select({ lessonId: roleplays.lessonId, key: roleplays.key, title: roleplays.title })
    .from(roleplays)
    .innerJoin(
      lessons,
      and(eq(lessons.id, roleplays.lessonId), eq(lessons.currentVersionId, roleplays.lessonVersionId)),
    )
    .innerJoin(modules, eq(modules.id, lessons.moduleId))
    .where(and(visible, isNull(lessons.archivedAt)));
  return [
    ...mods.map((m) => ({ kind: "module" as const, id: m.id, roleplayKey: null, title: `Module: ${m.title}` })),
    ...less.map((l) => ({ kind: "lesson" as const, id: l.id, roleplayKey: null, title: `${l.module}: ${l.title}` })),
    ...plays.map((p) => ({
      kind: "roleplay" as const,
      id: p.lessonId,
      roleplayKey: p.key,
      title: `Role-play: ${p.title}`,
    })),
  ];
}

export async function createAssignment(
  db: Handle,
  manager: Assigner,
  input: { target: string; teamId: string | null; repIds: string[]; dueDay: string; note: string },
  now: Date,
): Promise<string> {
  const target = (await assignableTargets(db, manager.orgId)).find((t) => targetValue(t) === input.target);
  if (!target) throw new Refusal("Pick a lesson, module or role-play to assign.", 400);
  const managedTeams = await managedTeamIds(db, manager.orgId, manager.id);
  if (input.teamId && !managedTeams.includes(input.teamId))
    throw new Refusal("You can only assign to your own teams.", 404);
  const managedReps = new Set(await repsManagedBy(db, manager.orgId, manager.id));
  if (input.repIds.some((id) => !managedReps.has(id)))
    throw new Refusal("You can only assign to reps in your own teams.", 404);
  if (!input.teamId && input.repIds.length === 0) throw new Refusal("Pick a team or at least one rep.", 400);
  assertDueDay(manager, input.dueDay, now);
  const id = newId();
  await transaction(db, async (tx) => {
    const [created] = await tx
      .insert(assignments)
      .values({
        id,
        orgId: manager.orgId,
        createdBy: manager.id,
        kind: target.kind,
        targetId: target.id,
        roleplayKey: target.roleplayKey,
        title: target.title,
        teamId: input.teamId,
        dueDay: input.dueDay,
        note: input.note,
        createdAt: now,
      })
      .returning();
    const unique = [...new Set(input.repIds)];
    if (unique.length)
      await tx
        .insert(assignmentReps)
        .values(unique.map((userId) => ({ assignmentId: id, userId, orgId: manager.orgId })));
    await tellRepsOfAssignment(tx, manager, created!);
    await recordStatement(tx, {
      orgId: manager.orgId,
      timezone: manager.timezone,
      actorId: manager.id,
      verb: "assigned",
      object: { type: "assignment", id, name: target.title },
      context: { team: input.teamId ?? "", reps: unique.length, due: input.dueDay },
      timestamp: now,
    });
  });
  return id;
}

// A whole team's reps can be thousands: the list goes as one JSON parameter.
const mailRecipients = prepared("assignments_mail_recipients", (database) =>
  database
    .select({ email: users.email, name: users.name })
    .from(users)
    .where(and(eq(users.orgId, sql.placeholder("orgId")), eq(users.active, true), inJsonList(users.id, "reps"))),
);

/** Mails each rep the assignment reaches today: what, from whom, by when, and where to start. */
async function tellRepsOfAssignment(tx: Transaction, manager: Assigner, assignment: Assignment): Promise<void> {
  const reps = (await recipientsOf(tx, [assignment], manager.timezone)).recipients.get(assignment.id) ?? [];
  if (reps.length === 0) return;
  const [people, links] = await Promise.all([
    mailRecipients(tx).execute({ orgId: manager.orgId, reps: JSON.stringify(reps) }),
    linksFor(tx, [assignment]),
  ]);
  const link = appUrl(links.get(assignment.id) ?? "/today");
  const due = dayLabel(assignment.dueDay, dayIn(manager.timezone, assignment.createdAt));
  for (const rep of people)
    await queueMail(tx, {
      orgId: manager.orgId,
      to: rep.email,
      subject: `New for you: ${assignment.title}, due ${due}`,
      text: [
        `Hi ${rep.name.split(" ")[0]},`,
        "",
        `${manager.name} assigned you ${assignment.title}, due ${due}.`,
        ...(assignment.note ? ["", `“${assignment.note}”`] : []),
        "",
        `Start here: ${link}`,
        "It is also on your Today page until it is done.",
      ].join("\n"),
    });
}

export function targetValue(target: Pick<Target, "kind" | "id" | "roleplayKey">): string {
  return `${target.kind}:${target.id}${target.roleplayKey ? `:${target.roleplayKey}` : ""}`;
}

/** An assignment the manager may change: one of their organization's, aimed at their teams. */
async function manageable(db: Handle, manager: Manager, assignmentId: string): Promise<Assignment> {
  const row = await first(
    db
      .select()
      .from(assignments)
      .where(and(eq(assignments.id, assignmentId), eq(assignments.orgId, manager.orgId)))
      .limit(1),
  );
  if (!row) throw new Refusal("We couldn't find that assignment.", 404);
  const mine =
    row.createdBy === manager.id ||
    (row.teamId !== null && (await managedTeamIds(db, manager.orgId, manager.id)).includes(row.teamId));
  if (!mine) throw new Refusal("We couldn't find that assignment.", 404);
  return row;
}

/** Create and change answer a due date alike: a calendar day, from the organization's today on. */
function assertDueDay(manager: Manager, dueDay: string, now: Date): void {
  const checked = dueDayField(dayIn(manager.timezone, now)).safeParse(dueDay);
  if (!checked.success) throw new Refusal(checked.error.issues[0]!.message, 400);
}

export async function changeDueDay(
  db: Handle,
  manager: Manager,
  assignmentId: string,
  dueDay: string,
  now: Date,
): Promise<void> {
  await manageable(db, manager, assignmentId);
  assertDueDay(manager, dueDay, now);
  await db.update(assignments).set({ dueDay }).where(eq(assignments.id, assignmentId));
}

export async function cancelAssignment(db: Handle, manager: Manager, assignmentId: string, now: Date): Promise<void> {
  await manageable(db, manager, assignmentId);
  await db.update(assignments).set({ cancelledAt: now }).where(eq(assignments.id, assignmentId));
}

/** How long a cancelled assignment can be brought back from the assignments page. */
export const UNDO_CANCEL_DAYS = 7;

/** Undoes a cancel: the assignment is back as it was, for the same reps and due day. */
export async function restoreAssignment(db: Handle, manager: Manager, assignmentId: string): Promise<string> {
  const row = await manageable(db, manager, assignmentId);
  if (!row.cancelledAt) throw new Refusal("That assignment is not cancelled.", 409);
  await db.update(assignments).set({ cancelledAt: null }).where(eq(assignments.id, assignmentId));
  return row.title;
}

/** The manager's assignments cancelled in the last UNDO_CANCEL_DAYS days, latest first, to restore. */
export async function recentlyCancelled(
  db: Handle,
  manager: Manager,
  now: Date,
): Promise<Array<{ id: string; title: string; dueDay: string; cancelledAt: Date }>> {
  const teamIds = await managedTeamIds(db, manager.orgId, manager.id);
  const rows = await db
    .select({
      id: assignments.id,
      title: assignments.title,
      dueDay: assignments.dueDay,
      cancelledAt: assignments.cancelledAt,
    })
    .from(assignments)
    .where(
      and(
        eq(assignments.orgId, manager.orgId),
        gte(assignments.cancelledAt, new Date(now.getTime() - UNDO_CANCEL_DAYS * DAY_MS)),
        or(eq(assignments.createdBy, manager.id), teamIds.length ? inArray(assignments.teamId, teamIds) : undefined),
      ),
    )
    .orderBy(desc(assignments.cancelledAt))
    .limit(20);
  return rows.map((r) => ({ ...r, cancelledAt: r.cancelledAt! }));
}

/**
 * A rep who joins a team after an assignment to it was made owes it as long after joining as the
 * team had when it was made, and never before the team (decision 019): the later of the
 * assignment's due day and the joining day plus the assignment's lead time, in the
 * organization's days.
 */
export function laterJoinerDueDay(
  assignment: Pick<Assignment, "createdAt" | "dueDay">,
  joinedAt: Date,
  timezone: string,
): string {
  const lead = Math.max(0, daysBetween(dayIn(timezone, assignment.createdAt), assignment.dueDay));
  const own = addDays(dayIn(timezone, joinedAt), lead);
  return own > assignment.dueDay ? own : assignment.dueDay;
}

/** Per assignment, the reps who owe it by a day of their own (later joiners), and that day. */
export type OwnDueDays = Map<string, Map<string, string>>;

/** A rep's due day for an assignment: their own if they joined its team later, else the assignment's. */
export function dueDayOf(assignment: Pick<Assignment, "id" | "dueDay">, userId: string, own: OwnDueDays): string {
  return own.get(assignment.id)?.get(userId) ?? assignment.dueDay;
}

/**
 * Current recipients: the reps picked, plus today's members of the team; and the own due day of
 * each member who joined the team after the assignment was made and was not picked by name.
 */
export async function recipientsOf(
  db: Handle,
  list: Assignment[],
  timezone: string,
): Promise<{ recipients: Map<string, string[]>; ownDueDays: OwnDueDays }> {
  const result = new Map<string, string[]>(list.map((a) => [a.id, []]));
  const ownDueDays: OwnDueDays = new Map();
  if (list.length === 0) return { recipients: result, ownDueDays };
  const picked = await db
    .select()
    .from(assignmentReps)
    .where(
      inArray(
        assignmentReps.assignmentId,
        list.map((a) => a.id),
      ),
    );
  for (const row of picked) result.get(row.assignmentId)!.push(row.userId);
  const teamIds = [...new Set(list.map((a) => a.teamId).filter((t): t is string => t !== null))];
  if (teamIds.length) {
    const members = await db
      .select({ teamId: teamMembers.teamId, userId: teamMembers.userId, joinedAt: teamMembers.joinedAt })
      .from(teamMembers)
      // CROSS JOIN keeps SQLite's join order: teams first, by their index. Left to choose, it
      // scanned every user and probed each team for each (40 ms for a whole organization).
      .crossJoin(users)
      .where(
        and(
          eq(users.id, teamMembers.userId),
          eq(users.active, true),
          inArray(teamMembers.teamId, teamIds),
          eq(teamMembers.role, "member"),
        ),
      );
    const byTeam = new Map<string, Array<{ userId: string; joinedAt: Date }>>();
    for (const m of members) {
      const list = byTeam.get(m.teamId);
      if (list) list.push(m);
      else byTeam.set(m.teamId, [m]);
    }
    for (const a of list) {
      if (!a.teamId) continue;
      const named = new Set(result.get(a.id)!);
      const team = byTeam.get(a.teamId) ?? [];
      result.set(a.id, [...new Set([...named, ...team.map((m) => m.userId)])]);
      for (const m of team) {
        if (named.has(m.userId) || m.joinedAt <= a.createdAt) continue;
        const own = laterJoinerDueDay(a, m.joinedAt, timezone);
        if (own === a.dueDay) continue;
        const days = ownDueDays.get(a.id);
        if (days) days.set(m.userId, own);
        else ownDueDays.set(a.id, new Map([[m.userId, own]]));
      }
    }
  }
  return { recipients: result, ownDueDays };
}

// statusesOf runs these once per assignment: built once, with the lists passed as JSON arrays
// (decision 007).
/** One record per assignment and recipient, for the status reads below. */
type Pair = { a: string; user_id: string; target: string; key: string };
const PAIR_COLUMNS = { a: "text", user_id: "text", target: "text", key: "text" } as const;

/**
 * Each recipient's status for each assignment, from lesson progress, module completions and
 * role-play submissions. Every (assignment, recipient) pair goes to the database as one JSON
 * parameter, joined to the indexed tables by their keys: four reads whatever the number of
 * assignments (a whole organization has a hundred and more; one read each cost a round trip
 * each on PostgreSQL).
 */
export async function statusesOf(
  db: Handle,
  list: Assignment[],
  recipients: Map<string, string[]>,
  today: string,
  ownDueDays: OwnDueDays = new Map(),
): Promise<Map<string, Map<string, RepStatus>>> {
  const pairsOf = (kind: Assignment["kind"]): Pair[] =>
    list
      .filter((a) => a.kind === kind)
      .flatMap((a) =>
        (recipients.get(a.id) ?? []).map((userId) => ({
          a: a.id,
          user_id: userId,
          target: a.targetId,
          key: a.roleplayKey ?? "",
        })),
      );
  const read = (pairs: Pair[], query: (t: SQL) => SQL) =>
    pairs.length === 0
      ? Promise.resolve([])
      : rows<{ a: string; u: string; done: number | string | null }>(db, query(jsonRecords(pairs, PAIR_COLUMNS, "t")));
  const lessonPairs = pairsOf("lesson");
  const modulePairs = pairsOf("module");
  const rolePlayPairs = pairsOf("roleplay");
  const [lessonRows, moduleStarts, moduleDone, rolePlayStarts, rolePlayRows] = await Promise.all([
    read(
      lessonPairs,
      (t) => sql`select t.a as a, t.user_id as u, lp.completed_at as done from ${t}
        join ${lessonProgress} lp on lp.user_id = t.user_id and lp.lesson_id = t.target`,
    ),
    read(
      modulePairs,
      (t) => sql`select distinct t.a as a, t.user_id as u, null as done from ${t}
        join ${lessons} l on l.module_id = t.target
        join ${lessonProgress} lp on lp.user_id = t.user_id and lp.lesson_id = l.id`,
    ),
    read(
      modulePairs,
      (t) => sql`select t.a as a, t.user_id as u, 1 as done from ${t}
        join ${moduleCompletions} mc on mc.user_id = t.user_id and mc.module_id = t.target`,
    ),
    // Opening a role-play's lesson starts the assignment; a submission (not one in progress) ends it.
    read(
      rolePlayPairs,
      (t) => sql`select t.a as a, t.user_id as u, null as done from ${t}
        join ${lessonProgress} lp on lp.user_id = t.user_id and lp.lesson_id = t.target`,
    ),
    read(
      rolePlayPairs,
      (t) => sql`select t.a as a, t.user_id as u, case when rs.status = 'in_progress' then null else 1 end as done
        from ${t}
        join ${roleplaySubmissions} rs
          on rs.user_id = t.user_id and rs.lesson_id = t.target and rs.roleplay_key = t.key`,
    ),
  ]);
  const started = new Set<string>();
  const done = new Set<string>();
  for (const r of [...lessonRows, ...moduleStarts, ...moduleDone, ...rolePlayStarts, ...rolePlayRows]) {
    started.add(`${r.a}|${r.u}`);
    if (r.done !== null) done.add(`${r.a}|${r.u}`);
  }
  const out = new Map<string, Map<string, RepStatus>>();
  for (const a of list) {
    const statuses = new Map<string, RepStatus>();
    for (const userId of recipients.get(a.id) ?? []) {
      const key = `${a.id}|${userId}`;
      statuses.set(
        userId,
        done.has(key)
          ? "completed"
          : dueDayOf(a, userId, ownDueDays) < today
            ? "overdue"
            : started.has(key)
              ? "in_progress"
              : "not_started",
      );
    }
    out.set(a.id, statuses);
  }
  return out;
}

export type RepAssignment = {
  id: string;
  title: string;
  kind: Assignment["kind"];
  dueDay: string;
  note: string;
  status: RepStatus;
  link: string;
};

/** A rep's open assignments for Today and the digest, soonest first. */
export async function assignmentsForRep(
  db: Handle,
  rep: Pick<SessionUser, "id" | "orgId" | "timezone">,
  now: Date,
): Promise<RepAssignment[]> {
  const [memberships, directRows] = await Promise.all([
    db
      .select({ teamId: teamMembers.teamId, joinedAt: teamMembers.joinedAt })
      .from(teamMembers)
      .where(and(eq(teamMembers.userId, rep.id), eq(teamMembers.role, "member"))),
    db.select({ id: assignmentReps.assignmentId }).from(assignmentReps).where(eq(assignmentReps.userId, rep.id)),
  ]);
  const teamIds = memberships.map((t) => t.teamId);
  const direct = directRows.map((r) => r.id);
  const conditions = [
    direct.length ? inArray(assignments.id, direct) : undefined,
    teamIds.length ? inArray(assignments.teamId, teamIds) : undefined,
  ].filter(Boolean);
  if (conditions.length === 0) return [];
  const list = await db
    .select()
    .from(assignments)
    .where(and(eq(assignments.orgId, rep.orgId), isNull(assignments.cancelledAt), or(...conditions)))
    .orderBy(asc(assignments.dueDay));
  // Reached through a team the rep joined after it was made (and not picked by name): their own day.
  const joined = new Map(memberships.map((m) => [m.teamId, m.joinedAt]));
  const named = new Set(direct);
  const ownDueDays: OwnDueDays = new Map();
  for (const a of list) {
    const joinedAt = a.teamId ? joined.get(a.teamId) : undefined;
    if (!joinedAt || named.has(a.id) || joinedAt <= a.createdAt) continue;
    ownDueDays.set(a.id, new Map([[rep.id, laterJoinerDueDay(a, joinedAt, rep.timezone)]]));
  }
  const mine = await repAssignments(
    db,
    list,
    { recipients: new Map(list.map((a) => [a.id, [rep.id]])), ownDueDays },
    dayIn(rep.timezone, now),
  );
  return soonestFirst(mine.get(rep.id) ?? []);
}

const soonestFirst = (items: RepAssignment[]) => items.sort((a, b) => a.dueDay.localeCompare(b.dueDay));

/**
 * Open assignments due by `untilDay` (not completed), for every rep of an organization at once:
 * what the daily digest reminds each rep of.
 */
export async function assignmentsDueSoon(
  db: Handle,
  orgId: string,
  repIds: string[],
  today: string,
  untilDay: string,
): Promise<Map<string, RepAssignment[]>> {
  if (repIds.length === 0) return new Map();
  const { list, recipients, ownDueDays } = await assignmentsReaching(db, orgId, repIds);
  // Each rep's own due day decides (a later joiner's comes after the team's).
  const soonFor = new Map(
    list.map((a) => [a.id, (recipients.get(a.id) ?? []).filter((r) => dueDayOf(a, r, ownDueDays) <= untilDay)]),
  );
  const soon = list.filter((a) => soonFor.get(a.id)!.length > 0);
  const byRep = await repAssignments(db, soon, { recipients: soonFor, ownDueDays }, today);
  for (const [userId, items] of byRep) byRep.set(userId, soonestFirst(items.filter((a) => a.status !== "completed")));
  return byRep;
}

/** Each recipient's list of assignments, with status and link, in the list's order. */
async function repAssignments(
  db: Handle,
  list: Assignment[],
  { recipients, ownDueDays }: Pick<ReachingAssignments, "recipients" | "ownDueDays">,
  today: string,
): Promise<Map<string, RepAssignment[]>> {
  const [statuses, links] = await Promise.all([
    statusesOf(db, list, recipients, today, ownDueDays),
    linksFor(db, list),
  ]);
  const byRep = new Map<string, RepAssignment[]>();
  for (const a of list) {
    for (const [userId, status] of statuses.get(a.id)!) {
      byRep.set(userId, [
        ...(byRep.get(userId) ?? []),
        {
          id: a.id,
          title: a.title,
          kind: a.kind,
          dueDay: dueDayOf(a, userId, ownDueDays),
          note: a.note,
          status,
          link: links.get(a.id) ?? "/library",
        },
      ]);
    }
  }
  return byRep;
}

async function linksFor(db: Handle, list: Assignment[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const lessonIds = list.filter((a) => a.kind !== "module").map((a) => a.targetId);
  const moduleIds = list.filter((a) => a.kind === "module").map((a) => a.targetId);
  const lessonRows = lessonIds.length
    ? await db
        .select({ id: lessons.id, slug: lessons.slug, moduleSlug: modules.slug })
        .from(lessons)
        .innerJoin(modules, eq(modules.id, lessons.moduleId))
        .where(inArray(lessons.id, lessonIds))
    : [];
  const moduleRows = moduleIds.length
    ? await db.select({ id: modules.id, slug: modules.slug }).from(modules).where(inArray(modules.id, moduleIds))
    : [];
  for (const a of list) {
    if (a.kind === "module") {
      const m = moduleRows.find((x) => x.id === a.targetId);
      if (m) out.set(a.id, `/learn/${m.slug}`);
    } else {
      const l = lessonRows.find((x) => x.id === a.targetId);
      if (l) out.set(a.id, `/learn/${l.moduleSlug}/${l.slug}${a.roleplayKey ? `#roleplay-${a.roleplayKey}` : ""}`);
    }
  }
  return out;
}

export type AssignmentRow = {
  id: string;
  title: string;
  kind: Assignment["kind"];
  team: string | null;
  dueDay: string;
  note: string;
  createdAt: Date;
  recipients: number;
  notStarted: number;
  inProgress: number;
  completed: number;
  overdue: number;
  /** Each rep's status and due day (their own when they joined the team later). */
  reps: Array<{ id: string; name: string; status: RepStatus; dueDay: string }>;
};

/** The assignments that reach the reps in scope, their recipients and later joiners' own due days. */
export type ReachingAssignments = { list: Assignment[]; recipients: Map<string, string[]>; ownDueDays: OwnDueDays };

/**
 * The open assignments that reach the given reps, with their recipients among those reps.
 * `teamIds` (a manager's scope) skips assignments that cannot reach it.
 */
export async function assignmentsReaching(
  db: Handle,
  orgId: string,
  repIds: string[],
  teamIds?: string[],
): Promise<ReachingAssignments> {
  const [open, org] = await Promise.all([
    db
      .select()
      .from(assignments)
      .where(and(eq(assignments.orgId, orgId), isNull(assignments.cancelledAt)))
      .orderBy(desc(assignments.createdAt)),
    first(
      db.select({ timezone: organizations.timezone }).from(organizations).where(eq(organizations.id, orgId)).limit(1),
    ),
  ]);
  let list = open;
  const inScope = new Set(repIds);
  if (teamIds) {
    const teamSet = new Set(teamIds);
    // The assignments that name one of these reps (by the reps' index, not the organization's rows).
    const picked = await db
      .select({ id: assignmentReps.assignmentId })
      .from(assignmentReps)
      .where(and(eq(assignmentReps.orgId, orgId), inList(assignmentReps.userId, repIds)));
    const named = new Set(picked.map((r) => r.id));
    list = list.filter((a) => (a.teamId !== null && teamSet.has(a.teamId)) || named.has(a.id));
  }
  const { recipients, ownDueDays } = await recipientsOf(db, list, org?.timezone ?? "UTC");
  for (const [id, reps] of recipients)
    recipients.set(
      id,
      reps.filter((r) => inScope.has(r)),
    );
  return { list: list.filter((a) => (recipients.get(a.id) ?? []).length > 0), recipients, ownDueDays };
}

export async function assignmentTable(
  db: Handle,
  orgId: string,
  repIds: string[],
  now: Date,
  timezone: string,
  teamIds?: string[],
  reaching?: ReachingAssignments,
): Promise<AssignmentRow[]> {
  if (repIds.length === 0) return [];
  const { list: shown, recipients, ownDueDays } = reaching ?? (await assignmentsReaching(db, orgId, repIds, teamIds));
  // Names only of the reps and teams in the table: a manager's few among an organization's thousands.
  const shownReps = [...new Set(shown.flatMap((a) => recipients.get(a.id) ?? []))];
  const shownTeams = [...new Set(shown.flatMap((a) => (a.teamId ? [a.teamId] : [])))];
  const [statuses, repRows, teamRows] = await Promise.all([
    statusesOf(db, shown, recipients, dayIn(timezone, now), ownDueDays),
    shownReps.length
      ? db
          .select({ id: users.id, name: users.name })
          .from(users)
          .where(and(eq(users.orgId, orgId), inList(users.id, shownReps)))
      : [],
    shownTeams.length
      ? db
          .select({ id: teams.id, name: teams.name })
          .from(teams)
          .where(and(eq(teams.orgId, orgId), inList(teams.id, shownTeams)))
      : [],
  ]);
  const names = new Map(repRows.map((u) => [u.id, u.name]));
  const teamNames = new Map(teamRows.map((t) => [t.id, t.name]));
  return shown.map((a) => {
    const s = statuses.get(a.id)!;
    const values = [...s.values()];
    return {
      id: a.id,
      title: a.title,
      kind: a.kind,
      team: a.teamId ? (teamNames.get(a.teamId) ?? null) : null,
      dueDay: a.dueDay,
      note: a.note,
      createdAt: a.createdAt,
      recipients: values.length,
      notStarted: values.filter((v) => v === "not_started").length,
      inProgress: values.filter((v) => v === "in_progress").length,
      completed: values.filter((v) => v === "completed").length,
      overdue: values.filter((v) => v === "overdue").length,
      reps: [...s]
        .map(([id, status]) => ({ id, name: names.get(id) ?? "?", status, dueDay: dueDayOf(a, id, ownDueDays) }))
        .sort((x, y) => x.name.localeCompare(y.name)),
    };
  });
}
