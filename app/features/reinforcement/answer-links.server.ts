// One-tap answers from the digest (docs/decisions/030-one-tap-answers-from-the-digest.md). The
// digest carries the first question of the rep's boost with one link per choice; every link of
// that digest holds the same token, 160 random bits of which only the SHA-256 is stored, bound to
// the rep, the boost, the card and the organization's day. Opening a link records nothing; the
// answer's transaction claims the link (used_at) and answers through answerBoostCard, like /boost.
import { and, eq, gt, isNull, lt } from "drizzle-orm";
import { changedRows, first, transaction, type Handle } from "~/db/connection.server";
import { answerLinks, boosts, organizations, reminderPreferences, users } from "~/db/schema";
import type { SessionUser } from "~/features/auth/sessions.server";
import { hashLinkToken, newLinkToken } from "~/features/auth/tokens.server";
import { Refusal } from "~/features/refusal";
import { dayLabel } from "~/shared/date-formats";
import { addDays, DAY_MS, dayIn, instantIn } from "~/shared/days";
import { boostCard, type BoostCard } from "./boost.server";

export async function answerLinksEnabled(db: Handle, user: Pick<SessionUser, "id" | "orgId">): Promise<boolean> {
  const preference = await first(
    db
      .select({ answerLinks: reminderPreferences.answerLinks })
      .from(reminderPreferences)
      .where(and(eq(reminderPreferences.userId, user.id), eq(reminderPreferences.orgId, user.orgId)))
      .limit(1),
  );
  return preference?.answerLinks ?? true;
}

/**
 * Turning the links off also stops those already sent: they expire now, so switching back on
 * does not revive a digest that may have been forwarded or leaked meanwhile.
 */
export async function setAnswerLinksEnabled(
  db: Handle,
  user: Pick<SessionUser, "id" | "orgId">,
  enabled: boolean,
  now: Date,
): Promise<void> {
  await transaction(db, async (tx) => {
    await tx
      .insert(reminderPreferences)
      .values({ userId: user.id, orgId: user.orgId, answerLinks: enabled })
      .onConflictDoUpdate({ target: reminderPreferences.userId, set: { answerLinks: enabled } });
    if (!enabled)
      await tx
        .update(answerLinks)
        .set({ expiresAt: now })
        .where(
          and(
            eq(answerLinks.userId, user.id),
            eq(answerLinks.orgId, user.orgId),
            isNull(answerLinks.usedAt),
            gt(answerLinks.expiresAt, now),
          ),
        );
  });
}

/**
 * A new link token for one card of one boost (inside the digest's transaction: pass it). It
 * expires when the organization's next day begins, on its clock.
 */
export async function createAnswerLink(
  db: Handle,
  link: { orgId: string; userId: string; boostId: string; cardId: string; day: string; timezone: string },
): Promise<string> {
  const { token, hash } = newLinkToken();
  await db.insert(answerLinks).values({
    tokenHash: hash,
    orgId: link.orgId,
    userId: link.userId,
    boostId: link.boostId,
    cardId: link.cardId,
    day: link.day,
    expiresAt: instantIn(link.timezone, addDays(link.day, 1), 0),
  });
  return token;
}

/** The path a choice's link opens (the origin is added by appUrl, never taken from a request). */
export function answerLinkPath(token: string, choiceId: string): string {
  return `/answer/${token}?choice=${encodeURIComponent(choiceId)}`;
}

export type UsableAnswerLink = {
  tokenHash: string;
  boostId: string;
  cardId: string;
  rep: Pick<SessionUser, "id" | "orgId" | "timezone">;
};

const TOKEN = /^[a-z0-9]{16,64}$/;
const NOT_VALID = "This answer link is not valid. Open the newest digest, or sign in and start your boost.";

/**
 * The link a token names, if it may still answer at `now`; otherwise a Refusal saying why, for the
 * rep to read: unknown (or altered), used, expired, turned off, or its question already answered.
 */
export async function usableAnswerLink(db: Handle, token: string, now: Date): Promise<UsableAnswerLink> {
  if (!TOKEN.test(token)) throw new Refusal(NOT_VALID, 404);
  const link = await first(
    db
      .select({
        tokenHash: answerLinks.tokenHash,
        orgId: answerLinks.orgId,
        userId: answerLinks.userId,
        boostId: answerLinks.boostId,
        cardId: answerLinks.cardId,
        day: answerLinks.day,
        expiresAt: answerLinks.expiresAt,
        usedAt: answerLinks.usedAt,
        active: users.active,
        timezone: organizations.timezone,
      })
      .from(answerLinks)
      .innerJoin(users, and(eq(users.id, answerLinks.userId), eq(users.orgId, answerLinks.orgId)))
      .innerJoin(organizations, eq(organizations.id, answerLinks.orgId))
      .where(eq(answerLinks.tokenHash, hashLinkToken(token)))
      .limit(1),
  );
  if (!link || !link.active) throw new Refusal(NOT_VALID, 404);
  if (link.usedAt)
    throw new Refusal(
      "This link has already been used: your answer was recorded once. Sign in to go on with your boost.",
      409,
    );
  const rep = { id: link.userId, orgId: link.orgId, timezone: link.timezone };
  if (!(await answerLinksEnabled(db, rep)))
    throw new Refusal("Answer links are turned off for your account. Sign in to answer your boost.", 403);
  if (now.getTime() >= link.expiresAt.getTime())
    throw new Refusal(
      `This link was for your boost of ${dayLabel(link.day, dayIn(link.timezone, now))} and has expired. Sign in for today's boost.`,
      410,
    );
  const boost = await first(
    db
      .select({ answered: boosts.answered, cardIds: boosts.cardIds })
      .from(boosts)
      .where(and(eq(boosts.id, link.boostId), eq(boosts.userId, rep.id), eq(boosts.orgId, rep.orgId)))
      .limit(1),
  );
  if (!boost || !boost.cardIds.includes(link.cardId)) throw new Refusal(NOT_VALID, 404);
  if (boost.answered.includes(link.cardId))
    throw new Refusal("You have already answered this question in your boost. Sign in to go on with it.", 409);
  return { tokenHash: link.tokenHash, boostId: link.boostId, cardId: link.cardId, rep };
}

/** The question a usable link answers, without its answer key. */
export async function answerLinkQuestion(db: Handle, link: UsableAnswerLink): Promise<BoostCard> {
  const card = await boostCard(db, link.rep.id, link.cardId);
  if (!card)
    throw new Refusal("That question has been retired from its lesson. Sign in to go on with your boost.", 410);
  return card;
}

/**
 * Marks the link used, inside the answer's transaction: of two submissions at once, only one
 * finds it unused (on PostgreSQL the other waits for the row, then finds it used or retries).
 */
export async function claimAnswerLink(db: Handle, link: UsableAnswerLink, now: Date): Promise<boolean> {
  const claimed = await first(
    db
      .update(answerLinks)
      .set({ usedAt: now })
      .where(
        and(
          eq(answerLinks.tokenHash, link.tokenHash),
          eq(answerLinks.orgId, link.rep.orgId),
          isNull(answerLinks.usedAt),
        ),
      )
      .returning({ tokenHash: answerLinks.tokenHash }),
  );
  return !!claimed;
}

/** How long a link is kept after it expires: opened in that time it says it expired, later only that it is not valid. */
export const ANSWER_LINKS_KEPT_DAYS = 30;

/**
 * Deletes the links that expired more than ANSWER_LINKS_KEPT_DAYS before `now`, used or not, every
 * organization's. Returns how many went. Idempotent, so any number of schedulers may run it.
 */
export async function deleteExpiredAnswerLinks(db: Handle, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - ANSWER_LINKS_KEPT_DAYS * DAY_MS);
  return changedRows(await db.delete(answerLinks).where(lt(answerLinks.expiresAt, cutoff)));
}
