// What a fresh or restarted server does before it takes requests: migrate, load the demo
// organization into an empty database, sync the built-in lesson library, count stored answers
// into the item tallies when a database has none, and make push's keys.
import { DatabaseStartupError, db, duringStartup, migrateDatabase } from "~/db/connection.server";
import { LessonMediaOriginsError, lessonMediaOrigins } from "~/features/content/media-origins.server";
import { backfillTallies } from "~/features/content-insights/tallies.server";
import { syncLibrary } from "~/features/content/sync.server";
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemoOrganization } from "~/features/demo/seed.server";
import { organizationCount } from "~/features/people/organizations.server";
import { vapidKeys } from "~/features/push/vapid.server";
import { refreshTodaysSnapshots } from "~/features/reinforcement/snapshots.server";
import { appOrigin, AppOriginError } from "~/shared/app-origin.server";
import { log } from "~/shared/log.server";

export type Prepared = { seeded: boolean };

export function demoEnabled(): boolean {
  return process.env.FLYWHEEL_DEMO !== "0";
}

export async function prepareServer(): Promise<Prepared> {
  // A malformed APP_ORIGIN or LESSON_MEDIA_ORIGINS stops start-up with what to write instead, not
  // every mail or page later.
  appOrigin();
  lessonMediaOrigins();
  return duringStartup(async () => {
    await migrateDatabase();
    // The start-up entry point, like a route: it takes the shared handle itself and passes it on.
    const database = db();
    // The library first: the demo's learning history answers its questions.
    await syncLibrary(database);
    let seeded = false;
    if (demoEnabled() && (await organizationCount(database)) === 0 && (await seedDemoOrganization(database))) {
      seeded = true;
      log.info("loaded the demo organization");
    }
    // A database from before the item tallies (or the bench's generator) has answers and none.
    await backfillTallies(database);
    await refreshTodaysSnapshots(database, new Date());
    // Push's key pair is made at the first start (kept in the database for every later one).
    await vapidKeys(database);
    return { seeded };
  });
}

export function demoLoginsText(): string {
  if (!demoEnabled()) return "";
  const lines = DEMO_LOGINS.map((l) => `  ${l.email.padEnd(22)} ${l.role}`);
  return [`Demo logins (password: ${DEMO_PASSWORD}):`, ...lines].join("\n");
}

/** What stopped start-up, for the one line server.mjs prints. */
export function startupProblem(error: unknown): string {
  if (
    error instanceof DatabaseStartupError ||
    error instanceof AppOriginError ||
    error instanceof LessonMediaOriginsError
  )
    return error.message;
  log.error({ err: error }, "start-up failed");
  return error instanceof Error ? error.message.split("\n")[0]! : String(error);
}
