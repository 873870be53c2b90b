// Reminders: the daily digest, its preferences and unsubscribe link, and vacation holds.
// A digest is claimed in the database (digest_sends) before it is written to the outbox, so
// it is sent once per rep and day even with several processes (or servers) or after a restart.
import { and, eq, exists, gt, inArray, isNull, lte, or, sql } from "drizzle-orm";
import { changedRows, first, transaction, type Handle } from "~/db/connection.server";
import { newId } from "~/db/ids";
import {
  cards,
  digestSends,
  organizations,
  pushSubscriptions,
  reminderPreferences,
  userRoles,
  users,
  vacations,
  type PushKind,
} from "~/db/schema";
import { addDays, DAY_MS, dayIn, daysBetween, isCalendarDay } from "~/shared/days";
import type { SessionUser } from "~/features/auth/sessions.server";
import { hashLinkToken, newLinkToken } from "~/features/auth/tokens.server";
import { assignmentsDueSoon } from "~/features/coaching/assignments.server";
import { queueMail } from "~/features/mail/mailer.server";
import { oncePerDay, queuePushes, type PushMessage, type QueuedPush } from "~/features/push/queue.server";
import { devicesByRep } from "~/features/push/subscriptions.server";
import { appUrl } from "~/shared/app-origin.server";
import { dayLabel } from "~/shared/date-formats";
import { Refusal } from "~/features/refusal";
import { answerLinkPath, createAnswerLink } from "./answer-links.server";
import { boostSummary, openTodaysBoost } from "./boost.server";
import { digestMail, type DigestContent } from "./digest-mail";

export const MAX_VACATION_DAYS = 60;

export async function digestEnabled(db: Handle, userId: string): Promise<boolean> {
  const preference = await first(
    db
      .select({ digest: reminderPreferences.digest })
      .from(reminderPreferences)
      .where(eq(reminderPreferences.userId, userId))
      .limit(1),
  );
  return preference?.digest ?? true;
}

export async function setDigestEnabled(
  db: Handle,
  user: Pick<SessionUser, "id" | "orgId">,
  digest: boolean,
): Promise<void> {
  await db
    .insert(reminderPreferences)
    .values({ userId: user.id, orgId: user.orgId, digest })
    .onConflictDoUpdate({ target: reminderPreferences.userId, set: { digest } });
}

/** One-click unsubscribe from the link in a digest; true when the token matched someone. */
export async function unsubscribeWithToken(db: Handle, token: string): Promise<boolean> {
  const result = await db
    .update(reminderPreferences)
    .set({ digest: false })
    .where(eq(reminderPreferences.unsubscribeTokenHash, hashLinkToken(token)));
  return changedRows(result) > 0;
}

export async function isValidUnsubscribeToken(db: Handle, token: string): Promise<boolean> {
  const found = await first(
    db
      .select({ userId: reminderPreferences.userId })
      .from(reminderPreferences)
      .where(eq(reminderPreferences.unsubscribeTokenHash, hashLinkToken(token)))
      .limit(1),
  );
  return !!found;
}

export async function currentVacation(db: Handle, user: Pick<SessionUser, "id" | "timezone">, now: Date) {
  const today = dayIn(user.timezone, now);
  return first(
    db
      .select({ id: vacations.id, startDay: vacations.startDay, endDay: vacations.endDay })
      .from(vacations)
      .where(and(eq(vacations.userId, user.id), lte(vacations.startDay, today), gt(vacations.endDay, today)))
      .limit(1),
  );
}

/**
 * Holds boosts and digests from today until `untilDay` (the day the rep is back), and moves
 * every card's schedule by the same number of days, so nothing piles up while they are away.
 */
export async function startVacation(
  db: Handle,
  user: Pick<SessionUser, "id" | "orgId" | "timezone">,
  untilDay: string,
  now: Date,
): Promise<void> {
  const today = dayIn(user.timezone, now);
  const length = daysBetween(today, untilDay);
  if (!isCalendarDay(untilDay) || Number.isNaN(length))
    throw new Refusal("Pick the date you are back, like 2026-08-15.");
  if (length < 1) throw new Refusal("Pick a date after today.");
  if (length > MAX_VACATION_DAYS) throw new Refusal(`A hold can last at most ${MAX_VACATION_DAYS} days.`);
  if (await currentVacation(db, user, now))
    throw new Refusal("You already have a hold. End it first to change the date.");
  const shift = length * DAY_MS;
  await transaction(db, async (tx) => {
    await tx
      .insert(vacations)
      .values({ id: newId(), orgId: user.orgId, userId: user.id, startDay: today, endDay: untilDay });
    await tx
      .update(cards)
      .set({ due: sql`${cards.due} + ${shift}`, lastReview: sql`${cards.lastReview} + ${shift}` })
      .where(eq(cards.userId, user.id));
  });
}

/** Back early: the hold ends today and the schedule moves back by the days not taken. */
export async function endVacation(
  db: Handle,
  user: Pick<SessionUser, "id" | "orgId" | "timezone">,
  now: Date,
): Promise<void> {
  const vacation = await currentVacation(db, user, now);
  if (!vacation) return;
  const today = dayIn(user.timezone, now);
  const unused = daysBetween(today, vacation.endDay) * DAY_MS;
  await transaction(db, async (tx) => {
    await tx.update(vacations).set({ endDay: today }).where(eq(vacations.id, vacation.id));
    await tx
      .update(cards)
      .set({ due: sql`${cards.due} - ${unused}`, lastReview: sql`${cards.lastReview} - ${unused}` })
      .where(eq(cards.userId, user.id));
  });
}

/** The hour (0–23) the clock shows in `timezone` at `at`. */
export function hourIn(timezone: string, at: Date): number {
  return Number(new Intl.DateTimeFormat("en-GB", { timeZone: timezone, hour: "2-digit", hourCycle: "h23" }).format(at));
}

/** Digests written to the outbox, and pushes queued (decision 036). */
export type DigestRun = { sent: number; pushesQueued: number };

/**
 * The questions today's boost has left, read without choosing the boost (only /boost and the
 * digest's answer links do that). A boost already finished today, or none due, leaves 0: "N due"
 * with a link to an empty boost would send the rep to nothing.
 */
async function questionsLeft(
  tx: Handle,
  rep: { id: string; due: number },
  org: { id: string; timezone: string; boostMinutes: number },
  now: Date,
): Promise<number> {
  if (rep.due === 0) return 0;
  const learner = { id: rep.id, orgId: org.id, timezone: org.timezone };
  const summary = await boostSummary(tx, learner, org.boostMinutes, now);
  return summary.state === "open" ? summary.due - summary.answered : 0;
}

/**
 * The boost's next question with one answer link per choice, and the questions it has left
 * (decision 030). It opens the day's boost, as /boost would on the rep's first visit, so that the
 * question is the one the boost asks next and the answer counts for that boost; only for a digest
 * that is mailed with links. Null when none of its questions can be asked.
 */
async function questionWithLinks(
  tx: Handle,
  rep: { id: string },
  org: { id: string; timezone: string },
  day: string,
  now: Date,
): Promise<{ left: number; question: NonNullable<DigestContent["question"]> } | null> {
  const boost = await openTodaysBoost(tx, { id: rep.id, orgId: org.id, timezone: org.timezone }, now);
  if (boost.state !== "open") return null;
  const token = await createAnswerLink(tx, {
    orgId: org.id,
    userId: rep.id,
    boostId: boost.boostId,
    cardId: boost.current.cardId,
    day,
    timezone: org.timezone,
  });
  return {
    left: boost.total - boost.answered,
    question: {
      lessonTitle: boost.current.lessonTitle,
      prompt: boost.current.prompt,
      multiple: boost.current.kind === "multiple",
      choices: boost.current.choices.map((c) => ({ text: c.text, url: appUrl(answerLinkPath(token, c.id)) })),
    },
  };
}

/**
 * Sends today's digest to every rep whose organization's digest hour has come, who has
 * something due, has not opted out and is not on hold. Safe to run from several processes
 * and servers at once: each digest is claimed (digest_sends' primary key) in the transaction
 * that writes its mail to the outbox, and the mail leaves only after that commit.
 */
export async function sendDueDigests(db: Handle, now: Date): Promise<DigestRun> {
  let sent = 0;
  // The pushes the run queued: sent after it by deliverQueuedPushes (scheduled-work.server.ts).
  const pushIds: string[] = [];
  const orgs = await db
    .select({
      id: organizations.id,
      name: organizations.name,
      timezone: organizations.timezone,
      digestHour: organizations.digestHour,
      // Read once for the organization's reps, not once per rep.
      boostMinutes: organizations.boostMinutes,
    })
    .from(organizations);
  for (const org of orgs) {
    if (hourIn(org.timezone, now) < org.digestHour) continue;
    const day = dayIn(org.timezone, now);
    const candidates = await db
      .select({
        id: users.id,
        email: users.email,
        name: users.name,
        due: sql<number>`(select count(*) from ${cards} where ${cards.userId} = ${users.id} and ${cards.due} <= ${now.getTime()})`.mapWith(
          Number,
        ),
        answerLinks: reminderPreferences.answerLinks,
        digest: reminderPreferences.digest,
        pushBoost: reminderPreferences.pushBoost,
        pushAssignments: reminderPreferences.pushAssignments,
        digestWithPush: reminderPreferences.digestWithPush,
      })
      .from(users)
      .innerJoin(userRoles, and(eq(userRoles.userId, users.id), eq(userRoles.role, "rep")))
      .leftJoin(digestSends, and(eq(digestSends.userId, users.id), eq(digestSends.day, day)))
      .leftJoin(reminderPreferences, eq(reminderPreferences.userId, users.id))
      .where(
        and(
          eq(users.orgId, org.id),
          eq(users.active, true),
          isNull(digestSends.userId),
          // No preference row means the digest is on; a rep who turned it off may still get push.
          or(
            isNull(reminderPreferences.digest),
            eq(reminderPreferences.digest, true),
            exists(
              db
                .select({ id: pushSubscriptions.id })
                .from(pushSubscriptions)
                .where(eq(pushSubscriptions.userId, users.id)),
            ),
          ),
        ),
      );
    // One pass over the organization's assignments for all these reps, not one per rep.
    const dueSoon = await assignmentsDueSoon(
      db,
      org.id,
      candidates.map((r) => r.id),
      day,
      addDays(day, 2),
    );
    const reps = candidates
      .map((r) => ({ ...r, assignments: dueSoon.get(r.id) ?? [] }))
      .filter((r) => r.due > 0 || r.assignments.length > 0);
    if (reps.length === 0) continue;
    const held = await db
      .select({ userId: vacations.userId })
      .from(vacations)
      .where(
        and(
          inArray(
            vacations.userId,
            reps.map((r) => r.id),
          ),
          lte(vacations.startDay, day),
          gt(vacations.endDay, day),
        ),
      );
    const onHold = new Set(held.map((v) => v.userId));
    const devices = await devicesByRep(
      db,
      reps.filter((r) => !onHold.has(r.id)).map((r) => r.id),
    );
    const tomorrow = addDays(day, 1);
    for (const rep of reps) {
      if (onHold.has(rep.id)) continue;
      const claimed = await transaction(db, async (tx) => {
        // The claim comes first: when another process or server has claimed this digest, the
        // insert does nothing (on PostgreSQL a claim committed during this transaction fails it
        // as a serialization conflict, and the retry finds the claim) and nothing is sent.
        const claim = await first(
          tx
            .insert(digestSends)
            .values({ userId: rep.id, day, orgId: org.id, sentAt: now })
            .onConflictDoNothing()
            .returning({ userId: digestSends.userId }),
        );
        if (!claim) return false;
        const left = await questionsLeft(tx, rep, org, now);
        const plan = reminderPlan({ ...rep, due: left }, devices.get(rep.id) ?? [], tomorrow);
        pushIds.push(...(await queuePushes(tx, plan.pushes(org.id, day), now)));
        if (!plan.mail) return false;
        const linked = left > 0 && rep.answerLinks !== false ? await questionWithLinks(tx, rep, org, day, now) : null;
        // With links on, the opened boost has the last word (its questions may all be retired).
        const due = linked ? linked.left : rep.answerLinks !== false ? 0 : left;
        if (due === 0 && rep.assignments.length === 0) return false;
        const { token, hash } = newLinkToken();
        await tx
          .insert(reminderPreferences)
          .values({ userId: rep.id, orgId: org.id, unsubscribeTokenHash: hash })
          .onConflictDoUpdate({ target: reminderPreferences.userId, set: { unsubscribeTokenHash: hash } });
        // Written to the outbox in this transaction; handed to SMTP only after the commit.
        const outboxId = await queueMail(tx, {
          orgId: org.id,
          to: rep.email,
          ...digestMail({
            firstName: rep.name.split(" ")[0]!,
            due,
            boostUrl: appUrl("/boost"),
            question: linked?.question ?? null,
            assignments: rep.assignments.map((a) => ({
              title: a.title,
              when: `${a.status === "overdue" ? "overdue since" : "due"} ${dayLabel(a.dueDay, day)}`,
              url: appUrl(a.link),
            })),
            remindersUrl: appUrl("/account/reminders"),
            unsubscribeUrl: appUrl(`/unsubscribe/${token}`),
          }),
        });
        await tx
          .update(digestSends)
          .set({ outboxId })
          .where(and(eq(digestSends.userId, rep.id), eq(digestSends.day, day)));
        return true;
      });
      if (claimed) sent++;
    }
  }
  return { sent, pushesQueued: pushIds.length };
}

type Candidate = {
  id: string;
  due: number;
  digest: boolean | null;
  pushBoost: boolean | null;
  pushAssignments: boolean | null;
  digestWithPush: boolean | null;
  assignments: { title: string; dueDay: string; link: string }[];
};

/**
 * What reaches a rep today (decision 036): the boost by push on their devices when they chose it,
 * the digest e-mail when it is on and the boost did not go by push (or they asked for both), and
 * a push for assignments due tomorrow. Preferences missing (no row yet) are the defaults.
 */
function reminderPlan(rep: Candidate, devices: string[], tomorrow: string) {
  const boostByPush = devices.length > 0 && rep.due > 0 && rep.pushBoost !== false;
  const dueTomorrow = rep.assignments.filter((a) => a.dueDay === tomorrow);
  const assignmentPush = devices.length > 0 && dueTomorrow.length > 0 && rep.pushAssignments !== false;
  return {
    // Nothing to say (today's boost done, nothing assigned soon) is no e-mail.
    mail:
      rep.digest !== false &&
      (rep.due > 0 || rep.assignments.length > 0) &&
      (!boostByPush || rep.digestWithPush === true),
    pushes(orgId: string, day: string): QueuedPush[] {
      const messages: [PushKind & ("boost" | "assignment"), PushMessage][] = [];
      if (boostByPush)
        messages.push([
          "boost",
          {
            title: "Your boost is ready",
            // (Not "about 3 minutes": a boost's length follows the organization's minutes and the rep's pace.)
            body: `${rep.due} ${rep.due === 1 ? "question is" : "questions are"} due today.`,
            url: "/boost",
          },
        ]);
      if (assignmentPush)
        messages.push([
          "assignment",
          dueTomorrow.length === 1
            ? { title: "Due tomorrow", body: `“${dueTomorrow[0]!.title}” is due tomorrow.`, url: dueTomorrow[0]!.link }
            : { title: "Due tomorrow", body: `${dueTomorrow.length} assignments are due tomorrow.`, url: "/today" },
        ]);
      return messages.flatMap(([kind, message]) =>
        devices.map((subscriptionId) => ({
          orgId,
          userId: rep.id,
          subscriptionId,
          kind,
          once: oncePerDay(kind, day),
          ...message,
        })),
      );
    },
  };
}
