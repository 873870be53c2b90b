// Role-play submissions, recordings and reviews over real HTTP. Each test builds its own
// organization, so any one of them can run alone or in any order.
import fs from "node:fs";
import { and, count, desc, eq } from "drizzle-orm";
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
  type Role,
} from "~/db/schema";
import { newId } from "~/db/ids";
import {
  DAILY_RECORDINGS,
  deleteOrphanRecordings,
  recordingsDirectory,
  saveRecording,
} from "~/features/practice/recordings.server";
import { oggOpusRecording, webmRecording } from "../support/audio-files";
import { makeOrg, makeTeam, makeUser, TEST_PASSWORD } from "../support/people";
import { Client, startServer, type TestServer } from "../support/server";

let server: TestServer;
beforeAll(async () => {
  // No demo: every test builds the organization it needs.
  server = await startServer({ FLYWHEEL_DEMO: "0" });
});
afterAll(() => server?.stop());

type Person = Awaited<ReturnType<typeof makeUser>>;

async function signedIn(person: Person): Promise<Client> {
  const client = new Client(server.url);
  expect((await client.login(person.email, TEST_PASSWORD)).status, person.email).toBe(302);
  return client;
}

/**
 * A new organization for one test: the rep and a colleague on the manager's team, another team
 * with its own manager and rep, a trainer and an admin.
 */
async function organization() {
  const org = await makeOrg();
  const person = (roles: Role[], name: string) =>
    makeUser(org.id, roles, `${name}.${newId().slice(0, 8)}@test.example`);
  const rep = await person(["rep"], "rep");
  const colleague = await person(["rep"], "colleague");
  const manager = await person(["manager"], "manager");
  const otherManager = await person(["manager"], "other-manager");
  const otherRep = await person(["rep"], "other-rep");
  const trainer = await person(["trainer"], "trainer");
  const admin = await person(["admin"], "admin");
  await makeTeam(org.id, "Field", [
    { userId: rep.id, role: "member" },
    { userId: colleague.id, role: "member" },
    { userId: manager.id, role: "manager" },
  ]);
  await makeTeam(org.id, "Inside", [
    { userId: otherRep.id, role: "member" },
    { userId: otherManager.id, role: "manager" },
  ]);
  return { rep, colleague, manager, otherManager, otherRep, trainer, admin };
}

const EBML = Buffer.from([0x1a, 0x45, 0xdf, 0xa3]);
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

const REPLY =
  "It sounds like last year's rollout still hurts. What happened, and what would need to be different this time?";

async function uploadedRecording(rep: Client): Promise<string> {
  const response = await upload(rep, webmRecording({ durationMs: 3_000 }), "audio/webm");
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

/** The rep uploads a recording and submits the open role-play with it attached to the first turn. */
async function submitOpenRoleplay(rep: Client) {
  const recordingId = await uploadedRecording(rep);
  const rp = await listeningRoleplay();
  const form: Record<string, string> = { intent: "roleplay-submit", roleplay: rp.key, submission: newId() };
  for (const turn of rp.turns) form[`reply-${turn.id}`] = REPLY;
  form[`recording-${rp.turns[0]!.id}`] = recordingId;
  const response = await rep.post(LESSON, form);
  expect(response.status).toBe(303);
  return { recordingId, response };
}

const submissionsOf = (userId: string) =>
  db().select().from(roleplaySubmissions).where(eq(roleplaySubmissions.userId, userId));

/** An organization whose rep has submitted the open role-play, waiting for review. */
async function submittedForReview() {
  const people = await organization();
  const { recordingId } = await submitOpenRoleplay(await signedIn(people.rep));
  const [submission] = await submissionsOf(people.rep.id);
  return { ...people, recordingId, submissionId: submission!.id };
}

const FOUR_MINUTES = 4 * 60_000;
const recordingRow = async (id: string) => first(db().select().from(recordings).where(eq(recordings.id, id)).limit(1));
const idOf = async (response: Response) => ((await response.json()) as { id: string }).id;

describe("recording uploads", () => {
  it("refuses the wrong type, a file that is not what it claims, too long or too large, storing nothing", async () => {
    const rep = await signedIn((await organization()).rep);
    const rows = await recordingCount();
    const files = filesOnDisk();
    const short = webmRecording({ durationMs: 2_000 });
    const cases: Array<[Buffer, string, Record<string, string>, number, RegExp]> = [
      [short, "text/plain", {}, 415, /WebM or Ogg/],
      [short, "video/mp4", {}, 415, /WebM or Ogg/],
      [Buffer.concat([Buffer.from("MZ"), Buffer.alloc(2000)]), "audio/webm", {}, 415, /not the audio it claims/],
      [short, "audio/ogg", {}, 415, /not the audio it claims/],
      [Buffer.alloc(10 * 1024 * 1024 + 1, 7), "audio/webm", {}, 413, /larger than 10 MB/],
    ];
    for (const [body, type, headers, status, message] of cases) {
      const response = await upload(rep, body, type, headers);
      expect(response.status, `${type} ${body.length}`).toBe(status);
      expect((await response.json()).error).toMatch(message);
    }
    expect(await recordingCount()).toBe(rows);
    expect(filesOnDisk()).toBe(files);
  });

  it("refuses a file that is not entirely one recording: polyglots, trailing data, cut short", async () => {
    const rep = await signedIn((await organization()).rep);
    const rows = await recordingCount();
    const files = filesOnDisk();
    const webm = webmRecording({ durationMs: 2_000, sized: true });
    const ogg = oggOpusRecording({ durationMs: 2_000 });
    const cases: Array<[string, Buffer, string, RegExp]> = [
      ["a WebM file followed by an Ogg file", Buffer.concat([webm, ogg]), "audio/webm", /other data after the end/],
      [
        "a streamed WebM followed by an Ogg file",
        Buffer.concat([webmRecording({ durationMs: 2_000 }), ogg]),
        "audio/webm",
        /damaged/,
      ],
      ["an Ogg file followed by a WebM file", Buffer.concat([ogg, webm]), "audio/ogg", /other data after the end/],
      [
        "an Ogg file followed by HTML",
        Buffer.concat([ogg, Buffer.from("<html><script>alert(1)</script>")]),
        "audio/ogg",
        /after the end/,
      ],
      ["a WebM file cut short", webm.subarray(0, webm.length - 100), "audio/webm", /ends in the middle/],
      ["an Ogg file cut short", ogg.subarray(0, ogg.length - 100), "audio/ogg", /ends in the middle/],
      ["a WebM file of video", webmRecording({ durationMs: 2_000, trackType: 1 }), "audio/webm", /other than Opus/],
    ];
    for (const [what, body, type, reason] of cases) {
      const response = await upload(rep, body, type);
      expect(response.status, what).toBe(422);
      const { error } = (await response.json()) as { error: string };
      expect(error, what).toMatch(/^This recording could not be read: /);
      expect(error, what).toMatch(reason);
    }
    expect(await recordingCount()).toBe(rows);
    expect(filesOnDisk()).toBe(files);
  });

  it("measures the length from the file: X-Duration-Ms missing, absurd or negative changes nothing", async () => {
    const rep = await signedIn((await organization()).rep);
    const rows = await recordingCount();
    const long = [
      webmRecording({ durationMs: FOUR_MINUTES, frameMs: 60 }),
      webmRecording({ durationMs: FOUR_MINUTES, frameMs: 60, sized: true, declaredDurationMs: 1_000 }),
      oggOpusRecording({ durationMs: FOUR_MINUTES }),
    ];
    for (const body of long)
      for (const headers of [
        {} as Record<string, string>,
        { "x-duration-ms": "1e400" },
        { "x-duration-ms": "-5000" },
        { "x-duration-ms": "1000" },
      ]) {
        const type = body.subarray(0, 4).equals(EBML) ? "audio/webm" : "audio/ogg";
        const response = await upload(rep, body, type, headers);
        expect(response.status, `${type} ${JSON.stringify(headers)}`).toBe(413);
        expect((await response.json()).error).toMatch(/at most three minutes long; this one is 4:00/);
      }
    expect(await recordingCount()).toBe(rows);
    // Just under the limit passes, whatever the header claims.
    const ok = await upload(rep, webmRecording({ durationMs: 179_000, frameMs: 60 }), "audio/webm", {
      "x-duration-ms": "999999",
    });
    expect(ok.status).toBe(201);
    expect((await recordingRow(await idOf(ok)))!.durationMs).toBe(179_000);
  });

  it("stores a valid WebM or Ogg recording under a server-generated name, owned by the rep, with the file's own length", async () => {
    const { rep } = await organization();
    const client = await signedIn(rep);
    const body = webmRecording({ durationMs: 42_000 });
    const response = await upload(client, body, "audio/webm;codecs=opus", { "x-duration-ms": "1" });
    expect(response.status).toBe(201);
    const id = await idOf(response);
    const row = (await recordingRow(id))!;
    expect(row).toMatchObject({ fileName: `${id}.webm`, bytes: body.length, durationMs: 42_000, userId: rep.id });
    expect(fs.readFileSync(`${recordingsDirectory()}/${row.fileName}`)).toEqual(body);
    const ogg = await upload(client, oggOpusRecording({ durationMs: 2_500 }), "audio/ogg");
    expect(ogg.status).toBe(201);
    const oggId = await idOf(ogg);
    expect(await recordingRow(oggId)).toMatchObject({ fileName: `${oggId}.ogg`, durationMs: 2_500 });
  });
});

describe("the daily recording quota", () => {
  it(`a rep stores at most ${DAILY_RECORDINGS} recordings in 24 hours; refused uploads do not count`, async () => {
    const { rep } = await organization();
    const client = await signedIn(rep);
    const body = webmRecording({ durationMs: 1_000 });
    for (let i = 0; i < DAILY_RECORDINGS; i++) {
      expect((await upload(client, body, "audio/webm")).status, `upload ${i + 1}`).toBe(201);
      // A broken upload in between is refused and stores nothing, so it uses none of the quota.
      if (i % 10 === 0) expect((await upload(client, body.subarray(0, 500), "audio/webm")).status).toBe(422);
    }
    const over = await upload(client, body, "audio/webm");
    expect(over.status).toBe(429);
    expect((await over.json()).error).toMatch(
      /limit for recordings \(40 recordings or 100 MB in 24 hours\).*record again in about 24 hours/,
    );
    const mine = await db().select({ n: count() }).from(recordings).where(eq(recordings.userId, rep.id));
    expect(mine).toEqual([{ n: DAILY_RECORDINGS }]);
  });

  it("twenty 9.5 MB uploads at once by one rep: only 100 MB is stored, the rest is refused", async () => {
    const { rep, colleague } = await organization();
    const client = await signedIn(rep);
    // 170 s of 20 ms blocks of 1,150 bytes: a valid recording of about 9.5 MB.
    const big = webmRecording({ durationMs: 170_000, packetBytes: 1_150, sized: true });
    expect(big.length).toBeGreaterThan(9.4 * 1024 * 1024);
    expect(big.length).toBeLessThan(10 * 1024 * 1024);
    const statuses = await Promise.all(
      Array.from({ length: 20 }, () => upload(client, big, "audio/webm").then((r) => r.status)),
    );
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
    const stored = await db()
      .select({ fileName: recordings.fileName, bytes: recordings.bytes })
      .from(recordings)
      .where(eq(recordings.userId, rep.id));
    expect(stored).toHaveLength(10);
    expect(stored.reduce((sum, r) => sum + r.bytes, 0)).toBeLessThanOrEqual(100 * 1024 * 1024);
    for (const r of stored) expect(fs.existsSync(`${recordingsDirectory()}/${r.fileName}`)).toBe(true);
    // The quota is each rep's own.
    expect((await upload(await signedIn(colleague), big, "audio/webm")).status).toBe(201);
  });

  it("is a rolling 24 hours: the next day the rep records again", async () => {
    const { rep } = await organization();
    const client = await signedIn(rep);
    const body = webmRecording({ durationMs: 1_000 });
    for (let i = 0; i < DAILY_RECORDINGS; i++) expect((await upload(client, body, "audio/webm")).status).toBe(201);
    expect((await upload(client, body, "audio/webm")).status).toBe(429);
    const [latest] = await db()
      .select({ createdAt: recordings.createdAt })
      .from(recordings)
      .where(eq(recordings.userId, rep.id))
      .orderBy(desc(recordings.createdAt))
      .limit(1);
    const request = () =>
      new Request("http://flywheel.test/practice/recordings", {
        method: "POST",
        headers: { "content-type": "audio/webm" },
        body: new Uint8Array(body),
      });
    const user = { id: rep.id, orgId: rep.orgId };
    const justBefore = new Date(latest!.createdAt.getTime() + 23 * 3_600_000);
    await expect(saveRecording(db(), user, request(), justBefore)).rejects.toMatchObject({ status: 429 });
    const nextDay = new Date(latest!.createdAt.getTime() + 24 * 3_600_000 + 1_000);
    expect((await saveRecording(db(), user, request(), nextDay)).durationMs).toBe(1_000);
  });
});

describe("an open role-play, reviewed by the rep's manager", () => {
  it("the rep submits written replies with a recording", async () => {
    const { rep } = await organization();
    const { recordingId } = await submitOpenRoleplay(await signedIn(rep));
    const submissions = await submissionsOf(rep.id);
    expect(submissions).toHaveLength(1);
    expect(submissions[0]).toMatchObject({ mode: "open", status: "submitted" });
    expect(submissions[0]!.replies[0]).toMatchObject({ text: REPLY, recordingId });
    const recording = (await first(db().select().from(recordings).where(eq(recordings.id, recordingId)).limit(1)))!;
    expect(recording.submissionId).toBe(submissions[0]!.id);
  });

  it("a rep cannot attach someone else's recording", async () => {
    const { rep, colleague } = await organization();
    const recordingId = await uploadedRecording(await signedIn(rep));
    const rp = await listeningRoleplay();
    const form: Record<string, string> = { intent: "roleplay-submit", roleplay: rp.key, submission: newId() };
    for (const turn of rp.turns) form[`reply-${turn.id}`] = "What happened?";
    form[`recording-${rp.turns[0]!.id}`] = recordingId;
    const response = await (await signedIn(colleague)).post(LESSON, form);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("could not be attached");
    expect(await submissionsOf(colleague.id)).toHaveLength(0);
  });

  it("the rep plays it at once; the rep's managers only once it is submitted; trainers, admins and others never", async () => {
    const people = await organization();
    const rep = await signedIn(people.rep);
    const { recordingId } = await submitOpenRoleplay(rep);
    const draft = await uploadedRecording(rep); // a take the rep has not handed in
    const status = async (person: Person, id: string) =>
      (await (await signedIn(person)).request(`/practice/recordings/${id}`)).status;
    for (const person of [people.rep, people.manager])
      expect(await status(person, recordingId), person.email).toBe(200);
    for (const person of [people.colleague, people.otherManager, people.trainer, people.admin])
      expect(await status(person, recordingId), person.email).toBe(404);
    expect(await status(people.rep, draft)).toBe(200);
    for (const person of [people.manager, people.trainer]) expect(await status(person, draft), person.email).toBe(404);

    const played = await rep.request(`/practice/recordings/${recordingId}`);
    expect(played.headers.get("content-type")).toBe("audio/webm");
    expect(played.headers.get("content-security-policy")).toBe("default-src 'none'; sandbox");
    expect(played.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("a manager of another team can neither see nor review it, and the rep's colleagues cannot see it", async () => {
    const { rep, colleague, otherManager, submissionId } = await submittedForReview();
    const repName = `Person ${rep.email.split("@")[0]}`;
    const other = await signedIn(otherManager);
    expect((await other.request(`/coach/reviews/${submissionId}`)).status).toBe(404);
    const list = await other.request("/coach/reviews");
    expect(list.status).toBe(200);
    expect(await list.text()).not.toContain(repName);
    const forged = await other.post(`/coach/reviews/${submissionId}`, { comment: "hijack", "score-x": "5" });
    expect(forged.status).toBe(404);
    expect(
      (await first(db().select().from(roleplaySubmissions).where(eq(roleplaySubmissions.id, submissionId)).limit(1)))!
        .status,
    ).toBe("submitted");
    expect((await (await signedIn(colleague)).request(`/practice/submissions/${submissionId}`)).status).toBe(404);
    expect((await (await signedIn(rep)).request(`/coach/reviews/${submissionId}`)).status).toBe(403);
  });

  it("the manager scores each criterion; the rep is told in the app and by e-mail", async () => {
    const { rep, manager: managerPerson, otherManager, submissionId, recordingId } = await submittedForReview();
    const manager = await signedIn(managerPerson);
    const waiting = await (await manager.request("/coach/reviews")).text();
    expect(waiting).toContain(`Person ${rep.email.split("@")[0]}`);
    // The rep recorded their reply: the queue says so.
    expect(waiting).toContain("Replies with 1 recording");
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
      submission: newId(),
    });
    expect(incomplete.status).toBe(400);
    const form: Record<string, string> = {
      comment: "Lovely reflection in turn one. Next time, ask one question at a time.",
      submission: newId(),
    };
    for (const c of rubric) form[`score-${c.id}`] = "4";
    const sent = await manager.post(`/coach/reviews/${submissionId}`, form);
    expect(sent.status).toBe(303);
    // The manager lands back on the queue, told the review went out.
    const queue = await (await manager.request(sent.headers.get("location")!)).text();
    expect(queue).toContain("Review sent.");
    expect(queue).toContain(`Person ${rep.email.split("@")[0]}`);
    // The manager of another team, given the same address, learns nothing.
    const other = await (await signedIn(otherManager)).request(sent.headers.get("location")!);
    expect(await other.text()).not.toContain("Review sent.");
    const reviewed = (await first(
      db().select().from(roleplaySubmissions).where(eq(roleplaySubmissions.id, submissionId)).limit(1),
    ))!;
    expect(reviewed).toMatchObject({ status: "reviewed", managerScore: 80 });
    expect(await db().select().from(notifications).where(eq(notifications.userId, rep.id))).toHaveLength(1);
    const mail = await db().select().from(outbox).where(eq(outbox.to, rep.email));
    expect(mail.map((m) => m.subject)).toEqual([expect.stringContaining("80/100")]);
    const mine = await (await (await signedIn(rep)).request(`/practice/submissions/${submissionId}`)).text();
    expect(mine).toContain("ask one question at a time");
    // Beside the review, the rep reads their own replies and can play their recording.
    expect(mine).toContain("Your replies");
    expect(mine).toContain(REPLY.slice(0, 40));
    expect(mine).toContain(`src="/practice/recordings/${recordingId}"`);
  });
});

describe("recordings never attached to a role-play", () => {
  it("are deleted, row and file, a day after the upload; attached ones and younger ones stay", async () => {
    const people = await organization();
    const rep = await signedIn(people.rep);
    const { recordingId: attached } = await submitOpenRoleplay(rep);
    const orphan = await uploadedRecording(rep);
    const uploadedAt = (await recordingRow(orphan))!.createdAt.getTime();
    const fileOf = async (id: string) => `${recordingsDirectory()}/${(await recordingRow(id))!.fileName}`;
    const orphanFile = await fileOf(orphan);
    const attachedFile = await fileOf(attached);

    await deleteOrphanRecordings(db(), new Date(uploadedAt + 23 * 3_600_000));
    expect(await recordingRow(orphan)).toBeDefined();
    expect(fs.existsSync(orphanFile)).toBe(true);

    const younger = await uploadedRecording(rep);
    const { deleted } = await deleteOrphanRecordings(db(), new Date(uploadedAt + 24 * 3_600_000 + 1));
    expect(deleted).toBeGreaterThanOrEqual(1);
    expect(await recordingRow(orphan)).toBeUndefined();
    expect(fs.existsSync(orphanFile)).toBe(false);
    expect((await rep.request(`/practice/recordings/${orphan}`)).status).toBe(404);
    expect(await recordingRow(attached)).toBeDefined();
    expect(fs.existsSync(attachedFile)).toBe(true);
    expect(await recordingRow(younger)).toBeDefined();
    // Long after, an attached recording is still kept: it belongs to a submission.
    await deleteOrphanRecordings(db(), new Date(uploadedAt + 400 * 86_400_000));
    expect(await recordingRow(attached)).toBeDefined();
    expect(await recordingRow(younger)).toBeUndefined();
  });

  it("an orphan that has been deleted can no longer be attached to a submission", async () => {
    const { rep } = await organization();
    const client = await signedIn(rep);
    const orphan = await uploadedRecording(client);
    await deleteOrphanRecordings(db(), new Date((await recordingRow(orphan))!.createdAt.getTime() + 25 * 3_600_000));
    const rp = await listeningRoleplay();
    const form: Record<string, string> = { intent: "roleplay-submit", roleplay: rp.key, submission: newId() };
    for (const turn of rp.turns) form[`reply-${turn.id}`] = REPLY;
    form[`recording-${rp.turns[0]!.id}`] = orphan;
    const response = await client.post(LESSON, form);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("could not be attached");
    expect(await submissionsOf(rep.id)).toHaveLength(0);
  });
});

describe("an open role-play, one buyer turn at a time", () => {
  /** The role-play's section of the lesson page, as the rep's browser gets it (no JavaScript needed). */
  const roleplaySection = async (rep: Client) => {
    const html = await (await rep.request(LESSON)).text();
    return /<section[^>]*id="roleplay-[^"]+"[^>]*>([\s\S]*?)<\/section>/.exec(html)![1]!.replaceAll("&#x27;", "'");
  };
  /** One reply posted as the page's form posts it: the turn it answers, its text, the page's key. */
  const reply = async (rep: Client, turnId: string, text: string, extra: Record<string, string> = {}) => {
    const html = await (await rep.request(LESSON)).text();
    const submission = /name="submission" value="([a-z0-9-]+)"/.exec(html)![1]!;
    const rp = await listeningRoleplay();
    return rep.post(LESSON, {
      intent: "roleplay-reply",
      roleplay: rp.key,
      turn: turnId,
      [`reply-${turnId}`]: text,
      submission,
      ...extra,
    });
  };
  const quote = (buyer: string) => buyer.slice(0, 60);

  it("shows the first buyer turn only, then each next turn after the rep's reply, and submits after the last", async () => {
    const { rep, manager } = await organization();
    const client = await signedIn(rep);
    const rp = await listeningRoleplay();
    const [t1, t2, t3] = rp.turns;
    let section = await roleplaySection(client);
    expect(section).toContain(quote(t1!.buyer));
    expect(section).not.toContain(quote(t2!.buyer));
    expect(section).toMatch(/Turn (<!-- -->)?1(<!-- -->)? of (<!-- -->)?4/);

    expect((await reply(client, t1!.id, "That sounds like a rough month. What's weighing on you most?")).status).toBe(
      303,
    );
    section = await roleplaySection(client);
    expect(section).toContain(quote(t1!.buyer));
    expect(section).toContain(
      "That sounds like a rough month. What&#x27;s weighing on you most?".replaceAll("&#x27;", "'"),
    );
    expect(section).toContain(quote(t2!.buyer));
    expect(section).not.toContain(quote(t3!.buyer));
    const [open] = await submissionsOf(rep.id);
    expect(open).toMatchObject({ status: "in_progress", mode: "open" });
    expect(open!.replies.map((r) => r.turnId)).toEqual([t1!.id]);

    // Not for review while the rep is still talking.
    const reviewer = await signedIn(manager);
    expect(await (await reviewer.request("/coach/reviews")).text()).not.toContain(rep.name);

    for (const turn of rp.turns.slice(1)) expect((await reply(client, turn.id, REPLY)).status).toBe(303);
    const [done] = await submissionsOf(rep.id);
    expect(done).toMatchObject({ status: "submitted" });
    expect(done!.replies.map((r) => r.turnId)).toEqual(rp.turns.map((t) => t.id));
    expect(await (await reviewer.request("/coach/reviews")).text()).toContain(rep.name);
    section = await roleplaySection(client);
    expect(section).toContain("Submitted. Your manager will review it");
    expect(section).toContain(quote(rp.turns.at(-1)!.buyer));
  });

  it("a turn already answered (a stale page, the same form again) changes nothing", async () => {
    const { rep } = await organization();
    const client = await signedIn(rep);
    const rp = await listeningRoleplay();
    expect((await reply(client, rp.turns[0]!.id, REPLY)).status).toBe(303);
    const again = await reply(client, rp.turns[0]!.id, "A second answer to the first turn?");
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("You have answered that turn already");
    const skipping = await reply(client, rp.turns[2]!.id, "Jumping ahead?");
    expect(skipping.status).toBe(409);
    const [open] = await submissionsOf(rep.id);
    expect(open!.replies).toHaveLength(1);
    const empty = await reply(client, rp.turns[1]!.id, "   ");
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain("Write (or record) your reply");
  });

  it("a recording attached to a turn is the rep's alone until the role-play is submitted", async () => {
    const { rep, manager } = await organization();
    const client = await signedIn(rep);
    const rp = await listeningRoleplay();
    const recordingId = await uploadedRecording(client);
    expect((await reply(client, rp.turns[0]!.id, "", { [`recording-${rp.turns[0]!.id}`]: recordingId })).status).toBe(
      303,
    );
    const reviewer = await signedIn(manager);
    expect((await client.request(`/practice/recordings/${recordingId}`)).status).toBe(200);
    expect((await reviewer.request(`/practice/recordings/${recordingId}`)).status).toBe(404);
    // Attached to the attempt, it is no orphan, however long the rep takes.
    await deleteOrphanRecordings(db(), new Date(Date.now() + 3 * 86_400_000));
    expect(await recordingRow(recordingId)).toBeDefined();
    for (const turn of rp.turns.slice(1)) await reply(client, turn.id, REPLY);
    expect((await reviewer.request(`/practice/recordings/${recordingId}`)).status).toBe(200);
  });

  it("starting over drops the attempt in progress and lets its recordings go", async () => {
    const { rep } = await organization();
    const client = await signedIn(rep);
    const rp = await listeningRoleplay();
    const recordingId = await uploadedRecording(client);
    await reply(client, rp.turns[0]!.id, REPLY, { [`recording-${rp.turns[0]!.id}`]: recordingId });
    expect((await client.post(LESSON, { intent: "roleplay-restart", roleplay: rp.key })).status).toBe(303);
    expect(await submissionsOf(rep.id)).toHaveLength(0);
    expect((await recordingRow(recordingId))!.submissionId).toBeNull();
    const section = await roleplaySection(client);
    expect(section).toContain(quote(rp.turns[0]!.buyer));
    expect(section).not.toContain(quote(rp.turns[1]!.buyer));
  });
});
