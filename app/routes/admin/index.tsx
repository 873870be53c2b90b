import { Link, useLoaderData } from "react-router";
import { db } from "~/db/connection.server";
import type { Route } from "./+types/index";
import { mayEnter } from "~/features/auth/access";
import { requireUser } from "~/features/auth/require-user.server";
import { onboardingChecklist } from "~/features/people/onboarding.server";
import { OnboardingChecklist } from "~/ui/onboarding-checklist";

export const meta: Route.MetaFunction = () => [{ title: "Overview · Admin · Flywheel" }];

export async function loader(args: Route.LoaderArgs) {
  const admin = requireUser(args, "admin");
  return {
    onboarding: await onboardingChecklist(db(), admin.orgId),
    canAssign: mayEnter(admin.roles, "coaching"),
  };
}

/** The admin's first page: where a new organization stands, and what to do next. */
export default function AdminOverview() {
  const { onboarding, canAssign } = useLoaderData<typeof loader>();
  return (
    <div>
      <OnboardingChecklist state={onboarding} canAssign={canAssign} />
      <section className="card" aria-labelledby="overview-heading">
        <h2 id="overview-heading" className="text-lg font-semibold">
          Your organization
        </h2>
        <ul className="mt-2 flex flex-col gap-1 text-slate-700">
          <li>
            <Link className="underline" to="/admin/users">
              {onboarding.people === 1 ? "1 person" : `${onboarding.people} people`}
            </Link>
            {onboarding.waitingInvitations ? `, ${onboarding.waitingInvitations} invitations waiting` : ""}
          </li>
          <li>
            <Link className="underline" to="/admin/teams">
              {onboarding.teams === 1 ? "1 team" : `${onboarding.teams} teams`}
            </Link>
          </li>
          <li>
            {onboarding.assignments === 1 ? "1 assignment" : `${onboarding.assignments} assignments`} ·{" "}
            <Link className="underline" to="/insights">
              Insights
            </Link>
          </li>
        </ul>
      </section>
    </div>
  );
}
