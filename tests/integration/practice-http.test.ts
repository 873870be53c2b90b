// Role-play submissions, recordings and reviews over real HTTP, with the demo organization.
import fs from "node:fs";
import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, first } from "~/db/connection.server";
import {
  lessons,
  modules,
  notifications,
  outbox,
  recordings,
  roleplays,
  roleplaySubmissions,
  users,
} from "~/db/schema";
import { recordingsDirectory } from "~/features/practice/recordings.server";
import { Client, startServer, type TestServer } from "../support/server";

let server: TestServer;
const DEMO = "flywheel-demo";
const clients: Record<string, Client> = {};
async function as(email: string): Promise<Client> {
  if (!clients[email]) {
    clients[email] = new Client(server.url);
    expect((await clients[email].login(email, DEMO)).status).toBe(302);
  }
  return clients[email];
}

beforeAll(async () => {
  server = await startServer({ FLYWHEEL_DEMO: "1" });
});
afterAll(() => server?.stop());

const EBML = Buffer.from([0x1a, 0x45, 0xdf, 0xa3]);
const webm = (size: number) => Buffer.concat([EBML, Buffer.alloc(size - 4, 7)]);
const recordingCount = async () => (await first(db().select({ n: count() }).from(recordings)))!.n;
const filesOnDisk = () => (fs.existsSync(recordingsDirectory()) ? fs.readdirSync(recordingsDirectory()).length : 0);

async function upload(client: Client, body: Buffer, type: string, headers: Record<string, string> = {}) {
  return client.request("/practice/recordings", {
    method: "POST",
    body: new Uint8Array(body),
    headers: { "content-type": type, ...headers },
  });
}

const LESSON = "/learn/listening/roleplay-listening";
async function listeningRoleplay() {
  return (await first(
    db()
      .select({ key: roleplays.key, turns: roleplays.turns })
      .from(roleplays)
      .innerJoin(
        lessons,
        and(eq(lessons.id, roleplays.lessonId), eq(lessons.currentVersionId, roleplays.lessonVersionId)),
      )
      .innerJoin(modules, eq(modules.id, lessons.moduleId))
      .where(and(eq(modules.slug, "listening"), eq(lessons.slug, "roleplay-listening")))
      .limit(1),
  ))!;
}

describe("recording uploads", () => {
  it("refuses the wrong type, a file that is not what it claims, too long or too large, storing nothing", async () => {
    const rep = await as("rep@example.com");
    const rows = await recordingCount();
    const files = filesOnDisk();
    const cases: Array<[Buffer, string, Record<string, string>, number, RegExp]> = [
      [webm(2000), "text/plain", {}, 415, /WebM or Ogg/],
      [webm(2000), "video/mp4", {}, 415, /WebM or Ogg/],
      [Buffer.concat([Buffer.from("MZ"), Buffer.alloc(2000)]), "audio/webm", {}, 415, /not the audio it claims/],
      [webm(2000), "audio/webm", { "x-duration-ms": "240000" }, 413, /three minutes/],
      [webm(10 * 1024 * 1024 + 1), "audio/webm", {}, 413, /larger than 10 MB/],
    ];
    for (const [body, type, headers, status, message] of cases) {
      const response = await upload(rep, body, type, headers);
      expect(response.status, `${type} ${body.length}`).toBe(status);
      expect((await response.json()).error).toMatch(message);
    }
    expect(await recordingCount()).toBe(rows);
    expect(filesOnDisk()).toBe(files);
  });

  it("stores a valid recording under a server-generated name", async () => {
    const rep = await as("rep@example.com");
    const response = await upload(rep, webm(5000), "audio/webm;codecs=opus", { "x-duration-ms": "42000" });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    const row = (await first(db().select().from(recordings).where(eq(recordings.id, id)).limit(1)))!;
    expect(row.fileName).toBe(`${id}.webm`);
    expect(row.bytes).toBe(5000);
    expect(fs.existsSync(`${recordingsDirectory()}/${row.fileName}`)).toBe(true);
    const ogg = await upload(rep, Buffer.concat([Buffer.from("OggS"), Buffer.alloc(996, 1)]), "audio/ogg");
    expect(ogg.status).toBe(201);
  });
});

describe("an open role-play, reviewed by the rep's manager", () => {
  let submissionId = "";
  let recordingId = "";

  it("the rep submits written replies with a recording", async () => {
    const rep = await as("rep@example.com");
    recordingId = ((await (await upload(rep, webm(3000), "audio/webm")).json()) as { id: string }).id;
    const rp = await listeningRoleplay();
    const form: Record<string, string> = { intent: "roleplay-submit", roleplay: rp.key, submission: "open-submit-1" };
    for (const turn of rp.turns)
      form[`reply-${turn.id}`] =
        "It sounds like last year's rollout still hurts. What happened, and what would need to be different this time?";
    form[`recording-${rp.turns[0]!.id}`] = recordingId;
    const response = await rep.post(LESSON, form);
    expect(response.status).toBe(303);
    const repId = (await first(
      db().select({ id: users.id }).from(users).where(eq(users.email, "rep@example.com")).limit(1),
    ))!.id;
    const submission = (await first(
      db()
        .select()
        .from(roleplaySubmissions)
        .where(and(eq(roleplaySubmissions.userId, repId), eq(roleplaySubmissions.mode, "open")))
        .limit(1),
    ))!;
    expect(submission.status).toBe("submitted");
    expect(submission.replies[0]!.recordingId).toBe(recordingId);
    submissionId = submission.id;
  });

  it("a rep cannot attach someone else's recording", async () => {
    const other = await as("priya.raman@example.com");
    const rp = await listeningRoleplay();
    const form: Record<string, string> = { intent: "roleplay-submit", roleplay: rp.key, submission: "open-submit-2" };
    for (const turn of rp.turns) form[`reply-${turn.id}`] = "What happened?";
    form[`recording-${rp.turns[0]!.id}`] = recordingId;
    const response = await other.post(LESSON, form);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("could not be attached");
  });

  it("only the rep, the managers of their teams and trainers can play the recording", async () => {
    const allowed = ["rep@example.com", "manager@example.com", "trainer@example.com"];
    const refused = ["priya.raman@example.com", "manager2@example.com", "admin@example.com"];
    for (const email of allowed)
      expect((await (await as(email)).request(`/practice/recordings/${recordingId}`)).status, email).toBe(200);
    for (const email of refused)
      expect((await (await as(email)).request(`/practice/recordings/${recordingId}`)).status, email).toBe(404);
  });

  it("a manager of another team can neither see nor review it, and the rep's colleagues cannot see it", async () => {
    const other = await as("manager2@example.com");
    expect((await other.request(`/coach/reviews/${submissionId}`)).status).toBe(404);
    expect((await other.request("/coach/reviews")).status).toBe(200);
    expect(await (await other.request("/coach/reviews")).text()).not.toContain("Jordan Blake");
    const forged = await other.post(`/coach/reviews/${submissionId}`, { comment: "hijack", "score-x": "5" });
    expect(forged.status).toBe(404);
    expect(
      (await first(db().select().from(roleplaySubmissions).where(eq(roleplaySubmissions.id, submissionId)).limit(1)))!
        .status,
    ).toBe("submitted");
    expect((await (await as("priya.raman@example.com")).request(`/practice/submissions/${submissionId}`)).status).toBe(
      404,
    );
    expect((await (await as("rep@example.com")).request(`/coach/reviews/${submissionId}`)).status).toBe(403);
  });

  it("the manager scores each criterion; the rep is told in the app and by e-mail", async () => {
    const manager = await as("manager@example.com");
    expect(await (await manager.request("/coach/reviews")).text()).toContain("Jordan Blake");
    const page = await (await manager.request(`/coach/reviews/${submissionId}`)).text();
    expect(page).toContain("It sounds like last year");
    const rubric = (await first(
      db()
        .select({ rubric: roleplays.rubric })
        .from(roleplays)
        .innerJoin(roleplaySubmissions, eq(roleplaySubmissions.roleplayId, roleplays.id))
        .where(eq(roleplaySubmissions.id, submissionId))
        .limit(1),
    ))!.rubric;
    const incomplete = await manager.post(`/coach/reviews/${submissionId}`, {
      comment: "Good",
      [`score-${rubric[0]!.id}`]: "4",
      submission: "review-form-incomplete",
    });
    expect(incomplete.status).toBe(400);
    const form: Record<string, string> = {
      comment: "Lovely reflection in turn one. Next time, ask one question at a time.",
      submission: "review-form-1",
    };
    for (const c of rubric) form[`score-${c.id}`] = "4";
    expect((await manager.post(`/coach/reviews/${submissionId}`, form)).status).toBe(303);
    const reviewed = (await first(
      db().select().from(roleplaySubmissions).where(eq(roleplaySubmissions.id, submissionId)).limit(1),
    ))!;
    expect(reviewed).toMatchObject({ status: "reviewed", managerScore: 80 });
    const repId = reviewed.userId;
    expect(await db().select().from(notifications).where(eq(notifications.userId, repId))).toHaveLength(1);
    expect(
      (await db().select().from(outbox).where(eq(outbox.to, "rep@example.com"))).some((m) =>
        m.subject.includes("80/100"),
      ),
    ).toBe(true);
    const mine = await (await as("rep@example.com")).request(`/practice/submissions/${submissionId}`);
    expect(await mine.text()).toContain("ask one question at a time");
  });
});
