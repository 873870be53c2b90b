// The demo managers' coaching: assignments, role-plays submitted and reviewed (some still
// waiting), and eight weeks of retention snapshots for the dashboards.
import { and, asc, eq } from "drizzle-orm";
import { first, type Handle, type Transaction } from "~/db/connection.server";
import { lessons, modules, organizations, roleplays, users } from "~/db/schema";
import { DAY_MS as DAY, dayIn } from "~/shared/days";
import { assignableTargets, createAssignment, targetValue } from "~/features/coaching/assignments.server";
import { reviewSubmission } from "~/features/practice/roleplay-reviews.server";
import { chooseReply, selfAssess, submitOpenRoleplay } from "~/features/practice/roleplay-submissions.server";
import { findCurrentRoleplay } from "~/features/practice/roleplay-views.server";
import { snapshotRetention } from "~/features/reinforcement/snapshots.server";
import { seededRandom, type DemoOrg } from "./demo-org";

async function person(db: Handle, org: DemoOrg, email: string) {
  const row = (await first(
    db.select({ id: users.id, name: users.name }).from(users).where(eq(users.email, email)).limit(1),
  ))!;
  const tz = (await first(
    db.select({ tz: organizations.timezone }).from(organizations).where(eq(organizations.id, org.orgId)).limit(1),
  ))!.tz;
  return { id: row.id, name: row.name, orgId: org.orgId, timezone: tz };
}

function roleplayLesson(db: Handle, moduleSlug: string) {
  return first(
    db
      .select({ id: lessons.id, title: lessons.title, key: roleplays.key })
      .from(lessons)
      .innerJoin(modules, eq(modules.id, lessons.moduleId))
      .innerJoin(
        roleplays,
        and(eq(roleplays.lessonId, lessons.id), eq(roleplays.lessonVersionId, lessons.currentVersionId)),
      )
      .where(eq(modules.slug, moduleSlug))
      .orderBy(asc(lessons.position))
      .limit(1),
  );
}

const OPEN_REPLIES = [
  "It sounds like the last rollout left scars. What happened, from your side?",
  "So if I understand, the worry is the team's time, not the price. What would make it feel safe to try?",
  "You mentioned the board meets in March. Walk me through what they will need to see.",
  "Fair enough. Before I send anything, what would make the e-mail worth opening for you?",
];

export async function seedCoachingHistory(tx: Transaction, org: DemoOrg, now: Date): Promise<void> {
  const random = seededRandom("coaching");
  const morgan = await person(tx, org, "manager@example.com");
  const sam = await person(tx, org, "manager2@example.com");
  const targets = await assignableTargets(tx, org.orgId);
  const find = (prefix: string) => targets.find((t) => t.title.startsWith(prefix))!;
  const day = (offset: number, who = morgan) => dayIn(who.timezone, new Date(now.getTime() + offset * DAY));

  await createAssignment(
    tx,
    morgan,
    {
      target: targetValue(find("Module: Questioning")),
      teamId: org.teamIds["Enterprise East"]!,
      repIds: [],
      dueDay: day(-28),
      note: "Before the Q3 kick-off",
    },
    new Date(now.getTime() - 42 * DAY),
  );
  const price = targets.find((t) => t.kind === "lesson" && /price is too high/i.test(t.title)) ?? find("Negotiation");
  await createAssignment(
    tx,
    morgan,
    {
      target: targetValue(price),
      teamId: org.teamIds["Enterprise West"]!,
      repIds: [],
      dueDay: day(5),
      note: "We keep discounting at the first push-back.",
    },
    new Date(now.getTime() - 14 * DAY),
  );
  const coldCallKey = (await roleplayLesson(tx, "prospecting"))?.key;
  const coldCall = targets.find((t) => t.kind === "roleplay" && coldCallKey === t.roleplayKey);
  if (coldCall)
    await createAssignment(
      tx,
      sam,
      {
        target: targetValue(coldCall),
        teamId: org.teamIds["Mid-Market"]!,
        repIds: [],
        dueDay: day(3, sam),
        note: "Practice the brush-offs before the outbound sprint",
      },
      new Date(now.getTime() - 10 * DAY),
    );

  // Open role-plays: reviewed ones from the steady reps, two still waiting.
  const listening = await roleplayLesson(tx, "listening");
  const prospecting = await roleplayLesson(tx, "prospecting");
  const submitters: Array<[string, typeof listening, number, boolean]> = [
    ["priya.raman@example.com", listening, 20, true],
    ["luis.ortega@example.com", listening, 16, true],
    ["marcus.chen@example.com", listening, 9, true],
    ["aisha.bello@example.com", listening, 6, true],
    ["grace.kim@example.com", prospecting, 8, true],
    ["chloe.martin@example.com", prospecting, 2, false],
    ["elena.petrova@example.com", listening, 1, false],
  ];
  for (const [email, lesson, daysAgo, reviewed] of submitters) {
    if (!lesson) continue;
    const rep = await person(tx, org, email);
    const rp = (await findCurrentRoleplay(tx, lesson.id, lesson.key))!;
    const at = new Date(now.getTime() - daysAgo * DAY);
    const replies = Object.fromEntries(
      rp.turns.map((t, i) => [t.id, { text: OPEN_REPLIES[i % OPEN_REPLIES.length]!, recordingId: null }]),
    );
    const submissionId = await submitOpenRoleplay(tx, rep, lesson.id, lesson.title, lesson.key, replies, at);
    const self = Object.fromEntries(rp.rubric.map((c) => [c.id, 3 + Math.floor(random() * 2)]));
    await selfAssess(tx, rep, lesson.id, lesson.key, self);
    if (reviewed) {
      const manager = ["grace.kim@example.com", "chloe.martin@example.com"].includes(email) ? sam : morgan;
      const scores = Object.fromEntries(rp.rubric.map((c) => [c.id, 2 + Math.floor(random() * 3)]));
      await reviewSubmission(
        tx,
        manager,
        submissionId,
        scores,
        "Good reflection up front. Next time, one question at a time and let the silence work.",
        new Date(at.getTime() + 30 * 60 * 60 * 1000),
      );
    }
  }

  // Branching role-plays played by the champions.
  for (const email of [
    "priya.raman@example.com",
    "luis.ortega@example.com",
    "grace.kim@example.com",
    "daniel.mensah@example.com",
  ]) {
    const rep = await person(tx, org, email);
    for (const slug of ["questioning", "negotiation"]) {
      const lesson = await roleplayLesson(tx, slug);
      if (!lesson) continue;
      const rp = (await findCurrentRoleplay(tx, lesson.id, lesson.key))!;
      const at = new Date(now.getTime() - (5 + Math.floor(random() * 20)) * DAY);
      let turn = rp.turns[0];
      for (let step = 0; turn && step < rp.turns.length; step++) {
        const best = [...turn.replies].sort((a, b) => b.points - a.points);
        const reply = random() < 0.7 ? best[0]! : best[best.length - 1]!;
        await chooseReply(
          tx,
          rep,
          lesson.id,
          lesson.title,
          lesson.key,
          reply.id,
          new Date(at.getTime() + step * 60_000),
        );
        turn = reply.next ? rp.turns.find((t) => t.id === reply.next) : undefined;
      }
    }
  }

  // Retention as it stood at the end of each of the last eight weeks, then today.
  for (let week = 8; week >= 1; week--) {
    const at = new Date(now.getTime() - week * 7 * DAY);
    await snapshotRetention(tx, org.orgId, dayIn(morgan.timezone, at), at);
  }
  await snapshotRetention(tx, org.orgId, dayIn(morgan.timezone, now), now);
}
