// Training an organization's FSRS weights on its own reviews (decision 024): weekly, claimed once
// per organization and week whatever the number of servers, and whenever an admin asks. The
// reviews are read in small slices (other requests run between them), the optimizer runs in a
// worker thread (training-worker.mjs), the trained weights are kept only if they predict the most
// recent reviews better (training-rules.ts), and the cards are then rescheduled from their review
// history with the kept weights, the history itself untouched.
import { Worker } from "node:worker_threads";
import { and, asc, desc, eq, inArray, lt, sql } from "drizzle-orm";
import { first, rows, transaction, type Handle } from "~/db/connection.server";
import { jsonRecords } from "~/db/dialect";
import { newId } from "~/db/ids";
import { organizations, parameterTrainings, reviewLogs, users, type TrainingStatus } from "~/db/schema";
import { DAY_MS, dayIn, weekOf } from "~/shared/days";
import { log } from "~/shared/log.server";
import { Refusal } from "~/features/refusal";
import { replay, weightsOf, type Weights } from "./fsrs.server";
import { hourIn } from "./reminders.server";
import { historyShortfall, judgeTrainedParameters, splitTime, TRAINING_STALE_MS, type Fit } from "./training-rules";

/** The clock a training reads as it goes: its start, its end. */
export type Clock = () => Date;

export type Training = typeof parameterTrainings.$inferSelect;

/** Review rows read per query: a few milliseconds each, so requests run in between. */
const READ_SLICE = 2_000;
/** Cards replayed between yields, and rescheduled per statement. */
const REPLAY_SLICE = 250;
const WRITE_SLICE = 1_000;
/** The weekly training runs at night on the organization's clock, from this hour until NIGHT_ENDS. */
export const NIGHT_STARTS = 2;
const NIGHT_ENDS = 5;
/** A training that takes longer than this is stopped and reported as failed. */
const WORKER_TIMEOUT_MS = 10 * 60_000;

const yieldToRequests = () => new Promise<void>((resolve) => setImmediate(resolve));

const ACTIVE: TrainingStatus[] = ["queued", "running"];

/** A queued or running training that has not gone stale (its server stopped), if there is one. */
async function activeTraining(db: Handle, orgId: string, now: Date): Promise<Training | undefined> {
  const active = await db
    .select()
    .from(parameterTrainings)
    .where(and(eq(parameterTrainings.orgId, orgId), inArray(parameterTrainings.status, ACTIVE)))
    .orderBy(desc(parameterTrainings.requestedAt))
    .limit(5);
  return active.find((t) => now.getTime() - (t.startedAt ?? t.requestedAt).getTime() < TRAINING_STALE_MS);
}

/** The organization's latest trainings, newest first, with who asked (null: the weekly run). */
export async function recentTrainings(
  db: Handle,
  orgId: string,
  limit = 5,
): Promise<Array<Training & { requestedByName: string | null }>> {
  const list = await db
    .select({ training: parameterTrainings, requestedByName: users.name })
    .from(parameterTrainings)
    .leftJoin(users, eq(users.id, parameterTrainings.requestedBy))
    .where(eq(parameterTrainings.orgId, orgId))
    .orderBy(desc(parameterTrainings.requestedAt))
    .limit(limit);
  return list.map((t) => ({ ...t.training, requestedByName: t.requestedByName }));
}

/** The training whose weights are in force: the latest kept one (none: FSRS's defaults). */
export async function trainingInForce(db: Handle, orgId: string): Promise<Training | null> {
  return (
    (await first(
      db
        .select()
        .from(parameterTrainings)
        .where(and(eq(parameterTrainings.orgId, orgId), eq(parameterTrainings.status, "kept")))
        .orderBy(desc(parameterTrainings.finishedAt))
        .limit(1),
    )) ?? null
  );
}

/** An admin asks for a training now: queued, unless one is already under way. Returns its id. */
export async function requestTraining(db: Handle, admin: { id: string; orgId: string }, now: Date): Promise<string> {
  return transaction(db, async (tx) => {
    const active = await activeTraining(tx, admin.orgId, now);
    if (active)
      throw new Refusal(
        "A training is already under way for your organization. This page shows its result when it ends.",
        409,
      );
    const id = newId();
    await tx.insert(parameterTrainings).values({
      id,
      orgId: admin.orgId,
      claim: `request:${id}`,
      requestedBy: admin.id,
      requestedAt: now,
      status: "queued",
    });
    return id;
  });
}

/**
 * Claims a queued training (one process wins: the update from "queued" changes one row once) and
 * runs it. Returns its final row, or null when another process had claimed it.
 */
export async function runQueuedTraining(db: Handle, trainingId: string, clock: Clock): Promise<Training | null> {
  const claimed = await db
    .update(parameterTrainings)
    .set({ status: "running", startedAt: clock() })
    .where(and(eq(parameterTrainings.id, trainingId), eq(parameterTrainings.status, "queued")))
    .returning({ id: parameterTrainings.id, orgId: parameterTrainings.orgId });
  if (claimed.length === 0) return null;
  return train(db, claimed[0]!, clock);
}

/** Runs a queued training in the background of this process; errors end up in its row and the log. */
export function startTraining(db: Handle, trainingId: string, clock: Clock): void {
  runQueuedTraining(db, trainingId, clock).catch((error: unknown) =>
    log.error({ err: error, trainingId }, "parameter training failed"),
  );
}

/**
 * The scheduler's part: marks trainings whose server stopped as failed, runs queued ones left
 * behind (asked for more than two minutes ago and never claimed), and claims each organization's
 * weekly training at night on its clock (the first night of the week a scheduler runs; the unique
 * (org, "weekly:<Monday>") claim makes it once per week however many servers try) and runs it.
 * One training at a time, in this process.
 */
export async function runDueTrainings(db: Handle, clock: Clock): Promise<number> {
  const now = clock();
  await closeStaleTrainings(db, now);
  let ran = 0;
  const leftBehind = await db
    .select({ id: parameterTrainings.id })
    .from(parameterTrainings)
    .where(
      and(
        eq(parameterTrainings.status, "queued"),
        lt(parameterTrainings.requestedAt, new Date(now.getTime() - 2 * 60_000)),
      ),
    )
    .orderBy(asc(parameterTrainings.requestedAt))
    .limit(20);
  for (const { id } of leftBehind) if (await runQueuedTraining(db, id, clock)) ran++;

  const orgs = await db.select({ id: organizations.id, timezone: organizations.timezone }).from(organizations);
  for (const org of orgs) {
    const hour = hourIn(org.timezone, clock());
    if (hour < NIGHT_STARTS || hour >= NIGHT_ENDS) continue;
    const claimed = await claimWeeklyTraining(db, org, clock());
    if (claimed) {
      await train(db, claimed, clock);
      ran++;
    }
  }
  return ran;
}

/**
 * Trainings still running 30 minutes after they started were cut short by their server. One
 * whose weights were already in force when it stopped (it was rescheduling the cards) is kept,
 * and says so; any other failed, and the weights in use stay.
 */
async function closeStaleTrainings(db: Handle, now: Date): Promise<void> {
  const stale = await db
    .select({
      id: parameterTrainings.id,
      parameters: parameterTrainings.parameters,
      inForce: organizations.fsrsParameters,
      reason: parameterTrainings.reason,
    })
    .from(parameterTrainings)
    .innerJoin(organizations, eq(organizations.id, parameterTrainings.orgId))
    .where(
      and(
        eq(parameterTrainings.status, "running"),
        lt(parameterTrainings.startedAt, new Date(now.getTime() - TRAINING_STALE_MS)),
      ),
    );
  for (const t of stale) {
    const applied = t.parameters !== null && JSON.stringify(t.parameters) === JSON.stringify(t.inForce);
    await db
      .update(parameterTrainings)
      .set(
        applied
          ? {
              status: "kept",
              finishedAt: now,
              reason:
                `${t.reason ?? ""} The server stopped while the cards were being rescheduled: those not reached take the new parameters at their next answer.`.trim(),
            }
          : {
              status: "failed",
              finishedAt: now,
              reason: "The server stopped before the training finished. The current parameters stay; ask again.",
            },
      )
      .where(and(eq(parameterTrainings.id, t.id), eq(parameterTrainings.status, "running")));
  }
}

async function claimWeeklyTraining(
  db: Handle,
  org: { id: string; timezone: string },
  now: Date,
): Promise<{ id: string; orgId: string } | null> {
  const claim = `weekly:${weekOf(dayIn(org.timezone, now))}`;
  return transaction(db, async (tx) => {
    // An admin's training under way: the weekly one waits for a later minute of the week.
    if (await activeTraining(tx, org.id, now)) return null;
    const id = newId();
    const inserted = await first(
      tx
        .insert(parameterTrainings)
        .values({ id, orgId: org.id, claim, requestedAt: now, startedAt: now, status: "running" })
        .onConflictDoNothing()
        .returning({ id: parameterTrainings.id }),
    );
    return inserted ? { id, orgId: org.id } : null;
  });
}

/** The review histories of an organization's cards, in the shape the worker takes. */
type Histories = {
  cardIds: string[];
  /** Each card's number of reviews (the guard when rescheduling: a card answered since is left alone). */
  reviewCounts: number[];
  ratings: Uint8Array;
  days: Int32Array;
  times: Float64Array;
  cardStarts: Uint32Array;
  /** Times of the repeat reviews (a card's second or later), and how many reps gave them. */
  repeatTimes: number[];
  reps: number;
};

/** Day numbers on the organization's calendar, computed once per quarter hour of time. */
function localDayNumbers(timezone: string): (ms: number) => number {
  const cache = new Map<number, number>();
  return (ms) => {
    const bucket = Math.floor(ms / 900_000);
    let day = cache.get(bucket);
    if (day === undefined) {
      day = Date.parse(`${dayIn(timezone, new Date(ms))}T00:00:00Z`) / DAY_MS;
      cache.set(bucket, day);
    }
    return day;
  };
}

async function readHistories(db: Handle, orgId: string, timezone: string): Promise<Histories> {
  // Reviews arrive in time order, card after card mixed; kept in flat arrays (no small array per
  // card for the collector to chase), then grouped by card with a counting sort, in slices.
  const cardIndex = new Map<string, number>();
  const cardIds: string[] = [];
  const cardUser: string[] = [];
  const reviewCard: number[] = [];
  const reviewRating: number[] = [];
  const reviewTime: number[] = [];
  const reviewDay: number[] = [];
  const dayOf = localDayNumbers(timezone);
  const span = await first(
    db
      .select({
        from: sql<number | null>`min(${reviewLogs.reviewedAt})`,
        to: sql<number | null>`max(${reviewLogs.reviewedAt})`,
      })
      .from(reviewLogs)
      .where(eq(reviewLogs.orgId, orgId)),
  );
  // Windows of time, each one range of the (org, reviewed_at) index in its order: a window grows
  // or shrinks so that it brings about READ_SLICE reviews.
  let window = DAY_MS;
  for (let from = Number(span?.from ?? 0), to = Number(span?.to ?? -1); from <= to;) {
    const until = from + window;
    const slice = await db
      .select({
        cardId: reviewLogs.cardId,
        userId: reviewLogs.userId,
        rating: reviewLogs.rating,
        reviewedAt: reviewLogs.reviewedAt,
      })
      .from(reviewLogs)
      .where(
        and(
          eq(reviewLogs.orgId, orgId),
          sql`${reviewLogs.reviewedAt} >= ${from}`,
          sql`${reviewLogs.reviewedAt} < ${until}`,
        ),
      )
      .orderBy(asc(reviewLogs.reviewedAt));
    for (const r of slice) {
      let c = cardIndex.get(r.cardId);
      if (c === undefined) {
        c = cardIds.length;
        cardIndex.set(r.cardId, c);
        cardIds.push(r.cardId);
        cardUser.push(r.userId);
      }
      const at = r.reviewedAt.getTime();
      reviewCard.push(c);
      reviewRating.push(r.rating);
      reviewTime.push(at);
      reviewDay.push(dayOf(at));
    }
    from = until;
    window = Math.max(60_000, Math.round(window * Math.min(4, Math.max(0.25, READ_SLICE / Math.max(1, slice.length)))));
    await yieldToRequests();
  }

  const total = reviewCard.length;
  const reviewCounts = new Array<number>(cardIds.length).fill(0);
  for (let i = 0; i < total; i++) reviewCounts[reviewCard[i]!]!++;
  const cardStarts = new Uint32Array(cardIds.length + 1);
  for (let c = 0; c < cardIds.length; c++) cardStarts[c + 1] = cardStarts[c]! + reviewCounts[c]!;
  const next = Uint32Array.from(cardStarts.subarray(0, cardIds.length));
  const ratings = new Uint8Array(total);
  const days = new Int32Array(total);
  const times = new Float64Array(total);
  const repeatTimes: number[] = [];
  const repeaters = new Set<string>();
  for (let i = 0; i < total; i++) {
    const c = reviewCard[i]!;
    const at = next[c]!++;
    ratings[at] = reviewRating[i]!;
    days[at] = reviewDay[i]!;
    times[at] = reviewTime[i]!;
    // In time order, so any review after a card's first is a repeat.
    if (at > cardStarts[c]!) {
      repeatTimes.push(reviewTime[i]!);
      repeaters.add(cardUser[c]!);
    }
    if (i % 50_000 === 49_999) await yieldToRequests();
  }
  return { cardIds, reviewCounts, ratings, days, times, cardStarts, repeatTimes, reps: repeaters.size };
}

type WorkerResult = { parameters: number[]; trainItems: number; testItems: number; current: Fit; trained: Fit };

/** Runs the optimizer in a worker thread: this process's event loop stays free for requests. */
function trainInWorker(input: {
  ratings: Uint8Array;
  days: Int32Array;
  times: Float64Array;
  cardStarts: Uint32Array;
  splitAt: number;
  current: number[];
}): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    // Beside this module in the source, beside the server bundle in a build (vite.config.ts copies it).
    const worker = new Worker(new URL("./training-worker.mjs", import.meta.url), {
      workerData: { role: "flywheel-parameter-training", input },
    });
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error(`the optimizer took more than ${WORKER_TIMEOUT_MS / 60_000} minutes`));
    }, WORKER_TIMEOUT_MS);
    worker.once("message", (message: { ok: true; result: WorkerResult } | { ok: false; message: string }) => {
      clearTimeout(timer);
      void worker.terminate();
      if (message.ok) resolve(message.result);
      else reject(new Error(message.message));
    });
    worker.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

async function finish(db: Handle, id: string, values: Partial<Training>): Promise<Training> {
  await db.update(parameterTrainings).set(values).where(eq(parameterTrainings.id, id));
  return (await first(db.select().from(parameterTrainings).where(eq(parameterTrainings.id, id)).limit(1)))!;
}

/** The whole training of one claimed row: read, train, judge, keep or discard, reschedule. */
async function train(db: Handle, training: { id: string; orgId: string }, clock: Clock): Promise<Training> {
  try {
    const org = (await first(
      db
        .select({
          timezone: organizations.timezone,
          desiredRetention: organizations.desiredRetention,
          parameters: organizations.fsrsParameters,
        })
        .from(organizations)
        .where(eq(organizations.id, training.orgId))
        .limit(1),
    ))!;
    const history = await readHistories(db, training.orgId, org.timezone);
    const base = { reviews: history.repeatTimes.length, reps: history.reps };
    const shortfall = historyShortfall(base.reviews, base.reps);
    if (shortfall)
      return await finish(db, training.id, { ...base, status: "skipped", finishedAt: clock(), reason: shortfall });

    const current = [...weightsOf(org.parameters)];
    const result = await trainInWorker({
      ratings: history.ratings,
      days: history.days,
      times: history.times,
      cardStarts: history.cardStarts,
      splitAt: splitTime(history.repeatTimes),
      current,
    });
    const verdict = judgeTrainedParameters(result.current, result.trained, result.testItems);
    const measured = {
      ...base,
      testReviews: result.testItems,
      currentLogLoss: result.current.logLoss,
      currentRmse: result.current.rmse,
      trainedLogLoss: result.trained.logLoss,
      trainedRmse: result.trained.rmse,
      parameters: result.parameters,
      reason: verdict.reason,
    };
    if (!verdict.keep) return await finish(db, training.id, { ...measured, status: "discarded", finishedAt: clock() });

    // The weights take effect at once (every answer from now on uses them); the training stays
    // "running" until its cards are rescheduled, so the page says it is under way until then.
    await transaction(db, async (tx) => {
      await tx
        .update(organizations)
        .set({ fsrsParameters: result.parameters })
        .where(eq(organizations.id, training.orgId));
      await tx.update(parameterTrainings).set(measured).where(eq(parameterTrainings.id, training.id));
    });
    const rescheduled = await rescheduleCards(db, training.orgId, history, {
      desiredRetention: org.desiredRetention,
      parameters: result.parameters,
    });
    return await finish(db, training.id, { status: "kept", cardsRescheduled: rescheduled, finishedAt: clock() });
  } catch (error) {
    log.error({ err: error, trainingId: training.id }, "parameter training failed");
    return finish(db, training.id, {
      status: "failed",
      finishedAt: clock(),
      reason: `The training stopped with an error (${(error as Error).message}). The current parameters stay.`,
    });
  }
}

/**
 * Each card's memory (stability, difficulty) and next due date as the kept weights would have
 * made them, replayed from its review history; the due date counts from the card's own last
 * review (which a vacation hold may have moved). A card answered since the history was read
 * (its review count changed) is left as it is: its next answer schedules it with the new weights.
 */
async function rescheduleCards(
  db: Handle,
  orgId: string,
  history: Histories,
  scheduling: { desiredRetention: number; parameters: Weights },
): Promise<number> {
  let rescheduled = 0;
  let records: Array<Record<string, string | number>> = [];
  const write = async () => {
    const values = jsonRecords(
      records,
      {
        id: "text",
        reps: "integer",
        stability: "real",
        difficulty: "real",
        scheduled_days: "integer",
        state: "integer",
        interval_ms: "bigint",
      },
      "v",
    );
    records = [];
    const changed = await rows<{ id: string }>(
      db,
      sql`update cards set stability = v.stability, difficulty = v.difficulty, scheduled_days = v.scheduled_days,
            state = v.state, due = cards.last_review + v.interval_ms
          from ${values}
          where cards.id = v.id and cards.org_id = ${orgId} and cards.reps = v.reps and cards.last_review is not null
          returning cards.id`,
    );
    rescheduled += changed.length;
  };
  for (let c = 0; c < history.cardIds.length; c++) {
    const reviews = [];
    for (let i = history.cardStarts[c]!; i < history.cardStarts[c + 1]!; i++)
      reviews.push({ rating: history.ratings[i]!, at: new Date(history.times[i]!) });
    const card = replay(reviews, scheduling.desiredRetention, scheduling.parameters);
    if (card?.lastReview)
      records.push({
        id: history.cardIds[c]!,
        reps: history.reviewCounts[c]!,
        stability: card.stability,
        difficulty: card.difficulty,
        scheduled_days: card.scheduledDays,
        state: card.state,
        interval_ms: card.due.getTime() - card.lastReview.getTime(),
      });
    // Replayed a few hundred at a time, written a thousand to a statement (one commit each).
    if (records.length >= WRITE_SLICE) await write();
    if (c % REPLAY_SLICE === REPLAY_SLICE - 1) await yieldToRequests();
  }
  if (records.length) await write();
  return rescheduled;
}
