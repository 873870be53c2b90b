// Simulated reps learning a course and reinforcing it under one schedule (docs/efficacy.md). The
// reps' memory follows ground-truth.ts; Flywheel's schedules call the product's own code: FSRS
// through fsrs.server.ts (`review`), the boost's size and order through boost-size.ts.
import {
  boostCapacity,
  leastRecalledFirst,
  LONGEST_TIMED_ANSWER_MS,
  PACE_BOOSTS,
  PACE_DAYS,
  paceFrom,
  SAVING_DAYS,
  savedQuestions,
} from "../../app/features/reinforcement/boost-size";
import { Rating, review, type StoredCard, type Weights } from "../../app/features/reinforcement/fsrs.server";
import { firstAnswerChance, halfLifeAfter, initialHalfLife, recallProbability, TRUTH } from "./ground-truth";

export const DAY_MS = 86_400_000;
/** Day 0 is a Monday; reps practise at 09:00 and take lessons at 10:00 (UTC, for the product's clock). */
export const START = Date.UTC(2027, 0, 4);
const PRACTICE_AT = 9 / 24;
const LESSON_AT = 10 / 24;

/** The course: 24 lessons of 4 questions, on Monday, Wednesday and Friday of the first 8 weeks. */
export const COURSE = { weeks: 8, lessonDays: [0, 2, 4], questionsPerLesson: 4 } as const;
export const QUESTIONS = COURSE.weeks * COURSE.lessonDays.length * COURSE.questionsPerLesson;

export const POPULATION = {
  /** Seconds a rep takes for a question: 20 s × e^N(0, 0.25) per rep, × e^N(0, 0.3) per answer. */
  paceSeconds: 20,
  paceSd: 0.25,
  answerSd: 0.3,
  /** Each rep skips a working day's practice with a chance drawn from 5–20 %. */
  skipFrom: 0.05,
  skipTo: 0.2,
  /** A quarter of the reps are away two working weeks, starting in weeks 12–15, with no hold set. */
  awayShare: 0.25,
  awayWorkingDays: 10,
} as const;

/** A small, fast, seedable generator (mulberry32) and a normal draw from it. */
export function generator(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  return { next, normal };
}

const hash = (...parts: number[]) =>
  parts.reduce((h, p) => Math.imul(h ^ (p + 0x9e3779b9 + (h << 6) + (h >>> 2)), 0x85ebca6b) >>> 0, 2166136261);
const textHash = (text: string) => hash(...Array.from(text, (c) => c.charCodeAt(0)));

export type Rep = {
  index: number;
  ability: number;
  pace: number;
  skip: number;
  /** Working days away, as calendar day numbers. */
  away: Set<number>;
};

export function makeQuestions(seed: number): Float64Array {
  const random = generator(hash(seed, 1));
  return Float64Array.from({ length: QUESTIONS }, () => random.normal() * TRUTH.difficultySd);
}

export function makeReps(count: number, seed: number): Rep[] {
  return Array.from({ length: count }, (_, index) => {
    const random = generator(hash(seed, 2, index));
    const away = new Set<number>();
    if (random.next() < POPULATION.awayShare) {
      let day = 7 * (11 + Math.floor(random.next() * 4));
      while (away.size < POPULATION.awayWorkingDays) {
        if (isWorkingDay(day)) away.add(day);
        day++;
      }
    }
    return {
      index,
      ability: random.normal() * TRUTH.abilitySd,
      pace: POPULATION.paceSeconds * Math.exp(random.normal() * POPULATION.paceSd),
      skip: POPULATION.skipFrom + random.next() * (POPULATION.skipTo - POPULATION.skipFrom),
      away,
    };
  });
}

export const isWorkingDay = (day: number) => day % 7 < 5;

/** What a schedule decides: which questions to ask at a practice time, and what it learns from answers. */
export interface Policy {
  learned(question: number, right: boolean, at: number): void;
  pick(at: number): number[];
  answered(question: number, right: boolean, at: number, seconds: number): void;
}

export type ScheduleSpec = {
  key: string;
  label: string;
  make: (rep: Rep) => Policy;
};

const dateOf = (at: number) => new Date(START + at * DAY_MS);

// ---------------------------------------------------------------- the schedules

export const noReinforcement = (): Policy => ({ learned() {}, pick: () => [], answered() {} });

/** Two questions a working day, the longest waiting first; right → back in 21 days, wrong → 7; retired after two right in a row. */
export function qstream(): Policy {
  const nextAt = new Float64Array(QUESTIONS).fill(Infinity);
  const streak = new Uint8Array(QUESTIONS);
  const schedule = (q: number, right: boolean, at: number) => {
    streak[q] = right ? streak[q]! + 1 : 0;
    nextAt[q] = streak[q]! >= 2 ? Infinity : at + (right ? 21 : 7);
  };
  return {
    learned: schedule,
    answered: (q, right, at) => schedule(q, right, at),
    pick(at) {
      const due: number[] = [];
      for (let q = 0; q < QUESTIONS; q++) if (nextAt[q]! <= at) due.push(q);
      return due.sort((a, b) => nextAt[a]! - nextAt[b]!).slice(0, 2);
    },
  };
}

/** Reviews 1, 3, 7, 14, 30 and 60 days apart (then every 60); a wrong answer starts the ladder again. */
export function fixedIntervals(steps = [1, 3, 7, 14, 30, 60]): Policy {
  const nextAt = new Float64Array(QUESTIONS).fill(Infinity);
  const step = new Uint8Array(QUESTIONS);
  const schedule = (q: number, right: boolean, at: number, first: boolean) => {
    step[q] = first || !right ? 0 : Math.min(steps.length - 1, step[q]! + 1);
    nextAt[q] = at + steps[step[q]!]!;
  };
  return {
    learned: (q, right, at) => schedule(q, right, at, true),
    answered: (q, right, at) => schedule(q, right, at, false),
    pick: (at) => dueFirst(nextAt, at),
  };
}

/** SuperMemo-2 (Wozniak 1990): right = quality 4, wrong = quality 1; every due question, the most overdue first. */
export function sm2(): Policy {
  const nextAt = new Float64Array(QUESTIONS).fill(Infinity);
  const ease = new Float64Array(QUESTIONS).fill(2.5);
  const interval = new Float64Array(QUESTIONS);
  const repetitions = new Uint16Array(QUESTIONS);
  const grade = (q: number, right: boolean, at: number) => {
    const quality = right ? 4 : 1;
    if (quality >= 3) {
      interval[q] = repetitions[q] === 0 ? 1 : repetitions[q] === 1 ? 6 : Math.round(interval[q]! * ease[q]!);
      repetitions[q]!++;
    } else {
      repetitions[q] = 0;
      interval[q] = 1;
    }
    ease[q] = Math.max(1.3, ease[q]! + 0.1 - (5 - quality) * (0.08 + (5 - quality) * 0.02));
    nextAt[q] = at + interval[q]!;
  };
  return {
    // The lesson is the learning; its first review comes a day later.
    learned: (q, _right, at) => {
      interval[q] = 1;
      nextAt[q] = at + 1;
    },
    answered: (q, right, at) => grade(q, right, at),
    pick: (at) => dueFirst(nextAt, at),
  };
}

function dueFirst(nextAt: Float64Array, at: number): number[] {
  const due: number[] = [];
  for (let q = 0; q < QUESTIONS; q++) if (nextAt[q]! <= at) due.push(q);
  return due.sort((a, b) => nextAt[a]! - nextAt[b]!);
}

/** Reviews kept by a Flywheel schedule, per card, for training weights the way the product does. */
export type ReviewLog = { ratings: number[]; at: number[] };

/**
 * Flywheel, with the product's code: cards scheduled by FSRS (`review`, desired retention 0.9,
 * the given weights), each boost taking due cards least recalled first (`leastRecalledFirst`), as
 * many as `boostCapacity` allows for the minutes at the rep's measured pace (`paceFrom`) plus what
 * recent days saved (`savedQuestions`), or a fixed number when `cap` is given (Flywheel before
 * decision 023).
 */
export function flywheel(options: {
  minutes?: number;
  /** No minutes saved from days that did not use theirs: each boost within its own day's minutes (before decision 023 settled). */
  strictDailyCap?: boolean;
  cap?: number;
  retention?: number;
  parameters?: Weights | null;
  logs?: ReviewLog[];
}): Policy {
  const retention = options.retention ?? 0.9;
  const parameters = options.parameters ?? null;
  const cards: Array<StoredCard | null> = Array.from({ length: QUESTIONS }, () => null);
  const questionOf = new Map<StoredCard, number>();
  const schedule = (q: number, card: StoredCard) => {
    if (cards[q]) questionOf.delete(cards[q]!);
    cards[q] = card;
    questionOf.set(card, q);
  };
  const boosts: Array<{ day: number; answeringMs: number; timedAnswers: number }> = [];
  const answeredByDay = new Map<number, number>();
  const log = (q: number, rating: number, at: number) => {
    if (!options.logs) return;
    const entry = (options.logs[q] ??= { ratings: [], at: [] });
    entry.ratings.push(rating);
    entry.at.push(at);
  };
  const grade = (right: boolean) => (right ? Rating.Good : Rating.Again);
  return {
    learned(q, right, at) {
      schedule(q, review(null, grade(right), dateOf(at), retention, parameters));
      log(q, grade(right), at);
    },
    pick(at) {
      const now = dateOf(at);
      const nowMs = now.getTime();
      const due = cards.filter((card): card is StoredCard => card !== null && card.due.getTime() <= nowMs);
      if (due.length === 0) return [];
      const day = Math.floor(at);
      const recent = boosts.filter((b) => b.day > day - PACE_DAYS).slice(-PACE_BOOSTS);
      let capacity = options.cap ?? boostCapacity(options.minutes ?? 3, paceFrom(recent));
      if (options.cap === undefined && !options.strictDailyCap) {
        const answeredOn = Array.from({ length: SAVING_DAYS }, (_, i) => answeredByDay.get(day - SAVING_DAYS + i) ?? 0);
        capacity += savedQuestions(capacity, answeredOn);
      }
      boosts.push({ day, answeringMs: 0, timedAnswers: 0 });
      return leastRecalledFirst(due, now)
        .slice(0, capacity)
        .map((card) => questionOf.get(card)!);
    },
    answered(q, right, at, seconds) {
      schedule(q, review(cards[q]!, grade(right), dateOf(at), retention, parameters));
      log(q, grade(right), at);
      const boost = boosts.at(-1)!;
      answeredByDay.set(boost.day, (answeredByDay.get(boost.day) ?? 0) + 1);
      if (seconds * 1000 <= LONGEST_TIMED_ANSWER_MS) {
        boost.answeringMs += seconds * 1000;
        boost.timedAnswers++;
      }
    },
  };
}

// ---------------------------------------------------------------- the run

export type Outcome = {
  key: string;
  label: string;
  /** Per week (1-based, the last one partial): mean recall of learned questions and the share at or above 0.9. */
  weeks: Array<{ week: number; recall: number; atTarget: number; minutes: number }>;
  /** Minutes of reinforcement per working day, averaged over reps and all working days (skipped ones count as 0). */
  minutesPerDay: number;
  reviewsPerDay: number;
};

/** Runs one schedule for every rep over `days` days; `logs`, if given, receives each rep's Flywheel reviews. */
export function simulate(
  spec: ScheduleSpec,
  reps: Rep[],
  difficulty: Float64Array,
  days: number,
  seed: number,
): Outcome {
  const weeks = Math.ceil(days / 7);
  const recallSum = new Float64Array(weeks);
  const atTarget = new Float64Array(weeks);
  const counted = new Float64Array(weeks);
  const weekSeconds = new Float64Array(weeks);
  const weekWorkingDays = new Float64Array(weeks);
  for (let day = 0; day < days; day++) if (isWorkingDay(day)) weekWorkingDays[Math.floor(day / 7)]!++;
  let seconds = 0;
  let reviews = 0;
  const halfLife = new Float64Array(QUESTIONS);
  const lastSeen = new Float64Array(QUESTIONS);
  for (const rep of reps) {
    const life = generator(hash(seed, 3, rep.index));
    const answers = generator(hash(seed, 4, rep.index, textHash(spec.key)));
    const policy = spec.make(rep);
    let learned = 0;
    for (let day = 0; day < days; day++) {
      const week = Math.floor(day / 7);
      const working = isWorkingDay(day);
      const practises = working && life.next() >= rep.skip && !rep.away.has(day);
      if (practises) {
        const at = day + PRACTICE_AT;
        for (const q of policy.pick(at)) {
          const p = recallProbability(halfLife[q]!, at - lastSeen[q]!);
          const right = answers.next() < p;
          halfLife[q] = halfLifeAfter(halfLife[q]!, p, right, rep.ability, difficulty[q]!);
          lastSeen[q] = at;
          const took = rep.pace * Math.exp(answers.normal() * POPULATION.answerSd);
          policy.answered(q, right, at, took);
          seconds += took;
          weekSeconds[week]! += took;
          reviews++;
        }
      }
      const lessonSlot = COURSE.lessonDays.indexOf((day % 7) as 0 | 2 | 4);
      if (week < COURSE.weeks && lessonSlot >= 0) {
        const at = day + LESSON_AT;
        const lesson = week * COURSE.lessonDays.length + lessonSlot;
        for (let k = 0; k < COURSE.questionsPerLesson; k++) {
          const q = lesson * COURSE.questionsPerLesson + k;
          const right = life.next() < firstAnswerChance(rep.ability, difficulty[q]!);
          halfLife[q] = initialHalfLife(rep.ability, difficulty[q]!, right);
          lastSeen[q] = at;
          policy.learned(q, right, at);
          learned = q + 1;
        }
      }
      // Recall of what the rep has learned so far, at the end of the day.
      const end = day + 1;
      for (let q = 0; q < learned; q++) {
        const p = recallProbability(halfLife[q]!, end - lastSeen[q]!);
        recallSum[week]! += p;
        if (p >= 0.9) atTarget[week]!++;
      }
      counted[week]! += learned;
    }
  }
  const workingDays = weekWorkingDays.reduce((a, b) => a + b, 0);
  return {
    key: spec.key,
    label: spec.label,
    weeks: Array.from({ length: weeks }, (_, w) => ({
      week: w + 1,
      recall: counted[w] ? recallSum[w]! / counted[w]! : 0,
      atTarget: counted[w] ? atTarget[w]! / counted[w]! : 0,
      minutes: weekWorkingDays[w] ? weekSeconds[w]! / 60 / reps.length / weekWorkingDays[w]! : 0,
    })),
    minutesPerDay: seconds / 60 / reps.length / workingDays,
    reviewsPerDay: reviews / reps.length / workingDays,
  };
}
