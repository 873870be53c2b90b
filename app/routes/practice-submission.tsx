import { Link, useLoaderData } from "react-router";
import { db } from "~/db/connection.server";
import type { Route } from "./+types/practice-submission";
import { notFound, requireUser } from "~/features/auth/require-user.server";
import { ownSubmission } from "~/features/practice/roleplay-views.server";
import { PageHeader } from "~/ui/page";
import { Exchanges } from "~/ui/replies";
import { ScoreComparison } from "~/ui/rubric";
import { ScrollArea } from "~/ui/scroll-area";

export const meta: Route.MetaFunction = () => [{ title: "Your role-play · Flywheel" }];

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args);
  const submission = await ownSubmission(db(), user, args.params.submissionId);
  if (!submission) throw notFound("We couldn't find that role-play.");
  return { submission };
}

export default function Submission() {
  const { submission: s } = useLoaderData<typeof loader>();
  const gap = s.selfScore !== null && s.managerScore !== null ? Math.round(s.selfScore - s.managerScore) : null;
  return (
    <div className="mx-auto max-w-2xl">
      <p className="text-sm">
        <Link to="/progress">← Progress</Link>
      </p>
      <PageHeader title={s.title}>
        {s.status === "reviewed" ? "Reviewed by your manager." : "Waiting for your manager's review."}
      </PageHeader>
      <div className="card">
        <ScrollArea label="Your scores and your manager's">
          <ScoreComparison
            rubric={s.rubric}
            self={s.selfScores}
            selfScore={s.selfScore}
            manager={{ scores: s.managerScores, score: s.managerScore }}
          />
        </ScrollArea>
        {gap !== null ? (
          <p className="mt-3 text-sm text-slate-700">
            {gap === 0
              ? "You and your manager agree."
              : gap > 0
                ? `You scored yourself ${gap} points higher than your manager did.`
                : `You scored yourself ${-gap} points lower than your manager did: give yourself more credit.`}
          </p>
        ) : null}
        {s.managerComment ? (
          <blockquote className="mt-3 rounded-lg bg-brand-50 p-3">
            <p className="text-xs font-semibold uppercase text-brand-700">Your manager's comment</p>
            <p className="mt-1 whitespace-pre-wrap">{s.managerComment}</p>
          </blockquote>
        ) : null}
      </div>
      {s.mode === "open" && s.exchanges.length > 0 ? (
        <section className="card mt-4" aria-labelledby="my-replies-heading">
          <h2 id="my-replies-heading" className="mb-3 text-lg font-semibold">
            Your replies
          </h2>
          <Exchanges exchanges={s.exchanges} speaker="You" />
        </section>
      ) : null}
    </div>
  );
}
