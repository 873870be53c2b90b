// What a rep is told about their role-plays: the notice on Today and the mail when a manager
// reviews one, and the notices they have not read yet.
import { and, desc, eq, isNull } from "drizzle-orm";
import type { Handle, Transaction } from "~/db/connection.server";
import { newId } from "~/db/ids";
import { notifications } from "~/db/schema";
import type { SessionUser } from "~/features/auth/sessions.server";
import { queueMail } from "~/features/mail/mailer.server";
import { queueRepPush, sendAfterCommit } from "~/features/push/queue.server";
import { reviewMailWanted } from "~/features/push/preferences.server";
import { appUrl } from "~/shared/app-origin.server";

/** Where the rep reads a submission: the review's notice links here and is read once it opens. */
export const submissionLink = (submissionId: string) => `/practice/submissions/${submissionId}`;

/** A title in quotation marks, unless the trainer already wrote it as a quotation. */
const quoted = (title: string) => (/^[“"]/.test(title) ? title : `“${title}”`);

/** Tells the rep a manager reviewed their role-play: a notice on Today and a mail. */
export async function tellRepOfReview(
  tx: Transaction,
  review: {
    manager: Pick<SessionUser, "orgId" | "name">;
    rep: { id: string; email: string; name: string };
    submissionId: string;
    title: string;
    score: number;
    comment: string;
  },
  now: Date,
): Promise<void> {
  const { manager, rep, title, score, comment } = review;
  const link = submissionLink(review.submissionId);
  await tx.insert(notifications).values({
    id: newId(),
    orgId: manager.orgId,
    userId: rep.id,
    title: `${manager.name} reviewed your role-play ${quoted(title)}: ${Math.round(score)}/100`,
    link,
    createdAt: now,
  });
  // A push to the rep's devices (decision 036): what happened and where to look, never the score.
  const pushes = await queueRepPush(
    tx,
    {
      orgId: manager.orgId,
      userId: rep.id,
      kind: "review",
      title: "Your role-play was reviewed",
      body: `${manager.name} reviewed ${quoted(title)}.`,
      url: link,
    },
    now,
  );
  await sendAfterCommit(tx, pushes, now);
  if (!(await reviewMailWanted(tx, rep.id))) return;
  // Written in the transaction; sent once it commits.
  await queueMail(tx, {
    orgId: manager.orgId,
    to: rep.email,
    subject: `Your role-play was reviewed: ${Math.round(score)}/100`,
    text: [
      `Hi ${rep.name.split(" ")[0]},`,
      "",
      `${manager.name} reviewed your role-play ${quoted(title)}.`,
      "",
      comment ? `“${comment}”` : "",
      "",
      `See the scores and comments: ${appUrl(link)}`,
    ].join("\n"),
  });
}

/** Marks read the notices that link to a submission, now that the rep has opened it. */
export async function markSubmissionNoticesRead(db: Handle, userId: string, submissionId: string): Promise<void> {
  await db
    .update(notifications)
    .set({ readAt: new Date() })
    .where(
      and(
        eq(notifications.userId, userId),
        eq(notifications.link, submissionLink(submissionId)),
        isNull(notifications.readAt),
      ),
    );
}

export async function unreadNotifications(db: Handle, userId: string) {
  return db
    .select({
      id: notifications.id,
      title: notifications.title,
      link: notifications.link,
      createdAt: notifications.createdAt,
    })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
    .orderBy(desc(notifications.createdAt))
    .limit(5);
}
