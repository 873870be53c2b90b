// Every message is written to the outbox first; with SMTP_URL set it is then handed to the
// SMTP server. Without SMTP, admins read the outbox at /admin/outbox.
import { and, desc, eq } from "drizzle-orm";
import nodemailer, { type Transporter } from "nodemailer";
import { db } from "~/db/connection.server";
import { newId } from "~/db/ids";
import { outbox } from "~/db/schema";
import { log } from "~/features/ops/log.server";

export type Mail = { orgId: string | null; to: string; subject: string; text: string };

let transport: Transporter | null | undefined;
function smtp(): Transporter | null {
  if (transport === undefined) transport = process.env.SMTP_URL ? nodemailer.createTransport(process.env.SMTP_URL) : null;
  return transport;
}

export function queueMail(mail: Mail): string {
  const id = newId();
  db().insert(outbox).values({ id, orgId: mail.orgId, to: mail.to, subject: mail.subject, text: mail.text }).run();
  const transporter = smtp();
  if (transporter) {
    transporter
      .sendMail({ from: process.env.MAIL_FROM ?? "Flywheel <no-reply@localhost>", to: mail.to, subject: mail.subject, text: mail.text })
      .then(() => db().update(outbox).set({ sentAt: new Date() }).where(eq(outbox.id, id)).run())
      .catch((error: unknown) => log.error({ err: error, outboxId: id }, "smtp send failed; the message stays in the outbox"));
  }
  return id;
}

export function listOutbox(orgId: string, limit = 100) {
  return db()
    .select({ id: outbox.id, to: outbox.to, subject: outbox.subject, text: outbox.text, createdAt: outbox.createdAt, sentAt: outbox.sentAt })
    .from(outbox)
    .where(eq(outbox.orgId, orgId))
    .orderBy(desc(outbox.createdAt))
    .limit(limit)
    .all();
}


export function appUrl(request: Request, path: string): string {
  return new URL(path, process.env.APP_ORIGIN ?? new URL(request.url).origin).toString();
}
