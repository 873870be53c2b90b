import { Form, Link, useLoaderData } from "react-router";
import { db } from "~/db/connection.server";
import type { Route } from "./+types/content-insights-lesson";
import { requireUser } from "~/features/auth/require-user.server";
import { lessonItemInsights, parseContentFilter } from "~/features/content-insights/content-insights.server";
import { ContentFilterForm } from "~/features/content-insights/filter-form";
import { filterQuery } from "~/features/content-insights/filter-query";
import { MIN_REPS } from "~/features/content-insights/item-analysis";
import { DataTable, HowCounted } from "~/ui/data-table";
import { percent } from "~/ui/format";
import { PageHeader } from "~/ui/page";
import { dayIn } from "~/shared/days";

export const meta: Route.MetaFunction = ({ data }) => [
  { title: `${data?.lesson.title ?? "Lesson"} · Content insights · Flywheel` },
];

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args, "content");
  const now = new Date();
  const filter = parseContentFilter(new URL(args.request.url));
  const insights = await lessonItemInsights(db(), user, args.params.lessonId, filter, now);
  return { ...insights, today: dayIn(user.timezone, now) };
}

export default function LessonItems() {
  const d = useLoaderData<typeof loader>();
  const query = filterQuery({ teamId: d.scope.teamId, period: d.period, version: d.version });
  const back = filterQuery({ teamId: d.scope.teamId, period: d.period });
  return (
    <div>
      <p className="mb-2 text-sm">
        <Link to={`/content/insights?${back}`}>← Content insights</Link>
      </p>
      <PageHeader title={d.lesson.title}>
        {d.lesson.moduleTitle}
        {d.lesson.builtIn ? " · built-in library" : ""}
      </PageHeader>
      <ContentFilterForm d={d} version={d.version} />
      <Form method="get" className="mb-6 flex flex-wrap items-end gap-3">
        <input type="hidden" name="period" value={d.period} />
        {d.scope.teamId ? <input type="hidden" name="team" value={d.scope.teamId} /> : null}
        <div>
          <label htmlFor="content-version" className="label">
            Version
          </label>
          <select id="content-version" name="version" defaultValue={d.version ?? ""} className="field">
            <option value="">All versions</option>
            {d.versions.map((v) => (
              <option key={v.id} value={v.id}>
                {v.label}
                {v.current ? " (current)" : ""}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="btn-secondary">
          Show version
        </button>
      </Form>
      <section className="mb-6 space-y-4" aria-labelledby="questions-heading">
        <h2 id="questions-heading" className="text-lg font-semibold">
          Questions
        </h2>
        {d.items.map((item) => (
          <article key={item.key} id={`question-${item.key}`} className="card">
            <h3 className="font-semibold">
              {item.key}: {item.prompt}
            </h3>
            <p className="mt-1 text-sm text-slate-700">
              {item.answers} first answers · facility {percent(item.facility)} · discrimination{" "}
              {item.discrimination === null ? `shown from ${MIN_REPS} reps` : item.discrimination.toFixed(2)}
            </p>
            <ul className="mt-2 text-sm">
              {item.picks.map((p) => (
                <li key={p.id}>
                  {percent(p.rate)} picked “{p.text}”{p.correct ? " (right)" : ""}
                </li>
              ))}
            </ul>
            {item.kind === "multiple" ? (
              <p className="mt-1 text-sm">
                Partial credit:{" "}
                {item.partialCredit.map((p) => `${Math.round(p.score * 100)}% by ${p.answers}`).join(", ") || "—"}
              </p>
            ) : null}
            <p className="mt-1 text-sm">
              Recall in boosts:{" "}
              {item.recall
                .map((r) => `${r.after}+ days ${r.rate === null ? `— (${r.answers} answers)` : percent(r.rate)}`)
                .join(" · ")}
            </p>
            {item.flags.length ? (
              <ul className="mt-2 list-disc pl-5 text-sm text-amber-900">
                {item.flags.map((f) => (
                  <li key={f.kind + f.reason}>{f.reason}</li>
                ))}
              </ul>
            ) : null}
            {item.retired ? (
              <p className="mt-2 text-sm text-slate-600">
                No longer in the lesson: a later version dropped it. Its answers stay counted here; it is not flagged.
              </p>
            ) : (
              <a className="mt-2 inline-block text-sm underline" href={item.link}>
                Open the question
              </a>
            )}
          </article>
        ))}
      </section>
      <section className="card" aria-labelledby="question-table-heading">
        <h2 id="question-table-heading" className="mb-2 text-lg font-semibold">
          All figures
        </h2>
        <DataTable
          table={d.tables.questions}
          csvHref={`/content/insights/export/questions.csv?${query}&lesson=${d.lesson.id}`}
          today={d.today}
        />
        <HowCounted>
          First answers of reps in scope in the period, for the chosen version or all of them (a question is its quiz id
          across versions; its wording is the chosen or latest version's). Recall: boost answers 7 to 29, 30 to 89 and
          90 or more days after the rep completed the lesson, from 10 answers up; boosts span every version.
        </HowCounted>
      </section>
    </div>
  );
}
