// npm run scheduled -- [--now 2026-12-02T13:30:00Z]
// Runs the scheduled work once: the daily digests that are due, today's retention snapshots, the
// clean-up of recordings never attached to a role-play and of audit events older than 400 days, and the parameter trainings that are due
// (each organization's weekly one, and requests left behind). The server's own scheduler does the
// same (digests and trainings every minute, the rest hourly); this is for cron-driven deployments
// and for tests. Each piece is claimed in the database, so running it on several machines is safe.
import { parseArgs } from "node:util";
import { closeDatabase, db } from "~/db/connection.server";
import { runScheduledWork } from "~/features/ops/scheduled-work.server";
import { runDueTrainings } from "~/features/reinforcement/training.server";

const { values } = parseArgs({ options: { now: { type: "string" } } });
const now = values.now ? new Date(values.now) : new Date();
if (Number.isNaN(now.getTime())) {
  console.error(`--now must be a date and time, e.g. 2026-12-02T13:30:00Z (got "${values.now}")`);
  process.exit(2);
}
const done = await runScheduledWork(db(), now, { snapshots: true, orphans: true });
// A training takes time; with --now its rows still say the moment the run was asked for.
const trainings = await runDueTrainings(db(), values.now ? () => now : () => new Date());
console.log(JSON.stringify({ ...done, trainings }));
await closeDatabase();
