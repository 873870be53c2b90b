// Applies the migrations of the configured engine (DATABASE_URL or DATABASE_PATH) and exits.
import { closeDatabase, migrateDatabase } from "~/db/connection.server";

await migrateDatabase();
await closeDatabase();
