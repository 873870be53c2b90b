// A manager's nudge: a short message to one of their reps, by e-mail through the outbox, from the
// rep's page in Insights. At most one per rep in any 24 hours, whoever sends it (decision 026): a
// rep with two managers, or a manager who clicks twice on two tabs, gets one e-mail a day.
import { and, desc, eq, gt } from "drizzle-orm";
import { first, transaction, type Handle } from "~/db/connection.server";
import { newId } from "~/db/ids";
import { nudges, users } from "~/db/schema";
import type { SessionUser } from "~/features/auth/sessions.server";
import { queueMail } from "~/features/mail/mailer.server";
import { repsManagedBy } from "~/features/people/teams.server";
import { Refusal } from "~/features/refusal";
import { appUrl } from "~/shared/app-origin.server";
import { DAY_MS } from "~/shared/days";
import { momentLabel } from "~/shared/date-formats";

export const NUDGE_EVERY_MS = DAY_MS;
export const MAX_NUDGE_CHARS = 1000;

type Sender = Pick<SessionUser, "id" | "orgId" | "name" | "timezone">;

/** The rep, if they are an active member of one of the manager's teams; anything else is "not found". */
export async function managedRep(db: Handle, manager: Pick<SessionUser, "id" | "orgId">, repId: string) {
  if (!(await repsManagedBy(db, manager.orgId, manager.id)).includes(repId))
    throw new Refusal("That rep is not in your teams.", 404);
  const rep = await first(
    db
      .select({ id: users.id, name: users.name, email: users.email, active: users.active })
      .from(users)
      .where(and(eq(users.id, repId), eq(users.orgId, manager.orgId)))
      .limit(1),
  );
  if (!rep?.active) throw new Refusal("That rep is not in your teams.", 404);
  return rep;
}

/** The latest nudge to a rep in the organization, from anyone: when, and who sent it. */
export async function lastNudge(
  db: Handle,
  orgId: string,
  repId: string,
): Promise<{ at: Date; by: string; byId: string } | null> {
  const row = await first(
    db
      .select({ at: nudges.createdAt, by: users.name, byId: users.id })
      .from(nudges)
      .innerJoin(users, eq(users.id, nudges.sentBy))
      .where(and(eq(nudges.userId, repId), eq(nudges.orgId, orgId)))
      .orderBy(desc(nudges.createdAt))
      .limit(1),
  );
  return row ?? null;
}

/**
 * Sends the rep the manager's message (the nudge row and the outbox mail in one transaction).
 * Refused with 429 and when it may be sent again if the rep was nudged in the last 24 hours.
 * Returns the nudge's id (for submitOnce).
 */
export async function nudgeRep(db: Handle, manager: Sender, repId: string, message: string, now: Date) {
  const rep = await managedRep(db, manager, repId);
  const text = message.trim();
  if (!text) throw new Refusal("Write the message to send.", 400, "message");
  if (text.length > MAX_NUDGE_CHARS)
    throw new Refusal(`Keep the message under ${MAX_NUDGE_CHARS} characters.`, 400, "message");
  return transaction(db, async (tx) => {
    const recent = await first(
      tx
        .select({ at: nudges.createdAt })
        .from(nudges)
        .where(and(eq(nudges.userId, rep.id), gt(nudges.createdAt, new Date(now.getTime() - NUDGE_EVERY_MS))))
        .orderBy(desc(nudges.createdAt))
        .limit(1),
    );
    if (recent) {
      const again = new Date(recent.at.getTime() + NUDGE_EVERY_MS);
      throw new Refusal(
        `${rep.name} was nudged less than a day ago; one a day is enough. You can nudge again from ${momentLabel(again, manager.timezone, now)}.`,
        429,
        "message",
      );
    }
    const id = newId();
    await tx
      .insert(nudges)
      .values({ id, orgId: manager.orgId, userId: rep.id, sentBy: manager.id, message: text, createdAt: now });
    await queueMail(tx, {
      orgId: manager.orgId,
      to: rep.email,
      subject: `A note from ${manager.name}`,
      text: [
        `Hi ${rep.name.split(" ")[0]},`,
        "",
        text,
        "",
        `${manager.name}`,
        "",
        `Open Flywheel: ${appUrl("/today")}`,
      ].join("\n"),
    });
    return id;
  });
}
