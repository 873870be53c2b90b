// npm run simulate -- [--reps 1000] [--days 180] [--seed 1] [--json] [--write] [--threads N]
// Compares reinforcement schedules on simulated reps whose memory follows ground-truth.ts (not
// FSRS), with Flywheel's schedules run by the product's own code (simulate.ts). Prints a table;
// --json prints the figures for machines instead; --write rewrites docs/efficacy.md and its chart.
// Schedules run in worker threads, as many at once as --threads (default: the machine's cores).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import * as prettier from "prettier";
import { DEFAULT_WEIGHTS } from "../../app/features/reinforcement/fsrs.server";
import { trainAndEvaluate } from "../../app/features/reinforcement/training-worker.mjs";
import { judgeTrainedParameters, splitTime } from "../../app/features/reinforcement/training-rules";
import { efficacyMarkdown, recallChart, summarize, textTable, type Report, type Training } from "./report";
import {
  DAY_MS,
  fixedIntervals,
  flywheel,
  makeQuestions,
  makeReps,
  noReinforcement,
  qstream,
  simulate,
  sm2,
  START,
  type Outcome,
  type ReviewLog,
  type ScheduleSpec,
} from "./simulate";

export const SCHEDULES = {
  none: "No reinforcement",
  qstream: "Qstream-style (2 a day, retired after 2 right in a row)",
  fixed: "Fixed intervals (1, 3, 7, 14, 30, 60 days)",
  sm2: "SM-2",
  cap3: "Flywheel, fixed cap of 3 a day",
  adaptive: "Flywheel adaptive, default parameters",
  trained: "Flywheel adaptive, trained parameters",
  strict: "Flywheel adaptive, default parameters, no minutes saved between days",
} as const;
export type ScheduleKey = keyof typeof SCHEDULES;

type Task = {
  key: ScheduleKey;
  reps: number;
  days: number;
  seed: number;
  retention?: number;
  minutes?: number;
  parameters?: number[];
  /** Train weights on the first `trainOn` reps' reviews of this run (the adaptive run with default weights). */
  trainOn?: number;
};

type TaskResult = { outcome: Outcome; training?: Training; seconds: number; retention: number; minutes: number };

function specFor(task: Task, logs: Map<number, ReviewLog[]>): ScheduleSpec {
  const label = SCHEDULES[task.key];
  const make: Record<ScheduleKey, ScheduleSpec["make"]> = {
    none: () => noReinforcement(),
    qstream: () => qstream(),
    fixed: () => fixedIntervals(),
    sm2: () => sm2(),
    cap3: () => flywheel({ cap: 3 }),
    adaptive: (rep) =>
      flywheel({
        minutes: 3,
        retention: task.retention,
        logs: rep.index < (task.trainOn ?? 0) ? logs.set(rep.index, []).get(rep.index) : undefined,
      }),
    trained: () => flywheel({ minutes: task.minutes ?? 3, retention: task.retention, parameters: task.parameters }),
    strict: () => flywheel({ minutes: 3, retention: task.retention, strictDailyCap: true }),
  };
  return { key: task.key, label, make: make[task.key] };
}

async function runTask(task: Task): Promise<TaskResult> {
  const started = performance.now();
  const reps = makeReps(task.reps, task.seed);
  const logs = new Map<number, ReviewLog[]>();
  const outcome = simulate(specFor(task, logs), reps, makeQuestions(task.seed), task.days, task.seed);
  const training = task.trainOn ? await trainOnLogs(logs) : undefined;
  return {
    outcome,
    training,
    seconds: (performance.now() - started) / 1000,
    retention: task.retention ?? 0.9,
    minutes: task.minutes ?? 3,
  };
}

/** The product's training (training-worker.mjs) and keep-or-discard rule, on simulated reviews. */
async function trainOnLogs(logs: Map<number, ReviewLog[]>): Promise<Training> {
  const started = performance.now();
  const ratings: number[] = [];
  const times: number[] = [];
  const days: number[] = [];
  const cardStarts: number[] = [];
  const repeatTimes: number[] = [];
  for (const cards of logs.values())
    for (const card of cards) {
      if (!card) continue;
      cardStarts.push(ratings.length);
      card.ratings.forEach((rating, i) => {
        ratings.push(rating);
        times.push(START + card.at[i]! * DAY_MS);
        days.push(Math.floor(card.at[i]!));
        if (i > 0) repeatTimes.push(START + card.at[i]! * DAY_MS);
      });
    }
  cardStarts.push(ratings.length);
  const result = await trainAndEvaluate({
    ratings: Uint8Array.from(ratings),
    days: Int32Array.from(days),
    times: Float64Array.from(times),
    cardStarts: Uint32Array.from(cardStarts),
    splitAt: splitTime(repeatTimes),
    current: [...DEFAULT_WEIGHTS],
  });
  const verdict = judgeTrainedParameters(result.current, result.trained, result.testItems);
  return {
    reps: logs.size,
    reviews: repeatTimes.length,
    testReviews: result.testItems,
    current: result.current,
    trained: result.trained,
    keep: verdict.keep,
    reason: verdict.reason,
    parameters: result.parameters,
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * A task, or one that can be written only once an earlier one has finished: a lane that reaches
 * it waits for it (the trained runs wait for the training of the first).
 */
type Pending = Task | Promise<Task>;

/** Runs tasks in worker threads, `threads` at a time, results in the tasks' order. */
function runAll(tasks: Pending[], threads: number): Promise<TaskResult>[] {
  const results = tasks.map(() => {
    let settle!: { resolve: (r: TaskResult) => void; reject: (e: unknown) => void };
    const promise = new Promise<TaskResult>((resolve, reject) => (settle = { resolve, reject }));
    return { promise, ...settle };
  });
  let next = 0;
  const inThread = (task: Task) =>
    new Promise<TaskResult>((resolve, reject) => {
      // worker.mjs registers tsx's loader in the new thread, then loads this file.
      const worker = new Worker(new URL("./worker.mjs", import.meta.url), { workerData: { role: "simulate", task } });
      worker.once("message", (message: { ok: true; result: TaskResult } | { ok: false; error: string }) => {
        void worker.terminate();
        if (message.ok) resolve(message.result);
        else reject(new Error(message.error));
      });
      worker.once("error", reject);
    });
  const lane = async () => {
    while (next < tasks.length) {
      const index = next++;
      try {
        const task = await tasks[index]!;
        results[index]!.resolve(await (threads <= 1 ? runTask(task) : inThread(task)));
      } catch (error) {
        results[index]!.reject(error);
      }
    }
  };
  for (let i = 0; i < Math.min(Math.max(1, threads), tasks.length); i++) void lane();
  return results.map((r) => r.promise);
}

async function main() {
  const { values } = parseArgs({
    options: {
      reps: { type: "string", default: "1000" },
      days: { type: "string", default: "180" },
      seed: { type: "string", default: "1" },
      threads: { type: "string", default: String(Math.max(1, os.availableParallelism())) },
      "train-reps": { type: "string", default: "200" },
      json: { type: "boolean", default: false },
      write: { type: "boolean", default: false },
    },
  });
  const reps = Number(values.reps);
  const days = Number(values.days);
  const seed = Number(values.seed);
  const threads = Number(values.threads);
  const trainOn = Math.min(reps, Number(values["train-reps"]));
  for (const [name, value, min] of [
    ["--reps", reps, 1],
    ["--days", days, 14],
    ["--threads", threads, 1],
    ["--train-reps", trainOn, 1],
  ] as const) {
    if (!Number.isInteger(value) || value < min) {
      console.error(`${name} must be a whole number of at least ${min}.`);
      process.exit(2);
    }
  }
  const started = performance.now();
  const cpuAtStart = process.cpuUsage();
  const loadAtStart = os.loadavg()[0]!;
  const base = { reps, days, seed };
  // The adaptive run with default weights goes first: its reviews train the weights of the trained
  // runs, which take the next free lane once the training is done (the other schedules go first).
  let trained!: { resolve: (parameters: number[]) => void; reject: (error: unknown) => void };
  const parameters = new Promise<number[]>((resolve, reject) => (trained = { resolve, reject }));
  const results = runAll(
    [
      { ...base, key: "adaptive", trainOn },
      // Why a boost may spend minutes saved from days without one (decision 023).
      { ...base, key: "strict" },
      { ...base, key: "cap3" },
      { ...base, key: "qstream" },
      { ...base, key: "sm2" },
      { ...base, key: "fixed" },
      { ...base, key: "none" },
      parameters.then((p): Task => ({ ...base, key: "trained", parameters: p })),
      // Flywheel's levers, the desired retention and the minutes a day: what recall costs in minutes.
      parameters.then((p): Task => ({ ...base, key: "trained", parameters: p, retention: 0.95 })),
      parameters.then((p): Task => ({ ...base, key: "trained", parameters: p, minutes: 1 })),
    ],
    threads,
  );
  results[0]!.then((r) => trained.resolve(r.training!.parameters), trained.reject);
  const [adaptive, strict, cap3, qstream, sm2, fixed, none, ...second] = await Promise.all(results);
  const first = [adaptive!, none!, qstream!, fixed!, sm2!, cap3!];
  const training = adaptive!.training!;
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuAtStart);
  const all = [...first, ...second, strict!];
  const report: Report = summarize({
    config: {
      reps,
      days,
      seed,
      threads,
      trainedOnReps: trainOn,
      cpuSeconds: Math.round((cpu.user + cpu.system) / 1e5) / 10,
      loadAverage: Math.round(loadAtStart * 10) / 10,
      cores: os.availableParallelism(),
    },
    main: [first[1]!, first[2]!, first[3]!, first[4]!, first[5]!, first[0]!, second[0]!].map((r) => r.outcome),
    variants: [
      { ...second[1]!.outcome, label: `${SCHEDULES.trained}, desired retention 0.95` },
      { ...second[2]!.outcome, label: `${SCHEDULES.trained}, 1 minute a day` },
      strict!.outcome,
    ],
    training,
    seconds,
    taskSeconds: all.map((r) => ({
      key: r.outcome.key,
      retention: r.retention,
      minutes: r.minutes,
      seconds: r.seconds,
    })),
    trainingSeconds: training.seconds,
  });
  if (values.json) console.log(JSON.stringify(report));
  else console.log(textTable(report));
  if (values.write) {
    const docs = path.resolve("docs");
    fs.writeFileSync(path.join(docs, "efficacy-recall.svg"), recallChart(report));
    // Formatted as `npm run format` would, so the generated page passes format:check.
    const file = path.join(docs, "efficacy.md");
    const options = (await prettier.resolveConfig(file)) ?? {};
    fs.writeFileSync(file, await prettier.format(efficacyMarkdown(report), { ...options, filepath: file }));
    if (!values.json) console.log("\nWrote docs/efficacy.md and docs/efficacy-recall.svg.");
  }
}

if (!isMainThread && workerData?.role === "simulate") {
  runTask(workerData.task as Task).then(
    (result) => parentPort!.postMessage({ ok: true, result }),
    (error: unknown) => parentPort!.postMessage({ ok: false, error: String((error as Error)?.stack ?? error) }),
  );
} else if (isMainThread) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
