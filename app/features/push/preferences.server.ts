// Which reminders reach a rep by which channel, for the form on /account/reminders: the daily
// boost, an assignment due tomorrow and a role-play reviewed, each by e-mail and by push. A rep
// without a preference row has the defaults: e-mail on, push on for every kind but reaching no
// one until the rep subscribes a device (push is off until asked).
import { eq } from "drizzle-orm";
import { first, type Handle } from "~/db/connection.server";
import { reminderPreferences } from "~/db/schema";
import type { SessionUser } from "~/features/auth/sessions.server";

export type ReminderChannels = {
  /** The daily digest e-mail (the boost and assignments due soon). */
  digest: boolean;
  /** On a day the boost reminder went by push, the digest e-mail comes too. */
  digestWithPush: boolean;
  pushBoost: boolean;
  pushAssignments: boolean;
  pushReviews: boolean;
  reviewMail: boolean;
};

export const DEFAULT_CHANNELS: ReminderChannels = {
  digest: true,
  digestWithPush: false,
  pushBoost: true,
  pushAssignments: true,
  pushReviews: true,
  reviewMail: true,
};

export async function reminderChannels(db: Handle, userId: string): Promise<ReminderChannels> {
  const found = await first(
    db
      .select({
        digest: reminderPreferences.digest,
        digestWithPush: reminderPreferences.digestWithPush,
        pushBoost: reminderPreferences.pushBoost,
        pushAssignments: reminderPreferences.pushAssignments,
        pushReviews: reminderPreferences.pushReviews,
        reviewMail: reminderPreferences.reviewMail,
      })
      .from(reminderPreferences)
      .where(eq(reminderPreferences.userId, userId))
      .limit(1),
  );
  return found ?? DEFAULT_CHANNELS;
}

export async function setReminderChannels(
  db: Handle,
  user: Pick<SessionUser, "id" | "orgId">,
  channels: ReminderChannels,
): Promise<void> {
  await db
    .insert(reminderPreferences)
    .values({ userId: user.id, orgId: user.orgId, ...channels })
    .onConflictDoUpdate({ target: reminderPreferences.userId, set: channels });
}

/** Whether a manager's review of the rep's role-play is also sent by e-mail. */
export async function reviewMailWanted(db: Handle, userId: string): Promise<boolean> {
  return (await reminderChannels(db, userId)).reviewMail;
}
