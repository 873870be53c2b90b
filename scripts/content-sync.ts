// npm run content:sync — loads the lesson library into the database (npm start does it too).
import { closeDatabase, db, migrateDatabase } from "~/db/connection.server";
import { syncLibrary } from "~/features/content/sync.server";

await migrateDatabase();
const report = await syncLibrary(db());
console.log(
  `compiled ${report.compiled}, unchanged ${report.unchanged}, archived ${report.archived}, skipped ${report.skipped}`,
);
await closeDatabase();
