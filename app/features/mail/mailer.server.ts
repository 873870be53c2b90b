// Every message is written to the outbox first; with SMTP_URL set it is then handed to the
// SMTP server, once the outbox row is committed. Without SMTP, admins read the outbox at /admin/outbox.
import { desc, eq } from "drizzle-orm";
import nodemailer, { type Transporter } from "nodemailer";
// `db` only for markSent: it runs after the caller's transaction has ended, so that handle is gone.
import { afterCommit, db as sharedDatabase, type Handle } from "~/db/connection.server";
import { newId } from "~/db/ids";
import { outbox } from "~/db/schema";
import { log } from "~/shared/log.server";

/** A message: always a plain-text part; `html` too when it has one (html.ts builds it). */
export type Mail = { orgId: string | null; to: string; subject: string; text: string; html?: string };

let transport: Transporter | null | undefined;
function smtp(): Transporter | null {
  if (transport === undefined)
    transport = process.env.SMTP_URL ? nodemailer.createTransport(process.env.SMTP_URL) : null;
  return transport;
}

/**
 * Writes the message to the outbox on `db` (inside a transaction, pass the transaction) and,
 * with SMTP configured, hands it to the SMTP server after the commit: never while a
 * transaction is open, and not at all when it rolls back. The request does not wait for SMTP.
 */
export async function queueMail(db: Handle, mail: Mail): Promise<string> {
  const [id] = await queueMails(db, [mail]);
  return id!;
}

// Seven values a row: well under every engine's parameter limit for one insert.
const MAILS_PER_INSERT = 1_000;

/** queueMail for many messages (a people import's invitations), written in a few inserts. */
export async function queueMails(db: Handle, mails: readonly Mail[]): Promise<string[]> {
  const rows = mails.map((mail) => ({
    id: newId(),
    orgId: mail.orgId,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html ?? null,
  }));
  for (let i = 0; i < rows.length; i += MAILS_PER_INSERT)
    await db.insert(outbox).values(rows.slice(i, i + MAILS_PER_INSERT));
  const transporter = smtp();
  if (transporter) {
    await afterCommit(db, () => {
      for (const { id, to, subject, text, html } of rows)
        transporter
          .sendMail({
            from: process.env.MAIL_FROM ?? "Flywheel <no-reply@localhost>",
            to,
            subject,
            text,
            ...(html ? { html } : {}),
          })
          .then(() => markSent(id))
          .catch((error: unknown) =>
            log.error({ err: error, outboxId: id }, "smtp send failed; the message stays in the outbox"),
          );
    });
  }
  return rows.map((r) => r.id);
}

async function markSent(id: string): Promise<void> {
  await sharedDatabase().update(outbox).set({ sentAt: new Date() }).where(eq(outbox.id, id));
}

export async function listOutbox(db: Handle, orgId: string, limit = 100) {
  return db
    .select({
      id: outbox.id,
      to: outbox.to,
      subject: outbox.subject,
      text: outbox.text,
      createdAt: outbox.createdAt,
      sentAt: outbox.sentAt,
    })
    .from(outbox)
    .where(eq(outbox.orgId, orgId))
    .orderBy(desc(outbox.createdAt))
    .limit(limit);
}
