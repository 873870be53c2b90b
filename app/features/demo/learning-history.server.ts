// About eight weeks of believable learning for the demo reps: a few champions, a steady
// middle, and some who stopped after the second week. It goes through the same functions a
// rep's clicks do, so attempts, progress, statements and roll-ups all agree.
import { and, asc, eq, isNull } from "drizzle-orm";
import { first, type Handle, type Transaction } from "~/db/connection.server";
import { addDays, dayIn, instantIn } from "~/shared/days";
import { cards, lessons, modules, organizations, questions } from "~/db/schema";
import { findCurrentQuestion } from "~/features/content/questions.server";
import { answerQuestion, finishLesson } from "~/features/learning/answers.server";
import { answerBoostCard } from "~/features/learning/boost-answers.server";
import { recordLessonOpened } from "~/features/learning/progress.server";
import { openTodaysBoost } from "~/features/reinforcement/boost.server";
import { seededRandom, type DemoOrg } from "./demo-org";

type Persona = {
  activeChance: number;
  accuracy: number;
  lessonsPerDay: number;
  stopsAfterDay?: number;
  maxLessons?: number;
  /** Days before today (the organization's) on which this rep is active, in place of chance. */
  activeDaysAgo?: number[];
  boostChance?: number;
};

const CHAMPION: Persona = { activeChance: 0.85, accuracy: 0.85, lessonsPerDay: 0.7 };
const STEADY: Persona = { activeChance: 0.4, accuracy: 0.7, lessonsPerDay: 0.8 };
const STOPPED: Persona = { activeChance: 0.7, accuracy: 0.6, lessonsPerDay: 1, stopsAfterDay: 14 };

const PERSONAS: Record<string, Persona> = {
  "priya.raman@example.com": CHAMPION,
  "luis.ortega@example.com": CHAMPION,
  "grace.kim@example.com": CHAMPION,
  "connor.walsh@example.com": STOPPED,
  "noah.fischer@example.com": STOPPED,
  "hannah.schmidt@example.com": STOPPED,
  "ben.adeyemi@example.com": STOPPED,
  // Joined this week: nothing done yet.
  "sofia.rossi@example.com": { activeChance: 0, accuracy: 0, lessonsPerDay: 0 },
  // The rep most people try first has a little history and plenty left to do, whatever the
  // hour: two lessons a week and more ago, never reviewed, so their questions are due today
  // (more than one boost holds), and a lesson on each of the last two days for a streak.
  "rep@example.com": {
    activeChance: 1,
    accuracy: 0.75,
    lessonsPerDay: 1,
    maxLessons: 4,
    activeDaysAgo: [9, 8, 2, 1],
    boostChance: 0,
  },
};

export const DEMO_DAYS = 56;

async function libraryInOrder(db: Handle) {
  return (
    await db
      .select({ id: lessons.id, title: lessons.title, versionId: lessons.currentVersionId })
      .from(lessons)
      .innerJoin(modules, eq(modules.id, lessons.moduleId))
      .where(and(isNull(lessons.archivedAt), isNull(modules.archivedAt)))
      .orderBy(asc(modules.position), asc(lessons.position))
  ).filter((l): l is typeof l & { versionId: string } => l.versionId !== null);
}

export async function seedLearningHistory(tx: Transaction, org: DemoOrg, now: Date): Promise<void> {
  const library = await libraryInOrder(tx);
  if (library.length === 0) return;
  const timezone = (await first(
    tx.select({ tz: organizations.timezone }).from(organizations).where(eq(organizations.id, org.orgId)).limit(1),
  ))!.tz;
  // History is laid out on the organization's calendar days, ending yesterday, whatever the hour.
  const today = dayIn(timezone, now);
  for (const rep of org.reps) {
    const persona = PERSONAS[rep.email] ?? STEADY;
    const random = seededRandom(rep.email);
    const learner = { id: rep.id, orgId: org.orgId, timezone };
    let next = 0;
    let submission = 0;
    for (let day = DEMO_DAYS; day >= 1; day--) {
      const dayIndex = DEMO_DAYS - day;
      if (persona.stopsAfterDay !== undefined && dayIndex >= persona.stopsAfterDay) break;
      const date = addDays(today, -day);
      const weekday = new Date(`${date}T12:00:00Z`).getUTCDay() % 6 !== 0;
      if (
        persona.activeDaysAgo
          ? !persona.activeDaysAgo.includes(day)
          : random() > persona.activeChance * (weekday ? 1 : 0.3)
      )
        continue;
      // Between 8:00 and 18:00 on the organization's clock.
      let at = instantIn(timezone, date, 8 + Math.floor(random() * 10), Math.floor(random() * 60));
      // Champions do their boost on every active day, the others now and then.
      if (random() < (persona.boostChance ?? (persona === CHAMPION ? 1 : 0.5))) {
        for (let guard = 0; guard < 12; guard++) {
          const view = await openTodaysBoost(tx, learner, at);
          if (view.state !== "open") break;
          const card = (await first(
            tx
              .select({ lessonId: cards.lessonId, key: cards.questionKey })
              .from(cards)
              .where(eq(cards.id, view.current.cardId))
              .limit(1),
          ))!;
          const question = (await findCurrentQuestion(tx, card.lessonId, card.key))!;
          const right = question.choices.filter((c) => c.correct).map((c) => c.id);
          const wrong = question.choices.filter((c) => !c.correct).map((c) => c.id);
          const chosen = random() < persona.accuracy + 0.05 ? right : [wrong[0]!];
          await answerBoostCard(tx, {
            user: learner,
            boostId: view.boostId,
            cardId: view.current.cardId,
            chosen,
            confidence: random() < 0.2 ? "easy" : "knew",
            submissionId: `demo-${++submission}`,
            now: at,
          });
          at = new Date(at.getTime() + (20 + random() * 30) * 1000);
        }
      }
      const count = Math.round(persona.lessonsPerDay + random() - 0.5);
      for (let n = 0; n < count && next < library.length && next < (persona.maxLessons ?? Infinity); n++) {
        const lesson = library[next++]!;
        await recordLessonOpened(tx, learner, lesson, at);
        for (const key of await questionKeys(tx, lesson.id, lesson.versionId)) {
          at = new Date(at.getTime() + (30 + random() * 60) * 1000);
          const question = (await findCurrentQuestion(tx, lesson.id, key))!;
          const right = question.choices.filter((c) => c.correct).map((c) => c.id);
          const wrong = question.choices.filter((c) => !c.correct).map((c) => c.id);
          const knows = random() < persona.accuracy;
          const guess =
            question.kind === "single" ? [wrong[Math.floor(random() * wrong.length)]!] : [right[0]!, wrong[0]!];
          const chosen = knows ? right : guess;
          await answerQuestion(tx, {
            user: learner,
            question,
            lessonTitle: lesson.title,
            chosen,
            submissionId: `demo-${++submission}`,
            context: "lesson",
            now: at,
          });
        }
        at = new Date(at.getTime() + (60 + random() * 120) * 1000);
        await finishLesson(tx, learner, lesson.id, lesson.title, at);
        at = new Date(at.getTime() + 5 * 60 * 1000);
      }
    }
  }
}

async function questionKeys(db: Handle, lessonId: string, versionId: string): Promise<string[]> {
  return (
    await db
      .select({ key: questions.key })
      .from(questions)
      .where(and(eq(questions.lessonId, lessonId), eq(questions.lessonVersionId, versionId)))
      .orderBy(asc(questions.position))
  ).map((r) => r.key);
}
