// Which pages a rep's phone keeps for reading offline (decision 035): Today, the day's boost, the
// lessons of their open assignments and the lessons they started most recently. The service
// worker (public/sw.js) asks for them after each full page load, marked as copies for later.
import { and, desc, eq, isNull } from "drizzle-orm";
import type { Handle } from "~/db/connection.server";
import { lessonProgress, lessons, modules } from "~/db/schema";
import { mayEnter } from "~/features/auth/access";
import type { SessionUser } from "~/features/auth/sessions.server";
import { listModules } from "~/features/content/catalog.server";
import { assignmentsForRep } from "~/features/coaching/assignments.server";

/** The header the service worker sends when it saves a page for later rather than showing it. */
export const OFFLINE_COPY_HEADER = "X-Flywheel-Offline";

/** A copy saved for offline reading: the rep has not opened the page, so no visit is recorded. */
export function isOfflineCopy(request: Request): boolean {
  return request.headers.get(OFFLINE_COPY_HEADER) === "keep";
}

/** Lessons started, newest first: a phone keeps the few a rep is likely to go back to. */
export const STARTED_LESSONS_KEPT = 20;
/** Every page kept (each costs a request when the list is saved, and room on the phone). */
export const PAGES_KEPT = 60;

export async function offlinePages(db: Handle, user: SessionUser, now: Date): Promise<string[]> {
  if (!mayEnter(user.roles, "today")) return [];
  const [assigned, started] = await Promise.all([assignmentsForRep(db, user, now), startedLessons(db, user)]);
  const pages = new Set(["/today"]);
  if (mayEnter(user.roles, "practice")) pages.add("/boost");
  for (const assignment of assigned) {
    if (assignment.status === "completed") continue;
    // A lesson or role-play (its link points into the lesson), or a whole module.
    const path = assignment.link.split("#")[0]!;
    pages.add(path);
    const moduleSlug = /^\/learn\/([a-z0-9-]+)$/.exec(path)?.[1];
    if (!moduleSlug) continue;
    const [module] = await listModules(db, user, { moduleSlug });
    for (const lesson of module?.lessons ?? []) pages.add(`/learn/${moduleSlug}/${lesson.slug}`);
  }
  for (const lesson of started) pages.add(`/learn/${lesson.moduleSlug}/${lesson.slug}`);
  return [...pages].slice(0, PAGES_KEPT);
}

function startedLessons(db: Handle, user: Pick<SessionUser, "id" | "orgId">) {
  return db
    .select({ moduleSlug: modules.slug, slug: lessons.slug })
    .from(lessonProgress)
    .innerJoin(lessons, eq(lessons.id, lessonProgress.lessonId))
    .innerJoin(modules, eq(modules.id, lessons.moduleId))
    .where(
      and(
        eq(lessonProgress.orgId, user.orgId),
        eq(lessonProgress.userId, user.id),
        isNull(lessons.archivedAt),
        isNull(modules.archivedAt),
      ),
    )
    .orderBy(desc(lessonProgress.lastSeenAt))
    .limit(STARTED_LESSONS_KEPT);
}
