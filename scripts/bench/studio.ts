// The trainer studio's budgets of issue 15 (docs/benchmarks.md), driven over HTTP by the bench
// organization's admin as a trainer's browser without JavaScript would:
// - the organization gets a module of 200 published lessons of its own, made once through the
//   studio (later runs reuse them): the lesson page's throughput is measured with them there;
// - preview: a five-minute lesson's draft, a different text on every request (each preview compiles
//   it: nothing is cached), at 5 requests a second, p95 ≤ 150 ms;
// - publish: ten drafts published one after the other, each ≤ 500 ms;
// - the lesson page's p95 at its steady rate while previews run, against the same run without
//   them: within 20%;
// - the lesson page's throughput for a reader whose organization has the 200 lessons, against one
//   whose organization has none, in the same run: within 10%.
import type { BenchOrg } from "./generate";

export type StudioRun = {
  orgLessons: number;
  preview: { p50: number; p95: number; max: number; non2xx: number; requests: number };
  publishMs: number[];
  lessonAlone: number;
  lessonWithPreviews: number;
  /** Mean of two runs each, taken in turns. */
  lessonRps: { withOrgLessons: number; without: number };
};

type Drive = (
  plan: { next: () => { path: string; cookie?: string } },
  options: { connections: number; seconds: number; rate?: number; stopWhen?: Promise<unknown> },
) => Promise<{ p50: number; p95: number; max: number; non2xx: number; requests: number; rps: number }>;

export const STUDIO_LESSONS = 200;
const MODULE_TITLE = "Bench studio";
const FIELDS = {
  summary: "A lesson the bench writes to measure the studio.",
  objective: "Ask one question about the cost of doing nothing on your next call.",
  skill: "questioning",
  stages: "discovery",
  level: "foundation",
  minutes: "5",
  tags: "bench",
};

// Prose, three questions and a key point: the studio estimates five minutes.
const SENTENCES = [
  "A buyer who says the budget is fixed is often telling you the budget was fixed for a different problem.",
  "Ask what happens if nothing changes this quarter, and listen for who feels the cost first.",
  "Write down the words the buyer uses for the problem, and use those words when you summarize.",
  "When the answer is short, wait two seconds before you speak: most buyers fill the silence with the real reason.",
  "A weak question asks for a yes; a good one asks the buyer to describe what they see.",
  "Check your summary with the buyer before you move on, and ask which point matters most to them.",
];

export function fiveMinuteBody(marker: string): string {
  const paragraphs = Array.from({ length: 9 }, (_, p) =>
    Array.from({ length: 6 }, (_, s) => SENTENCES[(p + s) % SENTENCES.length]).join(" "),
  );
  const quiz = (n: number) => `<Quiz id="q${n}" prompt="Which question opens the conversation (${n})?">
  <Choice correct explanation="It asks the buyer to describe the cost of waiting.">What happens if nothing changes?</Choice>
  <Choice explanation="It invites a yes or a no, and nothing else.">Is budget approved for this?</Choice>
  <Choice explanation="It talks about you, not about the buyer.">Can I show you our pricing?</Choice>
</Quiz>`;
  return [
    `This draft is ${marker}.`,
    ...paragraphs.slice(0, 3),
    quiz(1),
    ...paragraphs.slice(3, 6),
    quiz(2),
    ...paragraphs.slice(6),
    quiz(3),
    "<KeyPoint>\n\n- Ask about the cost of doing nothing, then listen.\n\n</KeyPoint>",
  ].join("\n\n");
}

export async function measureStudio(
  engine: string,
  org: BenchOrg,
  tools: { base: string; drive: Drive; print: (line: string) => void; seconds: number },
): Promise<StudioRun> {
  const { base, drive, print, seconds } = tools;
  if (!org.importAdmin) throw new Error("This organization predates the studio scenario: run without --reuse.");
  const cookie = org.admin.token;
  const request = (path: string, form?: Record<string, string>) =>
    fetch(`${base}${path}`, {
      method: form ? "POST" : "GET",
      redirect: "manual",
      headers: {
        cookie: `flywheel_session=${cookie}`,
        ...(form ? { "content-type": "application/x-www-form-urlencoded" } : {}),
      },
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
    });
  const page = async (path: string) => {
    const response = await request(path);
    if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
    return response.text();
  };
  const submission = (html: string) => /name="submission" value="([a-z0-9-]+)"/.exec(html)![1]!;
  const located = (response: Response, pattern: RegExp) => {
    const match = pattern.exec(response.headers.get("location") ?? "");
    if (response.status !== 303 || !match) throw new Error(`the studio answered ${response.status}`);
    return match[1]!;
  };
  const saveDraft = async (lessonId: string, title: string, body: string, intent: "save" | "publish") => {
    const revision = /name="revision" value="(\d+)"/.exec(await page(`/content/lessons/${lessonId}`))![1]!;
    const started = performance.now();
    const response = await request(`/content/lessons/${lessonId}`, { ...FIELDS, title, body, intent, revision });
    const ms = performance.now() - started;
    if (response.status !== 303) throw new Error(`${intent} of ${lessonId} answered ${response.status}`);
    return ms;
  };

  // The module and its lessons, found on /content or made there.
  const shelves = await page("/content");
  const articles = shelves.split("<article").slice(1);
  let article = articles.find((a) => a.includes(`>${MODULE_TITLE}`));
  let moduleId = article ? /id="module-([^"]+)"/.exec(article)![1]! : null;
  if (!moduleId)
    moduleId = located(
      await request("/content", {
        intent: "create-module",
        title: MODULE_TITLE,
        summary: "Lessons the bench writes to measure the studio.",
        skill: "questioning",
        submission: submission(shelves),
      }),
      /module-(.+)$/,
    );
  article = (await page("/content")).split("<article").find((a) => a.includes(`id="module-${moduleId}"`)) ?? "";
  const lessonIds = [...article.matchAll(/id="lesson-([^"]+)"/g)].map((m) => m[1]!);
  const made = performance.now();
  while (lessonIds.length < STUDIO_LESSONS) {
    const title = `Bench studio lesson ${lessonIds.length + 1}`;
    const lessonId = located(
      await request("/content", {
        intent: "create-lesson",
        module: moduleId,
        title,
        submission: submission(await page("/content")),
      }),
      /\/content\/lessons\/([^?#]+)/,
    );
    await saveDraft(lessonId, title, fiveMinuteBody(`lesson ${lessonIds.length + 1}`), "publish");
    lessonIds.push(lessonId);
  }
  if (performance.now() - made > 1000)
    print(
      `[${engine}] studio: made ${STUDIO_LESSONS} published lessons in ${Math.round((performance.now() - made) / 1000)} s`,
    );

  // Fresh drafts: none of their texts has been compiled, on this engine or any earlier run.
  const stamp = `${engine} ${Date.now()}`;
  const titleOf = (i: number) => `Bench studio lesson ${i + 1}`;
  const drafts = lessonIds.slice(0, 160);
  for (const [i, lessonId] of drafts.entries())
    await saveDraft(lessonId, titleOf(i), fiveMinuteBody(`draft ${i} of ${stamp}`), "save");
  let next = 0;
  const previews = { next: () => ({ path: `/content/lessons/${drafts[next++ % drafts.length]}/preview`, cookie }) };
  // Ten to warm the compiler up (a server that has compiled nothing yet is slower), then 5 a second
  // for `seconds`, twice (alone, then beside the lesson page): 10 + 2 × 5 × 10 = 110 of 160 drafts.
  await drive(previews, { connections: 1, seconds: 2, rate: 5 });
  const preview = await drive(previews, { connections: 2, seconds, rate: 5 });
  print(
    `[${engine}] studioPreview  p50 ${preview.p50} ms · p95 ${preview.p95} ms · max ${preview.max} ms · non-2xx ${preview.non2xx} (${preview.requests} drafts, each compiled)`,
  );

  const lessons = (() => {
    let i = 0;
    return () => org.lessons[i++ % org.lessons.length]!.path;
  })();
  const reps = (() => {
    let i = 0;
    return () => org.reps[i++ % org.reps.length]!.token;
  })();
  const lessonPlan = { next: () => ({ path: lessons(), cookie: reps() }) };
  const alone = await drive(lessonPlan, { connections: 4, seconds, rate: 100 });
  const [beside] = await Promise.all([
    drive(lessonPlan, { connections: 4, seconds, rate: 100 }),
    drive(previews, { connections: 2, seconds, rate: 5 }),
  ]);
  print(
    `[${engine}] lesson page p95 ${alone.p95} ms alone, ${beside.p95} ms while previews run (${Math.round((beside.p95 / alone.p95) * 100)}%)`,
  );
  // The same lesson pages read by the bench organization's admin (its 200 lessons among the
  // library's in every catalog read) and by the second organization's (none of its own), in turns.
  const adminPlan = (token: string) => ({ next: () => ({ path: lessons(), cookie: token }) });
  const rps = { withOrgLessons: [] as number[], without: [] as number[] };
  for (let round = 0; round < 2; round++) {
    rps.without.push((await drive(adminPlan(org.importAdmin.token), { connections: 32, seconds })).rps);
    rps.withOrgLessons.push((await drive(adminPlan(org.admin.token), { connections: 32, seconds })).rps);
  }
  const mean = (list: number[]) => Math.round(list.reduce((a, b) => a + b, 0) / list.length);
  const lessonRps = { withOrgLessons: mean(rps.withOrgLessons), without: mean(rps.without) };
  print(
    `[${engine}] lesson page at 32 connections: ${lessonRps.withOrgLessons} req/s with ${lessonIds.length} organization lessons, ${lessonRps.without} without (${Math.round((lessonRps.withOrgLessons / lessonRps.without) * 100)}%)`,
  );

  const publishMs: number[] = [];
  for (const [i, lessonId] of lessonIds.slice(160, 170).entries())
    publishMs.push(
      Math.round(await saveDraft(lessonId, titleOf(160 + i), fiveMinuteBody(`published ${i} of ${stamp}`), "publish")),
    );
  print(`[${engine}] studioPublish  ${publishMs.join(", ")} ms (10 lessons, one after the other)`);
  return {
    orgLessons: lessonIds.length,
    preview: {
      p50: preview.p50,
      p95: preview.p95,
      max: preview.max,
      non2xx: preview.non2xx,
      requests: preview.requests,
    },
    publishMs,
    lessonAlone: alone.p95,
    lessonWithPreviews: beside.p95,
    lessonRps,
  };
}
