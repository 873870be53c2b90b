import { Link, useLoaderData } from "react-router";
import { db } from "~/db/connection.server";
import type { Route } from "./+types/coach";
import { requireUser } from "~/features/auth/require-user.server";
import { managedTeamIds } from "~/features/people/teams.server";
import { reviewQueue } from "~/features/practice/roleplay-reviews.server";
import { PageHeader } from "~/ui/page";

export const meta: Route.MetaFunction = () => [{ title: "Coaching · Flywheel" }];

export async function loader(args: Route.LoaderArgs) {
  const manager = requireUser(args, "coaching");
  const [queue, teamIds] = await Promise.all([
    reviewQueue(db(), manager, new Date()),
    managedTeamIds(db(), manager.orgId, manager.id),
  ]);
  return {
    waiting: queue.length,
    oldestHours: queue[0]?.ageHours ?? null,
    managesATeam: teamIds.length > 0,
    isAdmin: manager.roles.includes("admin"),
  };
}

export default function Coach() {
  const { waiting, oldestHours, managesATeam, isAdmin } = useLoaderData<typeof loader>();
  return (
    <div>
      <PageHeader title="Coaching">Review role-plays and assign practice to your teams.</PageHeader>
      {managesATeam ? null : (
        <p className="card mb-4 border-l-4 border-l-brand-600 text-slate-700">
          You don't manage a team yet: reviews and assignments are for the reps of your teams.{" "}
          {isAdmin ? (
            <Link className="underline" to="/admin/teams">
              Make yourself a team's manager
            </Link>
          ) : (
            "Ask your Flywheel admin to make you a team's manager."
          )}
        </p>
      )}
      <section className="card" aria-labelledby="reviews-heading">
        <h2 id="reviews-heading" className="text-lg font-semibold">
          Role-play reviews
        </h2>
        <p className="mt-1 text-slate-700">
          {waiting === 0
            ? "Nothing waiting for you."
            : `${waiting} waiting${oldestHours !== null && oldestHours >= 24 ? `, the oldest for ${Math.floor(oldestHours / 24)} day(s)` : ""}.`}
        </p>
        <Link to="/coach/reviews" className="btn mt-3">
          Open the review queue
        </Link>
      </section>
      <section className="card mt-4" aria-labelledby="assignments-heading">
        <h2 id="assignments-heading" className="text-lg font-semibold">
          Assignments
        </h2>
        <p className="mt-1 text-slate-700">
          Give a module, lesson or role-play to a rep or a whole team, with a due date.
        </p>
        <Link to="/coach/assignments" className="btn mt-3">
          Assign practice
        </Link>
      </section>
    </div>
  );
}
