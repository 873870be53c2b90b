// The work no request asks for: the daily digests and push reminders (checked every minute),
// every hour today's retention snapshots (with their 30-day forecast), the clean-up of recordings
// never attached to a role-play, of audit events past their 400 days and of answer links a month
// past their day, and each organization's weekly parameter training. Each piece is claimed in the database (digest_sends' key, an idempotent upsert, the
// deletes, the training's unique weekly claim), so any number of processes and servers may run it at the same time.
import type { Handle } from "~/db/connection.server";
import { deleteExpiredAuditEvents } from "~/features/audit/audit.server";
import { deleteOrphanRecordings } from "~/features/practice/recordings.server";
import { deliverQueuedPushes } from "~/features/push/queue.server";
import { deleteExpiredAnswerLinks } from "~/features/reinforcement/answer-links.server";
import { sendDueDigests } from "~/features/reinforcement/reminders.server";
import { refreshTodaysSnapshots } from "~/features/reinforcement/snapshots.server";
import { runDueTrainings } from "~/features/reinforcement/training.server";
import { log } from "~/shared/log.server";

export type ScheduledRun = {
  digestsSent: number;
  pushesSent: number;
  recordingsDeleted: number;
  auditEventsDeleted: number;
  answerLinksDeleted: number;
};

/**
 * The digests due at `now`, and what else is asked for: today's snapshots, the hourly clean-up
 * (unattached recordings, audit events older than 400 days, answer links a month past their expiry).
 */
export async function runScheduledWork(
  db: Handle,
  now: Date,
  { snapshots, orphans }: { snapshots: boolean; orphans: boolean },
): Promise<ScheduledRun> {
  const { sent } = await sendDueDigests(db, now);
  // The pushes the digests queued, and any whose retry is due (each claimed before it is sent).
  const pushes = await deliverQueuedPushes(db, now);
  if (snapshots) await refreshTodaysSnapshots(db, now);
  const { deleted } = orphans ? await deleteOrphanRecordings(db, now) : { deleted: 0 };
  const auditEventsDeleted = orphans ? await deleteExpiredAuditEvents(db, now) : 0;
  const answerLinksDeleted = orphans ? await deleteExpiredAnswerLinks(db, now) : 0;
  return {
    digestsSent: sent,
    pushesSent: pushes.sent,
    recordingsDeleted: deleted,
    auditEventsDeleted,
    answerLinksDeleted,
  };
}

let timer: NodeJS.Timeout | undefined;

/**
 * Runs the scheduled work every minute in this process (the production server's primary). A run
 * still going when the next minute comes is left to finish: that minute is skipped. A failed
 * run is logged, never left as an unhandled rejection.
 */
export function startScheduledWork(db: Handle, intervalMs = 60_000): void {
  if (timer) return;
  const HOUR = 60 * 60_000;
  // prepareServer has just written today's snapshots; the clean-up runs at once, so servers that
  // restart more often than hourly still do it.
  let lastSnapshots = Date.now();
  let lastCleanUp = 0;
  let running = false;
  let training = false;
  const run = async () => {
    const now = new Date();
    const snapshots = now.getTime() - lastSnapshots >= HOUR;
    const orphans = now.getTime() - lastCleanUp >= HOUR;
    const done = await runScheduledWork(db, now, { snapshots, orphans });
    if (snapshots) lastSnapshots = now.getTime();
    if (orphans) lastCleanUp = now.getTime();
    if (done.digestsSent) log.info({ sent: done.digestsSent }, "sent daily digests");
    if (done.pushesSent) log.info({ sent: done.pushesSent }, "sent push notifications");
    if (done.recordingsDeleted) log.info({ deleted: done.recordingsDeleted }, "deleted unattached recordings");
    if (done.auditEventsDeleted) log.info({ deleted: done.auditEventsDeleted }, "deleted audit events past retention");
    if (done.answerLinksDeleted) log.info({ deleted: done.answerLinksDeleted }, "deleted expired answer links");
  };
  // Trainings take up to a minute or so (their optimizer in a worker thread): they go on beside the
  // minute's digests rather than holding them up.
  const train = () => {
    if (training) return;
    training = true;
    void runDueTrainings(db, () => new Date())
      .then((ran) => ran && log.info({ ran }, "ran parameter trainings"))
      .catch((error: unknown) => log.error({ err: error }, "parameter trainings failed"))
      .finally(() => {
        training = false;
      });
  };
  const tick = () => {
    train();
    if (running) return;
    running = true;
    void run()
      .catch((error: unknown) => log.error({ err: error }, "scheduled work failed"))
      .finally(() => {
        running = false;
      });
  };
  timer = setInterval(tick, intervalMs);
  timer.unref();
  tick();
}
