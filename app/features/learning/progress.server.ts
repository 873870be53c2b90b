// A rep's progress through lessons: started on first open; each reading session logged once.
import { and, eq } from "drizzle-orm";
import { db } from "~/db/connection.server";
import { lessonProgress } from "~/db/schema";
import { recordStatement } from "~/features/activity/statements.server";
import type { SessionUser } from "~/features/auth/sessions.server";

/** Reopening within this window is the same reading session: no new statement, no write. */
export const READING_SESSION_MS = 30 * 60 * 1000;

/** Records the visit and says where the rep stands with the lesson. */
export function recordLessonOpened(
  user: Pick<SessionUser, "id" | "orgId" | "timezone">,
  lesson: { id: string; title: string; versionId: string },
  now = new Date(),
): "started" | "completed" {
  const existing = db()
    .select({ lastSeenAt: lessonProgress.lastSeenAt, completedAt: lessonProgress.completedAt })
    .from(lessonProgress)
    .where(and(eq(lessonProgress.userId, user.id), eq(lessonProgress.lessonId, lesson.id)))
    .get();
  // Most lesson views are re-reads within a session: they cost one indexed read and no write.
  const status = existing?.completedAt ? "completed" : "started";
  if (existing && now.getTime() - existing.lastSeenAt.getTime() < READING_SESSION_MS) return status;
  db().transaction((tx) => {
    tx.insert(lessonProgress)
      .values({ orgId: user.orgId, userId: user.id, lessonId: lesson.id, startedVersionId: lesson.versionId, startedAt: now, lastSeenAt: now })
      .onConflictDoUpdate({ target: [lessonProgress.userId, lessonProgress.lessonId], set: { lastSeenAt: now } })
      .run();
    recordStatement(
      tx,
      { orgId: user.orgId, timezone: user.timezone, actorId: user.id, verb: "opened", object: { type: "lesson", id: lesson.id, name: lesson.title }, context: { version: lesson.versionId }, timestamp: now },
      { lessonsOpened: existing ? 0 : 1 },
    );
  });
  return status;
}
