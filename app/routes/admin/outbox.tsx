import { useLoaderData } from "react-router";
import { db } from "~/db/connection.server";
import type { Route } from "./+types/outbox";
import { requireUser } from "~/features/auth/require-user.server";
import { listOutbox } from "~/features/mail/mailer.server";
import { momentLabel } from "~/shared/date-formats";

export const meta: Route.MetaFunction = () => [{ title: "Outbox · Admin · Flywheel" }];

export async function loader(args: Route.LoaderArgs) {
  const admin = requireUser(args, "admin");
  return {
    messages: await listOutbox(db(), admin.orgId),
    smtp: Boolean(process.env.SMTP_URL),
    now: new Date(),
    timezone: admin.timezone,
  };
}

export default function Outbox() {
  const { messages, smtp, now, timezone } = useLoaderData<typeof loader>();
  return (
    <div>
      <p className="mb-4 text-slate-600">
        {smtp
          ? "Messages are sent through your mail server and kept here for reference."
          : "No mail server is configured (SMTP_URL), so messages wait here. Copy a link to pass it on."}
      </p>
      {messages.length === 0 ? <p className="card text-slate-600">Nothing has been sent yet.</p> : null}
      <ol className="flex flex-col gap-3">
        {messages.map((m) => (
          <li key={m.id} className="card">
            <article aria-label={`${m.subject} to ${m.to}`}>
              <header className="mb-2">
                <h2 className="font-semibold">{m.subject}</h2>
                <p className="text-sm text-slate-600">
                  To {m.to} ·{" "}
                  <time dateTime={new Date(m.createdAt).toISOString()}>
                    {momentLabel(new Date(m.createdAt), timezone, new Date(now))}
                  </time>
                  {m.sentAt ? " · sent" : " · not sent"}
                </p>
              </header>
              <pre className="whitespace-pre-wrap break-words font-sans text-sm text-slate-800">{m.text}</pre>
            </article>
          </li>
        ))}
      </ol>
    </div>
  );
}
