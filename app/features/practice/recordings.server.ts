// Spoken role-play replies: at most 10 MB and three minutes of WebM or Ogg Opus audio, read from
// end to end (audio-files.server.ts: the length is the file's own, never a header the client
// sends), at most 40 recordings or 100 MB per rep in any 24 hours, stored under
// server-generated names, and served only to the rep and the managers of the rep's teams
// (decision 017). A recording not attached to a role-play attempt within 24 hours is deleted,
// row and file, by the scheduled work.
import fs from "node:fs";
import path from "node:path";
import { and, asc, eq, gt, inArray, isNull, lt } from "drizzle-orm";
import { databasePath, first, transaction, type Handle } from "~/db/connection.server";
import { newId } from "~/db/ids";
import { recordings, roleplaySubmissions } from "~/db/schema";
import type { SessionUser } from "~/features/auth/sessions.server";
import { repsManagedBy } from "~/features/people/teams.server";
import { Refusal } from "~/features/refusal";
import { readCapped } from "~/features/uploads.server";
import { DAY_MS } from "~/shared/days";
import { recordingDurationMs, UnreadableRecording, type RecordingType } from "./audio-files.server";

export const MAX_RECORDING_BYTES = 10 * 1024 * 1024;
export const MAX_RECORDING_MS = 3 * 60 * 1000;
// A little slack: the browser's three-minute timer stops the recorder a moment after the limit.
const DURATION_SLACK_MS = 5_000;

/**
 * What one rep may store in any 24 hours. A role-play has a handful of turns and a rep may
 * record each one a few times; a three-minute Opus reply from Chrome is about 3 MB. Only what
 * is stored counts: a refused upload costs nothing, and orphans leave after a day anyway.
 */
export const DAILY_RECORDINGS = 40;
export const DAILY_RECORDING_BYTES = 100 * 1024 * 1024;

/** An unattached recording is deleted this long after its upload. */
export const ORPHAN_AFTER_MS = DAY_MS;
const ORPHANS_PER_BATCH = 500;

const EXTENSIONS: Record<RecordingType, string> = { "audio/webm": "webm", "audio/ogg": "ogg" };

export function recordingsDirectory(): string {
  return path.resolve(process.env.RECORDINGS_DIR ?? path.join(path.dirname(databasePath()), "recordings"));
}

const tooLarge = () => new Refusal("That recording is larger than 10 MB. Keep replies under three minutes.", 413);

const minutesAndSeconds = (ms: number) => {
  if (ms >= 3_600_000) return "over an hour";
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
};

/** The recording's length as the file itself gives it, or the refusal that says what is wrong with it. */
function readDuration(type: RecordingType, bytes: Buffer): number {
  let durationMs: number;
  try {
    durationMs = recordingDurationMs(type, bytes);
  } catch (error) {
    if (!(error instanceof UnreadableRecording)) throw error;
    if (error.wrongKind)
      throw new Refusal("That file is not the audio it claims to be. Record again in the browser.", 415);
    throw new Refusal(
      `This recording could not be read: ${error.reason}. Record it again in the browser, or write your reply.`,
      422,
    );
  }
  if (durationMs > MAX_RECORDING_MS + DURATION_SLACK_MS)
    throw new Refusal(
      `Recordings can be at most three minutes long; this one is ${minutesAndSeconds(durationMs)}. Record a shorter reply.`,
      413,
    );
  return Math.round(durationMs);
}

/**
 * Refuses (429) a recording that would take the rep past the daily quota, saying when they can
 * record again: when enough of the last 24 hours' recordings have aged out of the window.
 */
async function checkDailyQuota(db: Handle, userId: string, bytes: number, now: Date): Promise<void> {
  const recent = await db
    .select({ bytes: recordings.bytes, createdAt: recordings.createdAt })
    .from(recordings)
    .where(and(eq(recordings.userId, userId), gt(recordings.createdAt, new Date(now.getTime() - DAY_MS))))
    .orderBy(asc(recordings.createdAt));
  let count = recent.length;
  let total = recent.reduce((sum, r) => sum + r.bytes, 0);
  const fits = () => count + 1 <= DAILY_RECORDINGS && total + bytes <= DAILY_RECORDING_BYTES;
  if (fits()) return;
  let freeAt = now.getTime() + DAY_MS;
  for (const r of recent) {
    count--;
    total -= r.bytes;
    if (fits()) {
      freeAt = r.createdAt.getTime() + DAY_MS;
      break;
    }
  }
  const hours = Math.max(1, Math.ceil((freeAt - now.getTime()) / 3_600_000));
  throw new Refusal(
    `You have reached the limit for recordings (${DAILY_RECORDINGS} recordings or ${DAILY_RECORDING_BYTES / 1024 / 1024} MB in 24 hours). ` +
      `You can record again in about ${hours} hour${hours === 1 ? "" : "s"}; until then, write your reply.`,
    429,
  );
}

export async function saveRecording(
  db: Handle,
  user: Pick<SessionUser, "id" | "orgId">,
  request: Request,
  now = new Date(),
): Promise<{ id: string; durationMs: number }> {
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (!Object.hasOwn(EXTENSIONS, type)) throw new Refusal("Recordings must be WebM or Ogg audio.", 415);
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > MAX_RECORDING_BYTES) throw tooLarge();
  const bytes = await readCapped(request.body, MAX_RECORDING_BYTES, tooLarge);
  if (bytes.length === 0) throw new Refusal("The recording was empty.", 400);
  const durationMs = readDuration(type as RecordingType, bytes);

  const id = newId();
  const fileName = `${id}.${EXTENSIONS[type as RecordingType]}`;
  // The quota's count and the new row in one transaction, so uploads at the same moment cannot
  // all pass the check. The row comes first and the file after it: a crash in between leaves a
  // row without a file (which the orphan clean-up removes), never a file no row knows.
  await transaction(db, async (tx) => {
    await checkDailyQuota(tx, user.id, bytes.length, now);
    await tx.insert(recordings).values({
      id,
      orgId: user.orgId,
      userId: user.id,
      fileName,
      contentType: type,
      bytes: bytes.length,
      durationMs,
      createdAt: now,
    });
  });
  try {
    fs.mkdirSync(recordingsDirectory(), { recursive: true });
    fs.writeFileSync(path.join(recordingsDirectory(), fileName), bytes, { flag: "wx" });
  } catch (error) {
    await db.delete(recordings).where(eq(recordings.id, id));
    throw error;
  }
  return { id, durationMs };
}

/**
 * Decision 017: the rep who made it, at any time; a manager of one of the rep's teams, once it
 * is attached to a submitted role-play (what the rep chose to hand in, not the takes before it,
 * nor the turns of an attempt still in progress).
 * Nobody else: not trainers, not admins, not other managers. Anything else is "not found".
 */
export async function recordingFor(
  db: Handle,
  viewer: Pick<SessionUser, "id" | "orgId" | "roles">,
  recordingId: string,
): Promise<{ file: string; contentType: string; bytes: number } | null> {
  const row = await first(
    db
      .select({
        userId: recordings.userId,
        submission: roleplaySubmissions.status,
        fileName: recordings.fileName,
        contentType: recordings.contentType,
        bytes: recordings.bytes,
      })
      .from(recordings)
      .leftJoin(roleplaySubmissions, eq(roleplaySubmissions.id, recordings.submissionId))
      .where(and(eq(recordings.id, recordingId), eq(recordings.orgId, viewer.orgId)))
      .limit(1),
  );
  if (!row) return null;
  // An open role-play keeps each turn's recording on the attempt in progress (decision 025): the
  // manager hears it once the whole role-play is handed in, not before.
  const allowed =
    row.userId === viewer.id ||
    ((row.submission === "submitted" || row.submission === "reviewed") &&
      viewer.roles.includes("manager") &&
      (await repsManagedBy(db, viewer.orgId, viewer.id)).includes(row.userId));
  if (!allowed) return null;
  return { file: path.join(recordingsDirectory(), row.fileName), contentType: row.contentType, bytes: row.bytes };
}

/**
 * Deletes the recordings that were never attached to a role-play attempt within a day of their
 * upload: the rows, then their files. Each row is claimed by the delete that removes it (in a
 * transaction, with its conditions checked again), so schedulers on several servers running at
 * once split the orphans between them and each file is removed by exactly one of them; a
 * recording attached meanwhile no longer matches and stays.
 */
export async function deleteOrphanRecordings(db: Handle, now: Date): Promise<{ deleted: number }> {
  const orphaned = and(
    isNull(recordings.submissionId),
    lt(recordings.createdAt, new Date(now.getTime() - ORPHAN_AFTER_MS)),
  );
  let deleted = 0;
  for (;;) {
    const files = await transaction(db, async (tx) => {
      const batch = tx.select({ id: recordings.id }).from(recordings).where(orphaned).limit(ORPHANS_PER_BATCH);
      return tx
        .delete(recordings)
        .where(and(inArray(recordings.id, batch), orphaned))
        .returning({ fileName: recordings.fileName });
    });
    for (const { fileName } of files) fs.rmSync(path.join(recordingsDirectory(), fileName), { force: true });
    deleted += files.length;
    if (files.length < ORPHANS_PER_BATCH) return { deleted };
  }
}
