// The audit trail (decision 029): who changed people, teams and the organization's settings, when,
// and from where. Every write is made on the handle of the change it records, so a change that
// rolls back leaves no event and an event never describes a change that did not happen.
import { and, desc, eq, gte, lt, or } from "drizzle-orm";
import { changedRows, type Handle } from "~/db/connection.server";
import { newId } from "~/db/ids";
import { AUDIT_SOURCES, auditEvents, users, type AuditSource, type AuditSubject } from "~/db/schema";
import { addDays, DAY_MS, instantIn, isCalendarDay } from "~/shared/days";
import { toCsvText } from "~/shared/csv";
import { momentLabel } from "~/shared/date-formats";
import { auditActionLabel, isAuditAction, type AuditAction } from "./actions";

/** Who made a change: a person (null for the system) and where they made it. */
export type AuditActor = { userId: string | null; email?: string | null; source: AuditSource };

/** An admin working in the admin pages. */
export const onAdminPage = (user: { id: string; email: string }): AuditActor => ({
  userId: user.id,
  email: user.email,
  source: "admin page",
});

export type AuditEvent = {
  action: AuditAction;
  subjectType: AuditSubject;
  subjectId?: string | null;
  /** The subject as a person reads it: an e-mail address, a team's name. */
  subjectLabel: string;
  details?: Record<string, unknown>;
};

/** Events kept at least a year: older than this they are deleted by the scheduled work. */
export const AUDIT_RETENTION_DAYS = 400;

// Eleven values a row: 2,000 rows stay under SQLite's 32,766 parameters in one insert.
const ROWS_PER_INSERT = 2_000;

/** Records events of one actor in `orgId`, at `now`, on `db` (the change's own transaction). */
export async function recordAudit(
  db: Handle,
  orgId: string,
  by: AuditActor,
  events: AuditEvent | AuditEvent[],
  now: Date,
): Promise<void> {
  const list = Array.isArray(events) ? events : [events];
  const rows = list.map((event) => ({
    id: newId(),
    orgId,
    actorId: by.userId,
    actorLabel: by.email ?? null,
    action: event.action,
    subjectType: event.subjectType,
    subjectId: event.subjectId ?? null,
    subjectLabel: event.subjectLabel,
    details: event.details ?? {},
    source: by.source,
    createdAt: now,
  }));
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT)
    await db.insert(auditEvents).values(rows.slice(i, i + ROWS_PER_INSERT));
}

/** What the audit page is filtered by: each part optional. Days are the organization's. */
export type AuditFilter = {
  action: AuditAction | null;
  person: string | null;
  source: AuditSource | null;
  from: string | null;
  to: string | null;
};

export const AUDIT_PAGE_SIZE = 50;
const MAX_PAGE = 10_000;

/** The filter and page in the audit page's address (a GET form); anything unreadable is left unset. */
export function parseAuditFilter(url: URL): { filter: AuditFilter; page: number } {
  const param = (name: string) => url.searchParams.get(name)?.trim() ?? "";
  const day = (name: string) => (isCalendarDay(param(name)) ? param(name) : null);
  const action = param("action");
  const person = param("person").toLowerCase();
  const source = AUDIT_SOURCES.find((s) => s === param("source")) ?? null;
  const page = Number(param("page") || 1);
  return {
    filter: {
      action: isAuditAction(action) ? action : null,
      person: person && person.length <= 254 ? person : null,
      source,
      from: day("from"),
      to: day("to"),
    },
    page: Number.isInteger(page) && page >= 1 && page <= MAX_PAGE ? page : 1,
  };
}
/** A CSV export holds at most this many events (the newest); narrow the filter for older ones. */
export const AUDIT_EXPORT_LIMIT = 100_000;

function filterCondition(orgId: string, filter: AuditFilter, timezone: string) {
  const person = filter.person?.trim().toLowerCase();
  return and(
    eq(auditEvents.orgId, orgId),
    filter.action ? eq(auditEvents.action, filter.action) : undefined,
    // A person is who the event is about or who made it.
    person ? or(eq(auditEvents.subjectLabel, person), eq(auditEvents.actorLabel, person)) : undefined,
    filter.source ? eq(auditEvents.source, filter.source) : undefined,
    filter.from ? gte(auditEvents.createdAt, instantIn(timezone, filter.from, 0)) : undefined,
    filter.to ? lt(auditEvents.createdAt, instantIn(timezone, addDays(filter.to, 1), 0)) : undefined,
  );
}

export type AuditRow = {
  id: string;
  at: Date;
  actor: string;
  action: string;
  actionLabel: string;
  subject: string;
  subjectType: AuditSubject;
  details: Record<string, unknown>;
  source: AuditSource;
};

async function readEvents(
  db: Handle,
  orgId: string,
  filter: AuditFilter,
  timezone: string,
  limit: number,
  offset: number,
): Promise<AuditRow[]> {
  const rows = await db
    .select({
      id: auditEvents.id,
      at: auditEvents.createdAt,
      actorName: users.name,
      actorLabel: auditEvents.actorLabel,
      actorId: auditEvents.actorId,
      action: auditEvents.action,
      subject: auditEvents.subjectLabel,
      subjectType: auditEvents.subjectType,
      details: auditEvents.details,
      source: auditEvents.source,
    })
    .from(auditEvents)
    .leftJoin(users, and(eq(users.id, auditEvents.actorId), eq(users.orgId, orgId)))
    .where(filterCondition(orgId, filter, timezone))
    .orderBy(desc(auditEvents.createdAt), desc(auditEvents.id))
    .limit(limit)
    .offset(offset);
  return rows.map(({ actorName, actorLabel, actorId, ...row }) => ({
    ...row,
    actor: actorId === null && actorLabel === null ? "Flywheel" : (actorName ?? actorLabel ?? "A former member"),
    actionLabel: auditActionLabel(row.action),
  }));
}

/** One page of events, newest first, and whether there is a next one. */
export async function auditPage(
  db: Handle,
  orgId: string,
  filter: AuditFilter,
  timezone: string,
  page: number,
): Promise<{ events: AuditRow[]; hasNext: boolean }> {
  const rows = await readEvents(db, orgId, filter, timezone, AUDIT_PAGE_SIZE + 1, (page - 1) * AUDIT_PAGE_SIZE);
  return { events: rows.slice(0, AUDIT_PAGE_SIZE), hasNext: rows.length > AUDIT_PAGE_SIZE };
}

/** A change's details in a line ("roles: rep → rep, manager"). */
export function detailsText(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([key, value]) => {
      if (value && typeof value === "object" && "from" in value && "to" in value) {
        const { from, to } = value as { from: unknown; to: unknown };
        return `${key}: ${listText(from)} → ${listText(to)}`;
      }
      return `${key}: ${listText(value)}`;
    })
    .join("; ");
}

const listText = (value: unknown): string =>
  Array.isArray(value) ? value.join(", ") || "none" : value === null || value === "" ? "none" : String(value);

/** The filtered events as CSV (newest first), formula-safe: times in ISO, plus the organization's clock. */
export async function auditCsv(
  db: Handle,
  orgId: string,
  filter: AuditFilter,
  timezone: string,
  now: Date,
): Promise<string> {
  const rows = await readEvents(db, orgId, filter, timezone, AUDIT_EXPORT_LIMIT, 0);
  return toCsvText([
    ["time (UTC)", "time", "who", "action", "subject", "details", "source"],
    ...rows.map((r) => [
      r.at.toISOString(),
      momentLabel(r.at, timezone, now),
      r.actor,
      r.actionLabel,
      r.subject,
      detailsText(r.details),
      r.source,
    ]),
  ]);
}

/**
 * Deletes events older than AUDIT_RETENTION_DAYS at `now`, every organization's, never a younger
 * one. Returns how many went. Idempotent, so any number of schedulers may run it.
 */
export async function deleteExpiredAuditEvents(db: Handle, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - AUDIT_RETENTION_DAYS * DAY_MS);
  return changedRows(await db.delete(auditEvents).where(lt(auditEvents.createdAt, cutoff)));
}
