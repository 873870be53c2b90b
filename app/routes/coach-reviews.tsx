import { Link, useLoaderData } from "react-router";
import { db } from "~/db/connection.server";
import type { Route } from "./+types/coach-reviews";
import { requireUser } from "~/features/auth/require-user.server";
import { reviewQueue, submissionForReview } from "~/features/practice/roleplay-reviews.server";
import { PageHeader } from "~/ui/page";

export const meta: Route.MetaFunction = () => [{ title: "Role-play reviews · Flywheel" }];

export async function loader(args: Route.LoaderArgs) {
  const manager = requireUser(args, "coaching");
  // After "Send review" the page says what was sent (a review of one of this manager's reps only).
  const sentId = new URL(args.request.url).searchParams.get("sent");
  const sent = sentId ? await submissionForReview(db(), manager, sentId.slice(0, 64)) : null;
  return {
    queue: await reviewQueue(db(), manager, new Date()),
    sent: sent?.status === "reviewed" ? { repName: sent.rep.name, title: sent.roleplay.title } : null,
  };
}

function age(hours: number): string {
  if (hours < 1) return "just now";
  if (hours < 48) return `${hours} hour${hours === 1 ? "" : "s"}`;
  return `${Math.floor(hours / 24)} days`;
}

function kindOfReplies(item: { mode: "open" | "branching"; recorded: number }): string {
  if (item.mode === "branching") return "Branching choices";
  if (item.recorded === 0) return "Written replies";
  return `Replies with ${item.recorded} recording${item.recorded === 1 ? "" : "s"}`;
}

export default function ReviewQueue() {
  const { queue, sent } = useLoaderData<typeof loader>();
  return (
    <div>
      <PageHeader title="Role-play reviews">
        Your teams' submissions, oldest first. A quick review within a day keeps reps practicing.
      </PageHeader>
      {sent ? (
        <p role="status" className="card mb-4 border-l-4 border-l-emerald-600 text-emerald-950">
          Review sent. {sent.repName} sees your scores and comment on “{sent.title}” now, and gets an e-mail about it.
        </p>
      ) : null}
      {queue.length === 0 ? (
        <p className="card text-slate-700">Nothing waiting. When your reps submit a role-play it shows up here.</p>
      ) : null}
      <ol className="flex flex-col gap-3">
        {queue.map((item) => (
          <li key={item.id} className="card flex flex-wrap items-center justify-between gap-2">
            <div>
              <Link to={`/coach/reviews/${item.id}`} className="font-semibold">
                {item.repName}: {item.title}
              </Link>
              <p className="text-sm text-slate-600">{kindOfReplies(item)}</p>
            </div>
            <span
              className={`rounded-full px-2 py-0.5 text-sm font-medium ${item.ageHours >= 48 ? "bg-red-100 text-red-900" : "bg-slate-100 text-slate-800"}`}
            >
              Waiting {age(item.ageHours)}
            </span>
          </li>
        ))}
      </ol>
    </div>
  );
}
