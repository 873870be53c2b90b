import { Link, useLoaderData } from "react-router";
import { db } from "~/db/connection.server";
import type { Route } from "./+types/content-insights";
import { requireUser } from "~/features/auth/require-user.server";
import { contentInsights, parseContentFilter } from "~/features/content-insights/content-insights.server";
import { ContentFilterForm } from "~/features/content-insights/filter-form";
import { filterQuery } from "~/features/content-insights/filter-query";
import {
  FORGOTTEN_GAP,
  LOW_DISCRIMINATION,
  MIN_REPS,
  RARE_DISTRACTOR,
  TOO_EASY,
  TOO_HARD,
} from "~/features/content-insights/item-analysis";
import { DataTable, HowCounted } from "~/ui/data-table";
import { PageHeader } from "~/ui/page";
import { dayIn } from "~/shared/days";

export const meta: Route.MetaFunction = () => [{ title: "Content insights · Flywheel" }];

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args, "content");
  const now = new Date();
  const insights = await contentInsights(db(), user, parseContentFilter(new URL(args.request.url)), now);
  return { ...insights, today: dayIn(user.timezone, now) };
}

export default function ContentInsights() {
  const d = useLoaderData<typeof loader>();
  const query = filterQuery({ teamId: d.scope.teamId, period: d.period });
  const csv = (name: string) => `/content/insights/export/${name}.csv?${query}`;
  return (
    <div>
      <PageHeader title="Content insights">Which lessons and questions work, and where reps stop.</PageHeader>
      <ContentFilterForm d={d} />
      <section className="card mb-6" aria-labelledby="flags-heading">
        <h2 id="flags-heading" className="text-lg font-semibold">
          Questions to look at
        </h2>
        <FlagThresholds />
        {d.flagged.length === 0 ? (
          <p className="mt-2 text-slate-700">No question is flagged in this period.</p>
        ) : (
          <ul className="mt-3 space-y-3">
            {d.flagged.map((q) => (
              <li key={`${q.lessonId}/${q.key}`} className="border-t border-slate-100 pt-2">
                <p className="font-medium">
                  {q.lessonTitle} · <Link to={`/content/insights/lessons/${q.lessonId}?${query}`}>{q.key}</Link>:{" "}
                  {q.prompt}
                </p>
                <ul className="list-disc pl-5 text-sm text-slate-700">
                  {q.flags.map((f) => (
                    <li key={f.kind + f.reason}>{f.reason}</li>
                  ))}
                </ul>
                <a className="text-sm underline" href={q.link}>
                  Open the question to fix it
                </a>
              </li>
            ))}
          </ul>
        )}
        <div className="mt-3">
          <a href={csv("flags")} className="text-sm" download>
            Download CSV
          </a>
        </div>
      </section>
      <section className="card mb-6" aria-labelledby="lessons-heading">
        <h2 id="lessons-heading" className="mb-2 text-lg font-semibold">
          Lessons
        </h2>
        <DataTable
          table={d.tables.lessons}
          csvHref={csv("lessons")}
          today={d.today}
          cell={(value, row, column) =>
            column === 1 ? (
              <Link to={`/content/insights/lessons/${d.lessonLinks[row]!.id}?${query}`}>{value}</Link>
            ) : undefined
          }
        />
        <HowCounted>
          Reps in scope who opened the lesson in the period (started) and of those, who completed it (finished). Median
          minutes: the time from opening to completing, capped at four times the estimate. Most stopped at: for reps who
          started and did not finish, the first question they have not answered; the one most of them stopped at, with
          how many.
        </HowCounted>
      </section>
      <section className="card mb-6" aria-labelledby="modules-heading">
        <h2 id="modules-heading" className="mb-2 text-lg font-semibold">
          Modules
        </h2>
        <DataTable table={d.tables.modules} csvHref={csv("modules")} today={d.today} />
        <HowCounted>
          Started: reps who opened any of the module's lessons in the period. Finished: of those, the reps who have
          completed every lesson of the module.
        </HowCounted>
      </section>
      <section className="card mb-6" aria-labelledby="ratings-heading">
        <h2 id="ratings-heading" className="mb-2 text-lg font-semibold">
          What reps say
        </h2>
        <DataTable table={d.tables.ratings} csvHref={csv("ratings")} today={d.today} />
        <h3 className="mb-2 mt-4 font-semibold">Comments</h3>
        <DataTable table={d.tables.comments} csvHref={csv("comments")} today={d.today} />
        <HowCounted>
          Each rep rates a lesson once at its end (useful or not, with an optional comment) and may change it; the
          latest rating counts, in the period it was given. Names are shown only here, to your organization's trainers
          and admins.
        </HowCounted>
      </section>
      <section className="card mb-6" aria-labelledby="roleplays-heading">
        <h2 id="roleplays-heading" className="mb-2 text-lg font-semibold">
          Role-plays
        </h2>
        <DataTable table={d.tables.roleplays} csvHref={csv("roleplays")} today={d.today} />
        <HowCounted>
          Reviewed submissions of the period: how many manager reviews gave each level (1–5) per rubric criterion. The
          calibration gap is the mean of (self-assessment − manager score) in points (a level counts 20), over reviews
          with a self-assessment; above zero, reps rate themselves higher than their managers do.
        </HowCounted>
      </section>
    </div>
  );
}

function FlagThresholds() {
  const pct = (v: number) => `${Math.round(v * 100)}%`;
  return (
    <HowCounted>
      From {MIN_REPS} first answers up, a question is flagged too easy above {pct(TOO_EASY)} facility (the share of
      first answers that are right), too hard below {pct(TOO_HARD)}, low or negative discrimination below{" "}
      {LOW_DISCRIMINATION} (the correlation of the question with the rest of the lesson's first answers), a wrong choice
      picked by under {pct(RARE_DISTRACTOR)}, and forgotten fast when boost recall 7 to 90 days on (from 10 boost
      answers) is {Math.round(FORGOTTEN_GAP * 100)} points or more below its facility. A length cue is flagged when the
      right answer is the longest choice in more than half of the lesson's single-answer questions.
    </HowCounted>
  );
}
