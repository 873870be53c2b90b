// Create forms carried out once: the same form sent twice (a double click, a resent POST after a
// dropped connection) creates one thing. Quiz answers do the same with attempts.submission_id.
import { and, eq } from "drizzle-orm";
import { first, transaction, type Handle, type Transaction } from "~/db/connection.server";
import { formSubmissions } from "~/db/schema";

export type FormSender = { id: string; orgId: string };

/**
 * Runs `create` once per sender and form key (`submissionField`, rendered fresh by the page).
 * In one transaction: a key seen before returns what it created then, and nothing is written;
 * otherwise `create` runs and the key is stored with its result. The (user, key) primary key
 * refuses a concurrent second send; on PostgreSQL that transaction retries and finds the first.
 */
export async function submitOnce(
  db: Handle,
  sender: FormSender,
  key: string,
  now: Date,
  create: (tx: Transaction) => Promise<string>,
): Promise<{ id: string; repeated: boolean }> {
  return transaction(db, async (tx) => {
    const earlier = await first(
      tx
        .select({ resultId: formSubmissions.resultId })
        .from(formSubmissions)
        .where(and(eq(formSubmissions.userId, sender.id), eq(formSubmissions.key, key)))
        .limit(1),
    );
    if (earlier) return { id: earlier.resultId, repeated: true };
    const id = await create(tx);
    await tx
      .insert(formSubmissions)
      .values({ userId: sender.id, key, orgId: sender.orgId, resultId: id, createdAt: now });
    return { id, repeated: false };
  });
}
