// npm run scheduled -- [--now 2026-12-02T13:30:00Z]
// Runs the scheduled work once: the daily digests that are due and today's retention snapshots.
// The server's own scheduler does the same every minute; this is for cron-driven deployments
// and for tests. Both are claimed in the database, so running it on several machines is safe.
import { parseArgs } from "node:util";
import { closeDatabase, db } from "~/db/connection.server";
import { sendDueDigests } from "~/features/reinforcement/reminders.server";
import { refreshTodaysSnapshots } from "~/features/reinforcement/snapshots.server";

const { values } = parseArgs({ options: { now: { type: "string" } } });
const now = values.now ? new Date(values.now) : new Date();
if (Number.isNaN(now.getTime())) {
  console.error(`--now must be a date and time, e.g. 2026-12-02T13:30:00Z (got "${values.now}")`);
  process.exit(2);
}
const digests = await sendDueDigests(db(), now);
await refreshTodaysSnapshots(db(), now);
console.log(JSON.stringify({ digestsSent: digests.sent }));
await closeDatabase();
