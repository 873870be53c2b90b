// A review history large enough to train an organization's FSRS weights on (decision 024):
// reps, one lesson's cards each and their review logs, inserted directly. Answers are right with
// FSRS's recall at a quarter of the stability, so the defaults are too hopeful and trained
// weights fit better (the product keeps them).
import { and, eq } from "drizzle-orm";
import { db, first } from "../../app/db/connection.server";
import { newId } from "../../app/db/ids";
import { cards, lessons, reviewLogs } from "../../app/db/schema";
import { syncLibrary } from "../../app/features/content/sync.server";
import { Rating, retrievability, review, type StoredCard } from "../../app/features/reinforcement/fsrs.server";
import { lessonSource, makeContentDir } from "./content";
import { makeUser } from "./people";

const DAY = 86_400_000;

export async function seedReviewHistory(
  orgId: string,
  options: { reps: number; cardsPerRep: number; days: number; now: Date },
): Promise<{ repIds: string[]; lessonId: string; reviews: number }> {
  const keys = Array.from({ length: options.cardsPerRep }, (_, i) => `q${i}`);
  await syncLibrary(db(), {
    dir: makeContentDir({
      "01-history.mdx": lessonSource(
        "History",
        keys.map((id) => ({ id, choices: [["right", true] as [string, boolean], ["wrong", false]] })),
      ),
    }),
    owner: orgId,
  });
  const lesson = (await first(
    db()
      .select({ id: lessons.id })
      .from(lessons)
      .where(and(eq(lessons.owner, orgId), eq(lessons.slug, "history")))
      .limit(1),
  ))!;
  let seed = 20270101;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const start = options.now.getTime() - options.days * DAY;
  const repIds: string[] = [];
  let reviews = 0;
  for (let r = 0; r < options.reps; r++) {
    const rep = await makeUser(orgId, ["rep"]);
    repIds.push(rep.id);
    const cardRows: Array<typeof cards.$inferInsert> = [];
    const logRows: Array<typeof reviewLogs.$inferInsert> = [];
    for (const key of keys) {
      const id = newId();
      let at = new Date(start + Math.floor(random() * 20) * DAY);
      let card: StoredCard = review(null, Rating.Good, at, 0.9);
      const log = (rating: number, due: Date) =>
        logRows.push({
          id: newId(),
          orgId,
          userId: rep.id,
          cardId: id,
          attemptId: null,
          rating,
          state: card.state,
          stability: card.stability,
          difficulty: card.difficulty,
          scheduledDays: card.scheduledDays,
          due,
          reviewedAt: at,
        });
      log(Rating.Good, at);
      for (;;) {
        const next = new Date(card.due.getTime() + Math.floor(random() * 3) * DAY);
        if (next.getTime() > options.now.getTime() - DAY) break;
        const dueBefore = card.due;
        at = next;
        const rating =
          random() < retrievability({ ...card, stability: card.stability / 4 }, at) ? Rating.Good : Rating.Again;
        card = review(card, rating, at, 0.9);
        log(rating, dueBefore);
        reviews++;
      }
      cardRows.push({
        id,
        orgId,
        userId: rep.id,
        lessonId: lesson.id,
        questionKey: key,
        ...card,
        createdAt: new Date(start),
      });
    }
    await db().insert(cards).values(cardRows);
    for (let i = 0; i < logRows.length; i += 200)
      await db()
        .insert(reviewLogs)
        .values(logRows.slice(i, i + 200));
  }
  return { repIds, lessonId: lesson.id, reviews };
}
