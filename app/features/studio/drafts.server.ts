// A lesson's draft in the studio: saved with the revision it started from (a save over someone
// else's newer revision is refused with both texts), checked by the library's analyzer, previewed
// by compiling it (bounded in size and time), published through the library's own pipeline
// (content/versions.server.ts), and restored from any published version.
import { and, desc, eq, inArray, or, sql } from "drizzle-orm";
import { first, transaction, type Handle } from "~/db/connection.server";
import { lessonDrafts, lessonVersions, questions, questionTallies, users } from "~/db/schema";
import { recordStatement } from "~/features/activity/statements.server";
import { analyzeLesson, type AnalyzedLesson } from "~/features/content/analyze.server";
import {
  CompileTimedOut,
  compileTimeLimitMs,
  compileWithin,
  lessonHash,
  limitLabel,
} from "~/features/content/compile.server";
import type { LessonFrontmatter } from "~/features/content/frontmatter";
import { insertLessonVersion, makeVersionCurrent, versionWithHash } from "~/features/content/versions.server";
import { Refusal } from "~/features/refusal";
import {
  composeSource,
  confirmationOf,
  fieldsFrom,
  MAX_DRAFT_BYTES,
  placeProblem,
  splitSource,
  type AnsweredChange,
  type DraftFields,
  type DraftProblem,
} from "./draft-source";
import { NOT_FOUND, ownLesson, type Trainer } from "./studio.server";

export type Draft = {
  lessonId: string;
  fields: DraftFields;
  body: string;
  revision: number;
  publishedRevision: number;
  updatedAt: Date;
  updatedByName: string | null;
  updatedBy: string | null;
};

async function readDraft(db: Handle, orgId: string, lessonId: string): Promise<Draft | null> {
  const row = await first(
    db
      .select({
        lessonId: lessonDrafts.lessonId,
        frontmatter: lessonDrafts.frontmatter,
        body: lessonDrafts.body,
        revision: lessonDrafts.revision,
        publishedRevision: lessonDrafts.publishedRevision,
        updatedAt: lessonDrafts.updatedAt,
        updatedBy: lessonDrafts.updatedBy,
        updatedByName: users.name,
      })
      .from(lessonDrafts)
      .leftJoin(users, eq(users.id, lessonDrafts.updatedBy))
      .where(and(eq(lessonDrafts.lessonId, lessonId), eq(lessonDrafts.orgId, orgId)))
      .limit(1),
  );
  return row ? { ...row, fields: fieldsFrom(row.frontmatter) } : null;
}

/** The lesson and its draft; a lesson published before drafts existed starts one from its current version. */
export async function openDraft(db: Handle, trainer: Trainer, lessonId: string, now: Date) {
  const lesson = await ownLesson(db, trainer.orgId, lessonId);
  let draft = await readDraft(db, trainer.orgId, lessonId);
  if (!draft) {
    const version = lesson.currentVersionId
      ? await first(
          db
            .select({ source: lessonVersions.source, frontmatter: lessonVersions.frontmatter })
            .from(lessonVersions)
            .where(eq(lessonVersions.id, lesson.currentVersionId)),
        )
      : undefined;
    if (!version) throw new Refusal(NOT_FOUND, 404);
    const { fields, body } = splitSource(version.source, version.frontmatter);
    await db
      .insert(lessonDrafts)
      .values({
        lessonId,
        orgId: trainer.orgId,
        body,
        frontmatter: fields,
        baseVersionId: lesson.currentVersionId,
        revision: 1,
        publishedRevision: 1,
        updatedBy: trainer.id,
        updatedAt: now,
      })
      .onConflictDoNothing();
    draft = (await readDraft(db, trainer.orgId, lessonId))!;
  }
  return { lesson, draft };
}

export type SaveOutcome =
  { ok: true; revision: number } | { ok: false; theirs: Draft; yours: { fields: DraftFields; body: string } };

/**
 * Saves the trainer's text over the draft if it is still the revision they started from (or
 * their own newer save: another tab, an autosave). Otherwise nothing is written and both texts
 * go back, so the trainer can merge them by hand.
 */
export async function saveDraft(
  db: Handle,
  trainer: Trainer,
  lessonId: string,
  input: { fields: DraftFields; body: string; revision: number },
  now: Date,
): Promise<SaveOutcome> {
  const bytes = Buffer.byteLength(input.body, "utf8");
  if (bytes > MAX_DRAFT_BYTES)
    throw new Refusal(
      `The lesson is ${Math.ceil(bytes / 1024)} KB; a draft may be at most ${MAX_DRAFT_BYTES / 1024} KB. Split it into two lessons.`,
      413,
      "body",
    );
  await ownLesson(db, trainer.orgId, lessonId);
  // One statement decides: two trainers saving at once cannot both win.
  const [saved] = await db
    .update(lessonDrafts)
    .set({
      body: input.body,
      frontmatter: input.fields,
      revision: sql`${lessonDrafts.revision} + 1`,
      updatedBy: trainer.id,
      updatedAt: now,
    })
    .where(
      and(
        eq(lessonDrafts.lessonId, lessonId),
        eq(lessonDrafts.orgId, trainer.orgId),
        or(eq(lessonDrafts.revision, input.revision), eq(lessonDrafts.updatedBy, trainer.id)),
      ),
    )
    .returning({ revision: lessonDrafts.revision });
  if (saved) return { ok: true, revision: saved.revision };
  const theirs = await readDraft(db, trainer.orgId, lessonId);
  if (!theirs) throw new Refusal(NOT_FOUND, 404);
  return { ok: false, theirs, yours: { fields: input.fields, body: input.body } };
}

export type DraftCheck = {
  problems: DraftProblem[];
  warnings: DraftProblem[];
  analysis: AnalyzedLesson;
  source: string;
  /** The reading estimate (words at the reading pace, explanations and open turns included). */
  estimatedMinutes: number;
  /** The trainer's minutes are below the estimate. */
  minutesLow: boolean;
};

/** The analyzer's verdict on a draft, placed on the body's lines; the same rules as content/. */
export function checkDraft(fields: DraftFields, body: string): DraftCheck {
  const source = composeSource(fields, body);
  const analysis = analyzeLesson("lesson.mdx", source, { builtIn: false });
  const minutes = Number(fields.minutes);
  return {
    problems: analysis.errors.map(placeProblem),
    // The library's conventions and the quiz-writing advice item analysis keeps finding (warnings, never refusals).
    warnings: [...analysis.warnings, ...analysis.advice].map(placeProblem),
    analysis,
    source,
    estimatedMinutes: analysis.readingMinutes,
    minutesLow: Number.isFinite(minutes) && minutes < analysis.readingMinutes,
  };
}

/** Compiles a checked draft within the trainer's compile time limit, or says why it could not. */
async function compileWithinLimit(source: string): Promise<string> {
  try {
    return await compileWithin(source, compileTimeLimitMs());
  } catch (error) {
    if (error instanceof CompileTimedOut)
      throw new Refusal(
        `The lesson took longer than ${limitLabel(error.limitMs)} to compile. Shorten it or split it into two lessons, then try again.`,
        422,
      );
    throw new Refusal(
      `The lesson did not compile: ${(error as Error).message.split("\n").slice(-1)[0]}. Check the line the checker points to.`,
      422,
    );
  }
}

export type Preview = DraftCheck & { hash: string | null; draft: Draft };

/**
 * Compiles the saved draft for the preview (nothing is compiled when it has problems). The code
 * is kept on the draft by its hash, so the same text is compiled once and its script can be
 * served by any server.
 */
export async function previewDraft(db: Handle, trainer: Trainer, lessonId: string, now: Date): Promise<Preview> {
  const { draft } = await openDraft(db, trainer, lessonId, now);
  const check = checkDraft(draft.fields, draft.body);
  if (check.problems.length) return { ...check, hash: null, draft };
  const hash = lessonHash(check.source);
  const stored = await first(
    db.select({ previewHash: lessonDrafts.previewHash }).from(lessonDrafts).where(eq(lessonDrafts.lessonId, lessonId)),
  );
  if (stored?.previewHash !== hash) {
    const code = await compileWithinLimit(check.source);
    await db
      .update(lessonDrafts)
      .set({ previewHash: hash, previewCode: code })
      .where(and(eq(lessonDrafts.lessonId, lessonId), eq(lessonDrafts.orgId, trainer.orgId)));
  }
  return { ...check, hash, draft };
}

/** A preview's compiled code, for its script: only the trainer's organization's, only by its hash. */
export async function previewCode(db: Handle, orgId: string, lessonId: string, hash: string): Promise<string | null> {
  const row = await first(
    db
      .select({ code: lessonDrafts.previewCode })
      .from(lessonDrafts)
      .where(
        and(eq(lessonDrafts.lessonId, lessonId), eq(lessonDrafts.orgId, orgId), eq(lessonDrafts.previewHash, hash)),
      ),
  );
  return row?.code ?? null;
}

export type PublishOutcome =
  | { ok: true; versionId: string; unchanged: boolean }
  | { ok: false; problems: DraftProblem[] }
  | { ok: false; confirm: AnsweredChange[] };

/** A question's right answers, compared by their words (spacing and case aside). */
const rightAnswers = (choices: Array<{ text: string; correct: boolean }>) =>
  choices
    .filter((c) => c.correct)
    .map((c) => c.text.trim().replace(/\s+/g, " ").toLowerCase())
    .sort()
    .join("\n");

/**
 * Publishes the draft as the lesson's new current version through the library's pipeline.
 * Questions that reps have answered and that the new text drops (or gives a new id), or whose
 * right answer it changes, need confirming: `confirmed` names the changes the trainer was
 * shown (confirmationOf), and any other change asks again. A dropped question's history stays on
 * the old version and it is no longer asked; a changed one keeps its id, history and cards.
 */
export async function publishDraft(
  db: Handle,
  trainer: Trainer,
  lessonId: string,
  { revision, confirmed }: { revision: number; confirmed: string[] },
  now: Date,
): Promise<PublishOutcome> {
  const lesson = await ownLesson(db, trainer.orgId, lessonId);
  const draft = await readDraft(db, trainer.orgId, lessonId);
  if (!draft) throw new Refusal(NOT_FOUND, 404);
  if (draft.revision !== revision)
    throw new Refusal(
      `${draft.updatedByName ?? "Someone"} saved this lesson since you opened it. Reload the editor, check their changes, then publish.`,
      409,
    );
  const check = checkDraft(draft.fields, draft.body);
  if (check.problems.length) return { ok: false, problems: check.problems };
  const fm = check.analysis.frontmatter as LessonFrontmatter;

  if (lesson.currentVersionId) {
    const next = new Map(check.analysis.questions.map((q) => [q.key, q]));
    // Reps who have answered each question, from the item tallies kept with every first answer
    // (only the organization's reps answer its lessons): a count by the organization's key, not a
    // read of the attempts.
    const [current, tallied] = await Promise.all([
      db
        .select({ key: questions.key, prompt: questions.prompt, choices: questions.choices })
        .from(questions)
        .where(eq(questions.lessonVersionId, lesson.currentVersionId)),
      db
        .select({
          key: questionTallies.questionKey,
          answers: sql<number>`sum(${questionTallies.answers})`.mapWith(Number),
        })
        .from(questionTallies)
        .where(and(eq(questionTallies.orgId, trainer.orgId), eq(questionTallies.lessonId, lessonId)))
        .groupBy(questionTallies.questionKey),
    ]);
    const reps = new Map(tallied.map((t) => [t.key, t.answers]));
    const answered = current.map((q) => ({ ...q, answers: reps.get(q.key) ?? 0 }));
    const changed = answered.flatMap((q): AnsweredChange[] => {
      if (q.answers === 0) return [];
      const kept = next.get(q.key);
      const change = !kept ? "dropped" : rightAnswers(kept.choices) !== rightAnswers(q.choices) ? "right-answer" : null;
      return change ? [{ key: q.key, prompt: q.prompt, answers: q.answers, change }] : [];
    });
    const shown = new Set(confirmed);
    if (changed.some((q) => !shown.has(confirmationOf(q)))) return { ok: false, confirm: changed };
  }

  const hash = lessonHash(check.source);
  const known = await versionWithHash(db, lessonId, hash);
  const stored = known
    ? null
    : await first(
        db
          .select({ previewHash: lessonDrafts.previewHash, previewCode: lessonDrafts.previewCode })
          .from(lessonDrafts)
          .where(eq(lessonDrafts.lessonId, lessonId)),
      );
  // The preview's compile is reused when the text is the same: publishing right after a preview compiles nothing.
  const code = known
    ? null
    : stored?.previewHash === hash
      ? stored.previewCode!
      : await compileWithinLimit(check.source);

  return transaction(db, async (tx) => {
    const versionId =
      known ??
      (await insertLessonVersion(tx, {
        lessonId,
        owner: trainer.orgId,
        hash,
        source: check.source,
        code: code!,
        analysis: { ...check.analysis, frontmatter: fm },
        authorId: trainer.id,
        createdAt: now,
      }));
    await makeVersionCurrent(tx, { id: lessonId, owner: trainer.orgId }, versionId, fm, check.analysis.bodyText);
    await tx
      .update(lessonDrafts)
      .set({ publishedRevision: draft.revision, baseVersionId: versionId })
      .where(eq(lessonDrafts.lessonId, lessonId));
    await recordStatement(tx, {
      orgId: trainer.orgId,
      timezone: trainer.timezone,
      actorId: trainer.id,
      verb: "published",
      object: { type: "lesson", id: lessonId, name: fm.title },
      context: { version: versionId },
      timestamp: now,
    });
    return { ok: true as const, versionId, unchanged: known !== null };
  });
}

export type HistoryEntry = { id: string; createdAt: Date; author: string | null; title: string; current: boolean };

/** Every published version of the lesson, newest first, with who published it. */
export async function lessonHistory(db: Handle, orgId: string, lessonId: string): Promise<HistoryEntry[]> {
  const lesson = await ownLesson(db, orgId, lessonId);
  const found = await db
    .select({
      id: lessonVersions.id,
      createdAt: lessonVersions.createdAt,
      author: users.name,
      frontmatter: lessonVersions.frontmatter,
    })
    .from(lessonVersions)
    .leftJoin(users, eq(users.id, lessonVersions.authorId))
    .where(eq(lessonVersions.lessonId, lessonId))
    .orderBy(desc(lessonVersions.createdAt), desc(lessonVersions.id));
  return found.map((v) => ({
    id: v.id,
    createdAt: v.createdAt,
    author: v.author,
    title: String(v.frontmatter.title ?? ""),
    current: v.id === lesson.currentVersionId,
  }));
}

/** Two versions' sources, both of this lesson. */
export async function versionSources(db: Handle, orgId: string, lessonId: string, ids: string[]) {
  await ownLesson(db, orgId, lessonId);
  const found = await db
    .select({ id: lessonVersions.id, source: lessonVersions.source })
    .from(lessonVersions)
    .where(and(eq(lessonVersions.lessonId, lessonId), inArray(lessonVersions.id, ids)));
  return new Map(found.map((v) => [v.id, v.source]));
}

/** An earlier version's text becomes the draft (a new revision); publishing it is a separate step. */
export type RestoreOutcome = { ok: true } | { ok: false; unpublished: { savedBy: string | null; savedAt: Date } };

/**
 * An old version becomes the draft, as a save would make it: only over the draft revision the
 * trainer saw (`revision`, from the history page), and over changes not yet published only once
 * the trainer has confirmed (the first ask returns who saved them and when). Nothing is replaced
 * that the trainer has not seen.
 */
export async function restoreVersion(
  db: Handle,
  trainer: Trainer,
  lessonId: string,
  versionId: string,
  input: { revision: number; confirm: boolean },
  now: Date,
): Promise<RestoreOutcome> {
  const { draft } = await openDraft(db, trainer, lessonId, now);
  const version = await first(
    db
      .select({ source: lessonVersions.source, frontmatter: lessonVersions.frontmatter })
      .from(lessonVersions)
      .where(and(eq(lessonVersions.id, versionId), eq(lessonVersions.lessonId, lessonId))),
  );
  if (!version) throw new Refusal("That version is not one of this lesson's.", 404);
  const moved = () =>
    new Refusal(
      `The draft was saved${draft.updatedByName ? ` by ${draft.updatedByName}` : ""} after this page was opened, so nothing was restored. Look at the draft in the editor, then restore from the history again if you still want to.`,
      409,
    );
  if (draft.revision !== input.revision) throw moved();
  if (draft.revision > draft.publishedRevision && !input.confirm)
    return { ok: false, unpublished: { savedBy: draft.updatedByName, savedAt: draft.updatedAt } };
  const { fields, body } = splitSource(version.source, version.frontmatter);
  await transaction(db, async (tx) => {
    // One statement decides, as for a save: a draft saved meanwhile is never overwritten.
    const [restored] = await tx
      .update(lessonDrafts)
      .set({
        body,
        frontmatter: fields,
        baseVersionId: versionId,
        revision: sql`${lessonDrafts.revision} + 1`,
        updatedBy: trainer.id,
        updatedAt: now,
      })
      .where(and(eq(lessonDrafts.lessonId, lessonId), eq(lessonDrafts.revision, input.revision)))
      .returning({ revision: lessonDrafts.revision });
    if (!restored) throw moved();
    await recordStatement(tx, {
      orgId: trainer.orgId,
      timezone: trainer.timezone,
      actorId: trainer.id,
      verb: "restored",
      object: { type: "lesson", id: lessonId, name: fields.title || draft.fields.title },
      context: { version: versionId },
      timestamp: now,
    });
  });
  return { ok: true };
}

/** The draft as the history page shows it: its revision (which a restore carries) and whether it has unpublished changes. */
export async function draftState(db: Handle, trainer: Trainer, lessonId: string, now: Date) {
  const { draft } = await openDraft(db, trainer, lessonId, now);
  return {
    revision: draft.revision,
    unpublished: draft.revision > draft.publishedRevision,
    savedBy: draft.updatedByName,
    savedAt: draft.updatedAt,
  };
}

/** Who published the version a rep is reading, and when: the lesson page's credit. */
export async function versionCredit(db: Handle, versionId: string) {
  return (
    (await first(
      db
        .select({ author: users.name, publishedAt: lessonVersions.createdAt })
        .from(lessonVersions)
        .innerJoin(users, eq(users.id, lessonVersions.authorId))
        .where(eq(lessonVersions.id, versionId)),
    )) ?? null
  );
}
