// Item tallies in the database (decision 039): added to in the answer's transaction, rebuilt from
// the stored answers for a database that has answers and no tallies (an upgrade, the bench's
// generator), and read per period by /content/insights. The arithmetic is in ./tallies.
import { and, eq, getTableColumns, gte, sql, type AnyColumn, type SQL } from "drizzle-orm";
import { first, transaction, type Handle, type Transaction } from "~/db/connection.server";
import {
  attempts,
  cards,
  choiceTallies,
  creditTallies,
  organizations,
  questionTallies,
  recallTallies,
} from "~/db/schema";
import { inList } from "~/db/dialect";
import { dayIn, weekOf } from "~/shared/days";
import { log } from "~/shared/log.server";
import {
  addUp,
  firstAnswerRows,
  newFirstAnswerRows,
  recallBucket,
  tallyAnswers,
  type ChoiceRow,
  type CreditRow,
  type FirstAnswerRows,
  type ItemTally,
  type Mark,
  type QuestionRow,
  type RecallRow,
} from "./tallies";

const DAY_MS = 86_400_000;
const BATCH = 500;

/** The organization's week (its Monday) of a moment. */
export const weekAt = (timezone: string, at: Date) => weekOf(dayIn(timezone, at));

type Place = { orgId: string; lessonId: string };
type Table = typeof questionTallies | typeof choiceTallies | typeof creditTallies | typeof recallTallies;

/** Adds rows into a tally table: a new row, or its counts added to the row already there. */
async function addInto(
  tx: Handle,
  table: Table,
  keys: SQL[] | Array<AnyColumn>,
  counts: string[],
  rows: Array<Record<string, unknown>>,
  mode: "add" | "keep" = "add",
) {
  const columns = getTableColumns(table) as Record<string, AnyColumn>;
  for (let i = 0; i < rows.length; i += BATCH) {
    const insert = tx.insert(table).values(rows.slice(i, i + BATCH) as never);
    await (mode === "keep"
      ? insert.onConflictDoNothing()
      : insert.onConflictDoUpdate({
          target: keys as never,
          set: Object.fromEntries(
            counts.map((c) => [c, sql`${columns[c]} + excluded.${sql.identifier(columns[c]!.name)}`]),
          ),
        }));
  }
}

const QUESTION_KEYS = [
  questionTallies.orgId,
  questionTallies.week,
  questionTallies.lessonId,
  questionTallies.questionKey,
  questionTallies.lessonVersionId,
];
const QUESTION_COUNTS = ["answers", "correct", "pairs", "rightPairs", "restSum", "restSquares", "rightRestSum"];
const CHOICE_KEYS = [
  choiceTallies.orgId,
  choiceTallies.week,
  choiceTallies.lessonId,
  choiceTallies.questionKey,
  choiceTallies.lessonVersionId,
  choiceTallies.choice,
];
const CREDIT_KEYS = [
  creditTallies.orgId,
  creditTallies.week,
  creditTallies.lessonId,
  creditTallies.questionKey,
  creditTallies.lessonVersionId,
  creditTallies.credit,
];
const RECALL_KEYS = [
  recallTallies.orgId,
  recallTallies.week,
  recallTallies.lessonId,
  recallTallies.questionKey,
  recallTallies.after,
];

const located = (place: Place) => (row: { key: string; versionId?: string }) => {
  const { key, versionId, ...rest } = row;
  return {
    orgId: place.orgId,
    lessonId: place.lessonId,
    questionKey: key,
    ...(versionId === undefined ? {} : { lessonVersionId: versionId }),
    ...rest,
  };
};

async function addFirstAnswerRows(tx: Handle, place: Place, rows: FirstAnswerRows, mode: "add" | "keep" = "add") {
  const at = located(place);
  await addInto(tx, questionTallies, QUESTION_KEYS, QUESTION_COUNTS, rows.questions.map(at), mode);
  await addInto(tx, choiceTallies, CHOICE_KEYS, ["picks"], rows.choices.map(at), mode);
  await addInto(tx, creditTallies, CREDIT_KEYS, ["answers"], rows.credits.map(at), mode);
}

const asMark =
  (timezone: string) =>
  (a: { key: string; versionId: string; chosen: string[]; correct: boolean; score: number; at: Date }): Mark => ({
    key: a.key,
    versionId: a.versionId,
    week: weekAt(timezone, a.at),
    chosen: a.chosen,
    correct: a.correct,
    score: a.score,
  });

const markColumns = {
  key: attempts.questionKey,
  versionId: attempts.lessonVersionId,
  chosen: attempts.chosen,
  correct: attempts.correct,
  score: attempts.score,
  at: attempts.createdAt,
};

/**
 * Counts a rep's first answer to a question, called in the answer's transaction after the attempt
 * is stored: its own rows, and the change it makes to the rest score of the rep's earlier first
 * answers in the lesson.
 */
export async function tallyFirstAnswer(
  tx: Transaction,
  rep: { id: string; orgId: string; timezone: string },
  lessonId: string,
  answer: { key: string; versionId: string; chosen: string[]; correct: boolean; score: number; at: Date },
): Promise<void> {
  const mark = asMark(rep.timezone);
  const earlier = await tx
    .select(markColumns)
    .from(attempts)
    .where(and(eq(attempts.userId, rep.id), eq(attempts.lessonId, lessonId), eq(attempts.first, true)));
  const others = earlier.filter((a) => a.key !== answer.key).map(mark);
  await addFirstAnswerRows(tx, { orgId: rep.orgId, lessonId }, newFirstAnswerRows(others, mark(answer)));
}

/** Counts a boost answer into its recall bucket (from 7 days after the rep's card was made). */
export async function tallyBoostAnswer(
  tx: Transaction,
  rep: { id: string; orgId: string; timezone: string },
  lessonId: string,
  answer: { key: string; correct: boolean; at: Date },
): Promise<void> {
  const card = await first(
    tx
      .select({ made: cards.createdAt })
      .from(cards)
      .where(and(eq(cards.userId, rep.id), eq(cards.lessonId, lessonId), eq(cards.questionKey, answer.key)))
      .limit(1),
  );
  const after = card ? recallBucket(Math.floor((answer.at.getTime() - card.made.getTime()) / DAY_MS)) : null;
  if (after === null) return;
  const row = {
    key: answer.key,
    week: weekAt(rep.timezone, answer.at),
    after,
    answers: 1,
    correct: answer.correct ? 1 : 0,
  };
  await addInto(tx, recallTallies, RECALL_KEYS, ["answers", "correct"], [located({ orgId: rep.orgId, lessonId })(row)]);
}

/** Sums a tally table's counts per lesson and key (and `extra`) over the weeks from `fromWeek`. */
function summed<T extends Table>(
  db: Handle,
  table: T,
  counts: string[],
  extra: Record<string, SQL | AnyColumn>,
  filter: { orgId: string; fromWeek: string; lessonId?: string; versionId?: string | null },
) {
  const columns = getTableColumns(table) as Record<string, AnyColumn>;
  const groups: Record<string, SQL> = {
    lessonId: sql`${columns.lessonId}`,
    key: sql`${columns.questionKey}`,
    ...Object.fromEntries(Object.entries(extra).map(([name, column]) => [name, sql`${column}`])),
  };
  return db
    .select({
      ...groups,
      ...Object.fromEntries(counts.map((c) => [c, sql<number>`sum(${columns[c]})`.mapWith(Number)])),
    })
    .from(table as never)
    .where(
      and(
        eq(columns.orgId!, filter.orgId),
        gte(columns.week!, filter.fromWeek),
        ...(filter.lessonId ? [eq(columns.lessonId!, filter.lessonId)] : []),
        ...(filter.versionId && columns.lessonVersionId ? [eq(columns.lessonVersionId, filter.versionId)] : []),
      ),
    )
    .groupBy(...Object.values(groups)) as unknown as Promise<Array<Record<string, unknown>>>;
}

/** The stored tallies of the organization's questions from `fromWeek` on, per lesson and key. */
export async function storedTallies(
  db: Handle,
  filter: { orgId: string; fromWeek: string; lessonId?: string; versionId?: string | null },
): Promise<Map<string, Map<string, ItemTally>>> {
  const [questions, choices, credits, recall] = await Promise.all([
    summed(db, questionTallies, QUESTION_COUNTS, {}, filter),
    summed(db, choiceTallies, ["picks"], { choice: choiceTallies.choice }, filter),
    summed(db, creditTallies, ["answers"], { credit: creditTallies.credit }, filter),
    summed(db, recallTallies, ["answers", "correct"], { after: recallTallies.after }, filter),
  ]);
  return perLesson({ questions, choices, credits, recall } as never);
}

type LessonRows = {
  questions: Array<QuestionRow & { lessonId: string }>;
  choices: Array<ChoiceRow & { lessonId: string }>;
  credits: Array<CreditRow & { lessonId: string }>;
  recall: Array<RecallRow & { lessonId: string }>;
};

/** Rows of many lessons added up per lesson and key. */
function perLesson(rows: LessonRows): Map<string, Map<string, ItemTally>> {
  const questions = byLesson(rows.questions);
  const choices = byLesson(rows.choices);
  const credits = byLesson(rows.credits);
  const recall = byLesson(rows.recall);
  const lessonIds = new Set([...questions.keys(), ...choices.keys(), ...credits.keys(), ...recall.keys()]);
  return new Map(
    [...lessonIds].map((lessonId) => [
      lessonId,
      addUp({
        questions: questions.get(lessonId) ?? [],
        choices: choices.get(lessonId) ?? [],
        credits: credits.get(lessonId) ?? [],
        recall: recall.get(lessonId) ?? [],
      }),
    ]),
  );
}

/** Rows grouped by their lesson, in one pass. */
function byLesson<T extends { lessonId: string }>(list: T[]): Map<string, T[]> {
  const grouped = new Map<string, T[]>();
  for (const row of list) (grouped.get(row.lessonId) ?? grouped.set(row.lessonId, []).get(row.lessonId)!).push(row);
  return grouped;
}

/**
 * The organization's tallies made again from its stored answers, in one transaction: for a
 * database that has answers and no tallies. Rows another server wrote meanwhile are kept (two
 * servers starting together make the same rows).
 */
export async function rebuildTallies(
  db: Handle,
  orgId: string,
): Promise<{ firstAnswers: number; boostAnswers: number }> {
  const org = (await first(
    db.select({ timezone: organizations.timezone }).from(organizations).where(eq(organizations.id, orgId)).limit(1),
  ))!;
  const mark = asMark(org.timezone);
  return transaction(db, async (tx) => {
    const answers = await tx
      .select({ userId: attempts.userId, lessonId: attempts.lessonId, ...markColumns })
      .from(attempts)
      .where(and(eq(attempts.orgId, orgId), eq(attempts.first, true)));
    const byRepLesson = new Map<string, typeof answers>();
    for (const a of answers) {
      const id = `${a.userId} ${a.lessonId}`;
      byRepLesson.set(id, [...(byRepLesson.get(id) ?? []), a]);
    }
    const rows = new Map<string, FirstAnswerRows>();
    for (const list of byRepLesson.values()) {
      const made = firstAnswerRows(list.map(mark));
      const sum = rows.get(list[0]!.lessonId) ?? { questions: [], choices: [], credits: [] };
      sum.questions.push(...made.questions);
      sum.choices.push(...made.choices);
      sum.credits.push(...made.credits);
      rows.set(list[0]!.lessonId, sum);
    }
    for (const [lessonId, made] of rows) await addFirstAnswerRows(tx, { orgId, lessonId }, merged(made), "keep");

    const boosts = await boostAnswersWithCards(tx, [eq(attempts.orgId, orgId)]);
    const recall = new Map<string, RecallRow & { lessonId: string }>();
    for (const b of boosts) {
      const after = recallBucket(Math.floor((b.at.getTime() - b.made.getTime()) / DAY_MS));
      if (after === null) continue;
      const week = weekAt(org.timezone, b.at);
      const id = [b.lessonId, b.key, week, after].join(" ");
      const row = recall.get(id) ?? { lessonId: b.lessonId, key: b.key, week, after, answers: 0, correct: 0 };
      row.answers += 1;
      row.correct += b.correct ? 1 : 0;
      recall.set(id, row);
    }
    await addInto(
      tx,
      recallTallies,
      RECALL_KEYS,
      ["answers", "correct"],
      [...recall.values()].map(({ lessonId, ...row }) => located({ orgId, lessonId })(row)),
      "keep",
    );
    return { firstAnswers: answers.length, boostAnswers: boosts.length };
  });
}

/** Rows of the same question, version, week (and choice or credit) added into one. */
function merged(rows: FirstAnswerRows): FirstAnswerRows {
  const add = <T extends Record<string, unknown>>(list: T[], id: (row: T) => string, counts: Array<keyof T>) => {
    const out = new Map<string, T>();
    for (const row of list) {
      const sum = out.get(id(row));
      if (!sum) out.set(id(row), { ...row });
      else for (const c of counts) (sum[c] as number) += row[c] as number;
    }
    return [...out.values()];
  };
  const at = (r: { key: string; versionId: string; week: string }) => `${r.key} ${r.versionId} ${r.week}`;
  return {
    questions: add(rows.questions, at, QUESTION_COUNTS as Array<keyof QuestionRow>),
    choices: add(rows.choices, (r) => `${at(r)} ${r.choice}`, ["picks"]),
    credits: add(rows.credits, (r) => `${at(r)} ${r.credit}`, ["answers"]),
  };
}

/** Boost answers matching `where`, each with when the rep's card for the question was made. */
function boostAnswersWithCards(db: Handle, where: SQL[]) {
  return db
    .select({
      lessonId: attempts.lessonId,
      key: attempts.questionKey,
      correct: attempts.correct,
      at: attempts.createdAt,
      made: cards.createdAt,
    })
    .from(attempts)
    .innerJoin(
      cards,
      and(
        eq(cards.userId, attempts.userId),
        eq(cards.lessonId, attempts.lessonId),
        eq(cards.questionKey, attempts.questionKey),
      ),
    )
    .where(and(eq(attempts.context, "boost"), ...where));
}

/** At start: every organization with first answers and no tallies gets them made (an upgrade). */
export async function backfillTallies(db: Handle): Promise<void> {
  const orgs = await db.select({ id: organizations.id }).from(organizations);
  for (const org of orgs) {
    const tallied = await first(
      db
        .select({ one: sql`1` })
        .from(questionTallies)
        .where(eq(questionTallies.orgId, org.id))
        .limit(1),
    );
    if (tallied) continue;
    const answered = await first(
      db
        .select({ one: sql`1` })
        .from(attempts)
        .where(and(eq(attempts.orgId, org.id), eq(attempts.first, true)))
        .limit(1),
    );
    if (!answered) continue;
    const started = Date.now();
    const counted = await rebuildTallies(db, org.id);
    log.info({ orgId: org.id, ...counted, ms: Date.now() - started }, "made the item tallies of stored answers");
  }
}

/**
 * A few reps' tallies counted from their answers (a team's view: the stored tallies are the whole
 * organization's). The same arithmetic as the stored ones: every first answer of the rep in the
 * lesson makes the rest score; the period's weeks (and the version, if one) pick what counts.
 */
export async function countedTallies(
  db: Handle,
  filter: {
    orgId: string;
    timezone: string;
    repIds: string[];
    fromWeek: string;
    from: Date;
    lessonId?: string;
    versionId?: string | null;
  },
): Promise<Map<string, Map<string, ItemTally>>> {
  if (filter.repIds.length === 0) return new Map();
  const mark = asMark(filter.timezone);
  const ofLesson = filter.lessonId ? [eq(attempts.lessonId, filter.lessonId)] : [];
  const [firstAnswers, boostAnswers] = await Promise.all([
    db
      .select({ userId: attempts.userId, lessonId: attempts.lessonId, ...markColumns })
      .from(attempts)
      .where(
        and(
          inList(attempts.userId, filter.repIds),
          eq(attempts.orgId, filter.orgId),
          eq(attempts.first, true),
          ...ofLesson,
        ),
      ),
    boostAnswersWithCards(db, [
      inList(attempts.userId, filter.repIds),
      eq(attempts.orgId, filter.orgId),
      gte(attempts.createdAt, filter.from),
      ...ofLesson,
    ]),
  ]);
  const kept = (row: { week: string; versionId?: string }) =>
    row.week >= filter.fromWeek &&
    (!filter.versionId || row.versionId === undefined || row.versionId === filter.versionId);
  const firsts = byLesson(firstAnswers);
  const boosts = byLesson(boostAnswers);
  return new Map(
    [...new Set([...firsts.keys(), ...boosts.keys()])].map((lessonId) => [
      lessonId,
      tallyAnswers(
        (firsts.get(lessonId) ?? []).map((a) => ({ userId: a.userId, ...mark(a) })),
        (boosts.get(lessonId) ?? []).map((b) => ({
          key: b.key,
          week: weekAt(filter.timezone, b.at),
          correct: b.correct,
          daysSinceCard: Math.floor((b.at.getTime() - b.made.getTime()) / DAY_MS),
        })),
        kept,
      ),
    ]),
  );
}
