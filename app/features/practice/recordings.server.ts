// Spoken role-play replies: at most 10 MB and three minutes of WebM or Ogg Opus audio, read from
// end to end (audio-files.server.ts: the length is the file's own, never a header the client
// sends), stored under server-generated names and served only to the rep, the managers of their
// teams and trainers.
import fs from "node:fs";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { databasePath, first, type Handle } from "~/db/connection.server";
import { newId } from "~/db/ids";
import { recordings } from "~/db/schema";
import type { SessionUser } from "~/features/auth/sessions.server";
import { repsManagedBy } from "~/features/people/teams.server";
import { Refusal } from "~/features/refusal";
import { recordingDurationMs, UnreadableRecording, type RecordingType } from "./audio-files.server";

export const MAX_RECORDING_BYTES = 10 * 1024 * 1024;
export const MAX_RECORDING_MS = 3 * 60 * 1000;
// A little slack: the browser's three-minute timer stops the recorder a moment after the limit.
const DURATION_SLACK_MS = 5_000;

const EXTENSIONS: Record<RecordingType, string> = { "audio/webm": "webm", "audio/ogg": "ogg" };

export function recordingsDirectory(): string {
  return path.resolve(process.env.RECORDINGS_DIR ?? path.join(path.dirname(databasePath()), "recordings"));
}

const tooLarge = () => new Refusal("That recording is larger than 10 MB. Keep replies under three minutes.", 413);

async function readCapped(body: ReadableStream<Uint8Array> | null, limit: number): Promise<Buffer> {
  if (!body) throw new Refusal("The recording was empty.", 400);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

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
  const bytes = await readCapped(request.body, MAX_RECORDING_BYTES);
  if (bytes.length === 0) throw new Refusal("The recording was empty.", 400);
  const durationMs = readDuration(type as RecordingType, bytes);

  const id = newId();
  const fileName = `${id}.${EXTENSIONS[type as RecordingType]}`;
  fs.mkdirSync(recordingsDirectory(), { recursive: true });
  fs.writeFileSync(path.join(recordingsDirectory(), fileName), bytes, { flag: "wx" });
  await db.insert(recordings).values({
    id,
    orgId: user.orgId,
    userId: user.id,
    fileName,
    contentType: type,
    bytes: bytes.length,
    durationMs,
    createdAt: now,
  });
  return { id, durationMs };
}

/** The rep who made it, the managers of their teams, and trainers of the organization. */
export async function recordingFor(
  db: Handle,
  viewer: Pick<SessionUser, "id" | "orgId" | "roles">,
  recordingId: string,
): Promise<{ file: string; contentType: string; bytes: number } | null> {
  const row = await first(
    db
      .select({
        userId: recordings.userId,
        fileName: recordings.fileName,
        contentType: recordings.contentType,
        bytes: recordings.bytes,
      })
      .from(recordings)
      .where(and(eq(recordings.id, recordingId), eq(recordings.orgId, viewer.orgId)))
      .limit(1),
  );
  if (!row) return null;
  const allowed =
    row.userId === viewer.id ||
    viewer.roles.includes("trainer") ||
    (viewer.roles.includes("manager") && (await repsManagedBy(db, viewer.orgId, viewer.id)).includes(row.userId));
  if (!allowed) return null;
  return { file: path.join(recordingsDirectory(), row.fileName), contentType: row.contentType, bytes: row.bytes };
}
