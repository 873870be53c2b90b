// npm run db:migrate — applies the migrations of the configured engine (DATABASE_URL, else the
// SQLite file at DATABASE_PATH) and exits; a failure prints one line saying what to fix.
import { closeDatabase, migrateDatabase } from "~/db/connection.server";

try {
  await migrateDatabase();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
} finally {
  await closeDatabase().catch(() => {});
}
