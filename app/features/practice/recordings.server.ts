// Spoken role-play replies: at most 10 MB and three minutes, WebM or Ogg audio only (checked by
// the declared type and by the file's first bytes), stored under server-generated names and
// served only to the rep, the managers of their teams and trainers.
import fs from "node:fs";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { databasePath, first, type Handle } from "~/db/connection.server";
import { newId } from "~/db/ids";
import { recordings } from "~/db/schema";
import type { SessionUser } from "~/features/auth/sessions.server";
import { repsManagedBy } from "~/features/people/teams.server";
import { Refusal } from "~/features/refusal";

export const MAX_RECORDING_BYTES = 10 * 1024 * 1024;
export const MAX_RECORDING_MS = 3 * 60 * 1000;
// A little slack: the browser's timer and the upload start are not the same instant.
const DURATION_SLACK_MS = 5_000;

const FORMATS = {
  "audio/webm": { extension: "webm", magic: [0x1a, 0x45, 0xdf, 0xa3] },
  "audio/ogg": { extension: "ogg", magic: [0x4f, 0x67, 0x67, 0x53] },
} as const;
type Format = keyof typeof FORMATS;

export function recordingsDirectory(): string {
  return path.resolve(process.env.RECORDINGS_DIR ?? path.join(path.dirname(databasePath()), "recordings"));
}

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
      throw new Refusal("That recording is larger than 10 MB. Keep replies under three minutes.", 413);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

export async function saveRecording(
  db: Handle,
  user: Pick<SessionUser, "id" | "orgId">,
  request: Request,
  now = new Date(),
): Promise<{ id: string }> {
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (!(type in FORMATS)) throw new Refusal("Recordings must be WebM or Ogg audio.", 415);
  const format = FORMATS[type as Format];
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > MAX_RECORDING_BYTES)
    throw new Refusal("That recording is larger than 10 MB. Keep replies under three minutes.", 413);
  const duration = Number(request.headers.get("x-duration-ms") ?? NaN);
  if (Number.isFinite(duration) && duration > MAX_RECORDING_MS + DURATION_SLACK_MS)
    throw new Refusal("Recordings can be at most three minutes long.", 413);
  const bytes = await readCapped(request.body, MAX_RECORDING_BYTES);
  if (bytes.length < 16) throw new Refusal("The recording was empty.", 400);
  if (!format.magic.every((b, i) => bytes[i] === b))
    throw new Refusal("That file is not the audio it claims to be. Record again in the browser.", 415);

  const id = newId();
  const fileName = `${id}.${format.extension}`;
  fs.mkdirSync(recordingsDirectory(), { recursive: true });
  fs.writeFileSync(path.join(recordingsDirectory(), fileName), bytes, { flag: "wx" });
  await db.insert(recordings).values({
    id,
    orgId: user.orgId,
    userId: user.id,
    fileName,
    contentType: type,
    bytes: bytes.length,
    durationMs: Number.isFinite(duration) ? Math.round(duration) : null,
    createdAt: now,
  });
  return { id };
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
