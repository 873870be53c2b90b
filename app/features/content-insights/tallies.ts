// Item tallies, the arithmetic (decision 039): what first answers and boost answers add to the
// per-question, per-week counts /content/insights reads. Pure, so the same functions make the
// rows an answer adds (tallies.server.ts, in the answer's transaction), rebuild them from stored
// answers, and count a team's answers on the fly; tests/unit/tallies.test.ts holds the three equal.

/** A rep's first answer to a question of a lesson, as the tallies need it. */
export type Mark = {
  key: string;
  versionId: string;
  /** The Monday of the organization's week the answer was given in. */
  week: string;
  chosen: string[];
  correct: boolean;
  score: number;
};

type Where = { key: string; versionId: string; week: string };
export type QuestionCounts = {
  answers: number;
  correct: number;
  /** First answers whose rep has another first answer in the lesson (a rest score). */
  pairs: number;
  rightPairs: number;
  restSum: number;
  restSquares: number;
  rightRestSum: number;
};
export type QuestionRow = Where & QuestionCounts;
export type ChoiceRow = Where & { choice: string; picks: number };
export type CreditRow = Where & { credit: number; answers: number };
export type RecallRow = { key: string; week: string; after: RecallBucket; answers: number; correct: number };
export type FirstAnswerRows = { questions: QuestionRow[]; choices: ChoiceRow[]; credits: CreditRow[] };

/** Boost answers are counted from 7, 30 and 90 days after the rep's card was made. */
export const RECALL_AFTER = [7, 30, 90] as const;
export type RecallBucket = (typeof RECALL_AFTER)[number];

/** The recall bucket of a boost answer given `days` after the card was made; none before 7. */
export function recallBucket(days: number): RecallBucket | null {
  return [...RECALL_AFTER].reverse().find((after) => days >= after) ?? null;
}

const where = (m: Where): Where => ({ key: m.key, versionId: m.versionId, week: m.week });

/**
 * What one rep's first answers in one lesson contribute, each to its own question: the answer
 * itself, and (when the rep has answered another question of the lesson) its rest score r, the
 * share of the rep's other first answers that were right.
 */
export function questionRows(marks: Mark[]): QuestionRow[] {
  const right = marks.filter((m) => m.correct).length;
  return marks.map((m) => {
    const others = marks.length - 1;
    const rest = others > 0 ? (right - (m.correct ? 1 : 0)) / others : 0;
    const paired = others > 0 ? 1 : 0;
    return {
      ...where(m),
      answers: 1,
      correct: m.correct ? 1 : 0,
      pairs: paired,
      rightPairs: paired && m.correct ? 1 : 0,
      restSum: rest,
      restSquares: rest * rest,
      rightRestSum: m.correct ? rest : 0,
    };
  });
}

/** One rep's first answers in one lesson: question rows, choice picks and credit (hundredths). */
export function firstAnswerRows(marks: Mark[]): FirstAnswerRows {
  return {
    questions: questionRows(marks),
    choices: marks.flatMap((m) => m.chosen.map((choice) => ({ ...where(m), choice, picks: 1 }))),
    credits: marks.map((m) => ({ ...where(m), credit: Math.round(m.score * 100), answers: 1 })),
  };
}

const COUNTS = ["answers", "correct", "pairs", "rightPairs", "restSum", "restSquares", "rightRestSum"] as const;

/**
 * What a rep's new first answer adds, given the rep's earlier first answers in the lesson: its own
 * rows, and the change of every earlier answer's rest score (the new answer joins their rest).
 */
export function newFirstAnswerRows(earlier: Mark[], next: Mark): FirstAnswerRows {
  const before = new Map(questionRows(earlier).map((row) => [row.key, row]));
  const questions = questionRows([...earlier, next]).map((row) => {
    const old = before.get(row.key);
    if (!old) return row;
    const change = { ...row };
    for (const c of COUNTS) change[c] = row[c] - old[c];
    return change;
  });
  return { ...firstAnswerRows([next]), questions: questions.filter((row) => COUNTS.some((c) => row[c] !== 0)) };
}

/** A question's tallies over a period (and maybe one version), summed. */
export type ItemTally = QuestionCounts & {
  picks: Map<string, number>;
  credits: Map<number, number>;
  recall: Map<RecallBucket, { answers: number; correct: number }>;
};

const emptyTally = (): ItemTally => ({
  answers: 0,
  correct: 0,
  pairs: 0,
  rightPairs: 0,
  restSum: 0,
  restSquares: 0,
  rightRestSum: 0,
  picks: new Map(),
  credits: new Map(),
  recall: new Map(),
});

/** Rows of any kind (already in the period) added up per question key. */
export function addUp(rows: {
  questions: Array<{ key: string } & QuestionCounts>;
  choices: Array<{ key: string; choice: string; picks: number }>;
  credits: Array<{ key: string; credit: number; answers: number }>;
  recall: Array<{ key: string; after: number; answers: number; correct: number }>;
}): Map<string, ItemTally> {
  const tallies = new Map<string, ItemTally>();
  const of = (key: string) => tallies.get(key) ?? tallies.set(key, emptyTally()).get(key)!;
  for (const row of rows.questions) {
    const tally = of(row.key);
    for (const c of COUNTS) tally[c] += Number(row[c]);
  }
  for (const row of rows.choices) {
    const picks = of(row.key).picks;
    picks.set(row.choice, (picks.get(row.choice) ?? 0) + Number(row.picks));
  }
  for (const row of rows.credits) {
    const credits = of(row.key).credits;
    credits.set(row.credit, (credits.get(row.credit) ?? 0) + Number(row.answers));
  }
  for (const row of rows.recall) {
    const bucket = recallBucket(row.after);
    if (bucket === null) continue;
    const recall = of(row.key).recall;
    const sum = recall.get(bucket) ?? { answers: 0, correct: 0 };
    recall.set(bucket, { answers: sum.answers + Number(row.answers), correct: sum.correct + Number(row.correct) });
  }
  return tallies;
}

/**
 * Answers counted on the fly, as the stored tallies count them: first answers grouped by rep
 * (each of the rep's first answers in the lesson counts in the rest score; `kept` picks the rows
 * counted: a period's weeks, a version), and boost answers with the days since their card.
 */
export function tallyAnswers(
  firstAnswers: Array<Mark & { userId: string }>,
  boostAnswers: Array<{ key: string; week: string; correct: boolean; daysSinceCard: number }>,
  kept: (row: { week: string; versionId?: string }) => boolean = () => true,
): Map<string, ItemTally> {
  const byRep = new Map<string, Mark[]>();
  for (const a of firstAnswers) byRep.set(a.userId, [...(byRep.get(a.userId) ?? []), a]);
  const rows = [...byRep.values()].map(firstAnswerRows);
  return addUp({
    questions: rows.flatMap((r) => r.questions).filter(kept),
    choices: rows.flatMap((r) => r.choices).filter(kept),
    credits: rows.flatMap((r) => r.credits).filter(kept),
    recall: boostAnswers.filter(kept).flatMap((b) => {
      const after = recallBucket(b.daysSinceCard);
      return after === null ? [] : [{ key: b.key, after, answers: 1, correct: b.correct ? 1 : 0 }];
    }),
  });
}
