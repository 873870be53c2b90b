import { Link, useLoaderData } from "react-router";
import { db } from "~/db/connection.server";
import type { Route } from "./+types/coach-reviews";
import { requireUser } from "~/features/auth/require-user.server";
import { reviewQueue } from "~/features/practice/roleplay-reviews.server";
import { PageHeader } from "~/ui/page";

export const meta: Route.MetaFunction = () => [{ title: "Role-play reviews · Flywheel" }];

export async function loader(args: Route.LoaderArgs) {
  const manager = requireUser(args, "coaching");
  return { queue: await reviewQueue(db(), manager, new Date()) };
}

function age(hours: number): string {
  if (hours < 1) return "just now";
  if (hours < 48) return `${hours} hour${hours === 1 ? "" : "s"}`;
  return `${Math.floor(hours / 24)} days`;
}

export default function ReviewQueue() {
  const { queue } = useLoaderData<typeof loader>();
  return (
    <div>
      <PageHeader title="Role-play reviews">
        Your teams' submissions, oldest first. A quick review within a day keeps reps practicing.
      </PageHeader>
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
              <p className="text-sm text-slate-600">{item.mode === "open" ? "Written replies" : "Branching choices"}</p>
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
