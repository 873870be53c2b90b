// A rep's progress through lessons: started on first open; each reading session logged once.
import { and, eq, sql } from "drizzle-orm";
import { first, prepared, transaction, type Handle } from "~/db/connection.server";
import { driverParam } from "~/db/dialect";
import { lessonProgress } from "~/db/schema";
import { recordStatement } from "~/features/activity/statements.server";
import type { SessionUser } from "~/features/auth/sessions.server";

/** Reopening within this window is the same reading session: no new statement, no write. */
export const READING_SESSION_MS = 30 * 60 * 1000;

// Built once: every lesson view runs the first, every new reading session the second.
const progressOf = prepared("progress_lesson_state", (database) =>
  database
    .select({ lastSeenAt: lessonProgress.lastSeenAt, completedAt: lessonProgress.completedAt })
    .from(lessonProgress)
    .where(
      and(
        eq(lessonProgress.userId, sql.placeholder("userId")),
        eq(lessonProgress.lessonId, sql.placeholder("lessonId")),
      ),
    ),
);
const markSeen = prepared("progress_mark_seen", (database) =>
  database
    .insert(lessonProgress)
    .values({
      orgId: driverParam("orgId"),
      userId: driverParam("userId"),
      lessonId: driverParam("lessonId"),
      startedVersionId: driverParam("versionId"),
      startedAt: driverParam("now"),
      lastSeenAt: driverParam("now"),
    })
    .onConflictDoUpdate({
      target: [lessonProgress.userId, lessonProgress.lessonId],
      set: { lastSeenAt: driverParam("now") },
    }),
);

/** Records the visit and says where the rep stands with the lesson. */
export async function recordLessonOpened(
  db: Handle,
  user: Pick<SessionUser, "id" | "orgId" | "timezone">,
  lesson: { id: string; title: string; versionId: string },
  now = new Date(),
): Promise<"started" | "completed"> {
  const existing = await first(progressOf(db).execute({ userId: user.id, lessonId: lesson.id }));
  // Most lesson views are re-reads within a session: they cost one indexed read and no write.
  const status = existing?.completedAt ? "completed" : "started";
  if (existing && now.getTime() - existing.lastSeenAt.getTime() < READING_SESSION_MS) return status;
  // Losing a view to a power cut costs nothing; waiting for the disk on every view did.
  await transaction(
    db,
    async (tx) => {
      await markSeen(tx).execute({
        orgId: user.orgId,
        userId: user.id,
        lessonId: lesson.id,
        versionId: lesson.versionId,
        now: now.getTime(),
      });
      await recordStatement(
        tx,
        {
          orgId: user.orgId,
          timezone: user.timezone,
          actorId: user.id,
          verb: "opened",
          object: { type: "lesson", id: lesson.id, name: lesson.title },
          context: { version: lesson.versionId },
          timestamp: now,
        },
        { lessonsOpened: existing ? 0 : 1 },
      );
    },
    { durable: false },
  );
  return status;
}

/** Where the rep stands with a lesson, recording nothing (a copy of the page saved for offline reading). */
export async function lessonStatus(
  db: Handle,
  user: Pick<SessionUser, "id">,
  lessonId: string,
): Promise<"new" | "started" | "completed"> {
  const existing = await first(progressOf(db).execute({ userId: user.id, lessonId }));
  return existing ? (existing.completedAt ? "completed" : "started") : "new";
}
