// npm run content:sync — loads the lesson library into the database (npm start does it too).
import { migrateDatabase } from "~/db/connection.server";
import { syncLibrary } from "~/features/content/sync.server";

migrateDatabase();
const report = await syncLibrary();
console.log(`compiled ${report.compiled}, unchanged ${report.unchanged}, archived ${report.archived}, skipped ${report.skipped}`);
