import { Form, Link, redirect, useActionData, useLoaderData } from "react-router";
import { z } from "zod";
import { db } from "~/db/connection.server";
import { randomToken } from "~/db/ids";
import type { Route } from "./+types/teams";
import { onAdminPage } from "~/features/audit/audit.server";
import { requireUser } from "~/features/auth/require-user.server";
import { submitOnce } from "~/features/form-submissions.server";
import { handleForm, submissionField } from "~/features/forms";
import { createTeam, listTeams } from "~/features/people/teams.server";
import { Field } from "~/ui/form";

export const meta: Route.MetaFunction = () => [{ title: "Teams · Admin · Flywheel" }];

export const teamNameSchema = z.object({
  name: z
    .string({ error: "Name the team." })
    .trim()
    .min(1, { error: "Name the team." })
    .max(80, { error: "Use at most 80 characters." }),
  submission: submissionField,
});

export async function loader(args: Route.LoaderArgs) {
  const admin = requireUser(args, "admin");
  // A fresh key per rendering: the same form sent twice creates one team and lands on it.
  return { teams: await listTeams(db(), admin.orgId), submission: randomToken(12) };
}

export async function action(args: Route.ActionArgs) {
  const admin = requireUser(args, "admin");
  return handleForm(args.request, teamNameSchema, async ({ submission, name }) => {
    const now = new Date();
    const { id } = await submitOnce(db(), admin, submission, now, (tx) =>
      createTeam(tx, admin.orgId, name, onAdminPage(admin), now),
    );
    return redirect(`/admin/teams/${id}`);
  });
}

export default function AdminTeams() {
  const { teams, submission } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div>
      <Form method="post" className="card mb-6 flex flex-col gap-3 sm:flex-row sm:items-end" noValidate>
        <input type="hidden" name="submission" value={submission} />
        <div className="flex-1">
          <Field label="New team" name="name" placeholder="e.g. Inside Sales" error={result?.fieldErrors.name} />
        </div>
        <button type="submit" className="btn">
          Create team
        </button>
      </Form>
      {teams.length === 0 ? (
        <p className="card text-slate-700">
          No teams yet. Name your first one above (by region, segment or manager), then add its reps and its manager:
          managers see and assign to their own teams only.
        </p>
      ) : null}
      <ul className="grid gap-3 sm:grid-cols-2">
        {teams.map((team) => (
          <li key={team.id} className="card">
            <Link to={`/admin/teams/${team.id}`} className="text-lg font-semibold">
              {team.name}
            </Link>
            <p className="text-sm text-slate-600">
              {team.memberCount} member{team.memberCount === 1 ? "" : "s"} · managed by{" "}
              {team.managers.join(", ") || "nobody yet"}
            </p>
          </li>
        ))}
      </ul>
    </div>
  );
}
