import { Form, Link, useLoaderData } from "react-router";
import { db } from "~/db/connection.server";
import type { Route } from "./+types/audit";
import type { AuditSource } from "~/db/model";
import { AUDIT_ACTIONS } from "~/features/audit/actions";
import { auditPage, detailsText, parseAuditFilter } from "~/features/audit/audit.server";
import { requireUser } from "~/features/auth/require-user.server";
import { momentLabel } from "~/shared/date-formats";

export const meta: Route.MetaFunction = () => [{ title: "Audit trail · Admin · Flywheel" }];

export async function loader(args: Route.LoaderArgs) {
  const admin = requireUser(args, "admin");
  const now = new Date();
  const url = new URL(args.request.url);
  const { filter, page } = parseAuditFilter(url);
  const { events, hasNext } = await auditPage(db(), admin.orgId, filter, admin.timezone, page);
  const query = (p: number) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(filter)) if (value) params.set(key, value);
    if (p > 1) params.set("page", String(p));
    return params.toString();
  };
  return {
    filter,
    page,
    events: events.map((e) => ({
      id: e.id,
      at: e.at.toISOString(),
      when: momentLabel(e.at, admin.timezone, now),
      actor: e.actor,
      action: e.actionLabel,
      subject: e.subject,
      details: detailsText(e.details),
      source: e.source,
    })),
    previous: page > 1 ? `?${query(page - 1)}` : null,
    next: hasNext ? `?${query(page + 1)}` : null,
    exportHref: `/admin/audit/export.csv?${query(1)}`,
  };
}

/** Where an event was made, as the filter offers it. */
const SOURCE_LABELS: Record<AuditSource, string> = {
  "admin page": "The admin pages",
  import: "A people import",
  scim: "SCIM (the identity provider)",
  sso: "Single sign-on",
};

/** Who changed people, teams and settings, newest first; filtered by a plain GET form. */
export default function AuditTrail() {
  const { filter, page, events, previous, next, exportHref } = useLoaderData<typeof loader>();
  return (
    <div>
      <section className="card mb-6" aria-labelledby="audit-filter-heading">
        <h2 id="audit-filter-heading" className="mb-3 text-lg font-semibold">
          Audit trail
        </h2>
        <Form method="get" className="grid gap-3 sm:grid-cols-2 lg:grid-cols-5">
          <div>
            <label htmlFor="audit-action" className="label">
              What
            </label>
            <select id="audit-action" name="action" className="field" defaultValue={filter.action ?? ""}>
              <option value="">Everything</option>
              {Object.entries(AUDIT_ACTIONS).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="audit-person" className="label">
              Person (e-mail)
            </label>
            <input
              id="audit-person"
              name="person"
              type="email"
              className="field"
              defaultValue={filter.person ?? ""}
              autoComplete="off"
            />
          </div>
          <div>
            <label htmlFor="audit-source" className="label">
              Made through
            </label>
            <select id="audit-source" name="source" className="field" defaultValue={filter.source ?? ""}>
              <option value="">Anywhere</option>
              {Object.entries(SOURCE_LABELS).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="audit-from" className="label">
              From
            </label>
            <input id="audit-from" name="from" type="date" className="field" defaultValue={filter.from ?? ""} />
          </div>
          <div>
            <label htmlFor="audit-to" className="label">
              To
            </label>
            <input id="audit-to" name="to" type="date" className="field" defaultValue={filter.to ?? ""} />
          </div>
          <div className="flex flex-wrap items-center gap-3 sm:col-span-2 lg:col-span-5">
            <button type="submit" className="btn">
              Show
            </button>
            <Link to="/admin/audit" className="underline">
              Clear
            </Link>
            <a href={exportHref} download className="underline">
              Download as CSV
            </a>
          </div>
        </Form>
        <p className="mt-3 text-sm text-slate-600">Events are kept for 400 days.</p>
      </section>
      <section className="card" aria-labelledby="audit-events-heading">
        <h2 id="audit-events-heading" className="sr-only">
          Events
        </h2>
        {events.length === 0 ? (
          <p className="text-slate-700">{page > 1 ? "No more events." : "No events match."}</p>
        ) : (
          <ol className="divide-y divide-slate-100">
            {events.map((e) => (
              <li key={e.id} className="py-3">
                <p className="text-sm text-slate-600">
                  <time dateTime={e.at}>{e.when}</time> · {e.source}
                </p>
                <p className="break-words">
                  <strong>{e.action}</strong>: {e.subject}
                </p>
                <p className="break-words text-sm text-slate-700">
                  by {e.actor}
                  {e.details ? ` · ${e.details}` : ""}
                </p>
              </li>
            ))}
          </ol>
        )}
        <nav aria-label="Pages" className="mt-4 flex justify-between gap-3">
          {previous ? (
            <Link to={previous} className="underline">
              ← Newer
            </Link>
          ) : (
            <span />
          )}
          {next ? (
            <Link to={next} className="underline">
              Older →
            </Link>
          ) : null}
        </nav>
      </section>
    </div>
  );
}
