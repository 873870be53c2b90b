import { Form, Link, useActionData, useLoaderData } from "react-router";
import { z } from "zod";
import { db } from "~/db/connection.server";
import { randomToken } from "~/db/ids";
import type { Route } from "./+types/users";
import { ROLES, teamRolesFor } from "~/db/model";
import { inviteUser } from "~/features/auth/accounts.server";
import { requireUser } from "~/features/auth/require-user.server";
import { submitOnce } from "~/features/form-submissions.server";
import { emailField, handleForm, submissionField, succeeded, uniqueList } from "~/features/forms";
import { listTeams } from "~/features/people/teams.server";
import { listPeople } from "~/features/people/users.server";
import { Field, ResultMessage } from "~/ui/form";

export const meta: Route.MetaFunction = () => [{ title: "People · Admin · Flywheel" }];

export async function loader(args: Route.LoaderArgs) {
  const admin = requireUser(args, "admin");
  return {
    people: await listPeople(db(), admin.orgId),
    teams: (await listTeams(db(), admin.orgId)).map(({ id, name }) => ({ id, name })),
    // A fresh key per rendering: the same invitation sent twice is stored and mailed once.
    submission: randomToken(12),
  };
}

const inviteSchema = z
  .object({
    email: emailField,
    roles: uniqueList(z.enum(ROLES), ROLES.length, "roles").refine((r) => r.length > 0, {
      error: "Pick at least one role.",
    }),
    teamId: z
      .string()
      .optional()
      .transform((v) => v || null),
    submission: submissionField,
  })
  // The team is where the roles put them (teamRolesFor): without rep or manager there is no place.
  .refine((invitation) => !invitation.teamId || teamRolesFor(invitation.roles).length > 0, {
    error: "A team is for reps and managers: pick the rep or manager role too, or choose “No team yet”.",
    path: ["teamId"],
  });

export async function action(args: Route.ActionArgs) {
  const admin = requireUser(args, "admin");
  return handleForm(args.request, inviteSchema, async ({ submission, ...invitation }) => {
    await submitOnce(db(), admin, submission, new Date(), (tx) =>
      inviteUser(tx, { orgId: admin.orgId, invitedBy: admin.id, ...invitation }),
    );
    return succeeded(`Invitation sent to ${invitation.email}. It is in the outbox if no mail server is set up.`);
  });
}

export default function AdminUsers() {
  const { people, teams, submission } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div>
      <section className="card mb-6">
        <h2 className="mb-3 text-lg font-semibold">Invite someone</h2>
        <Form method="post" className="grid gap-4 sm:grid-cols-2" noValidate>
          <input type="hidden" name="submission" value={submission} />
          {result?.ok ? (
            <div className="sm:col-span-2">
              <ResultMessage result={result} />
            </div>
          ) : null}
          <Field label="E-mail" name="email" type="email" required error={result?.fieldErrors.email} />
          <div>
            <label htmlFor="invite-team" className="label">
              Team
            </label>
            <select
              id="invite-team"
              name="teamId"
              className="field"
              aria-describedby="invite-team-hint"
              aria-invalid={result?.fieldErrors.teamId ? true : undefined}
            >
              <option value="">No team yet</option>
              {teams.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
            <p id="invite-team-hint" className="mt-1 text-sm text-slate-600">
              A rep joins it as a member; a manager manages it.
            </p>
            {result?.fieldErrors.teamId ? (
              <p className="field-error" role="alert">
                {result.fieldErrors.teamId}
              </p>
            ) : null}
          </div>
          <fieldset className="sm:col-span-2">
            <legend className="label">Roles</legend>
            <div className="flex flex-wrap gap-4">
              {ROLES.map((role) => (
                <label key={role} className="flex items-center gap-2 capitalize">
                  <input type="checkbox" name="roles" value={role} defaultChecked={role === "rep"} /> {role}
                </label>
              ))}
            </div>
            {result?.fieldErrors.roles ? <p className="field-error">{result.fieldErrors.roles}</p> : null}
          </fieldset>
          <div className="sm:col-span-2">
            <button type="submit" className="btn">
              Send invitation
            </button>
          </div>
        </Form>
      </section>
      <section className="card overflow-x-auto">
        <h2 className="mb-3 text-lg font-semibold">People ({people.length})</h2>
        <table className="w-full text-left text-sm">
          <thead className="text-slate-600">
            <tr>
              <th className="py-2 pr-4">Name</th>
              <th className="py-2 pr-4">Roles</th>
              <th className="py-2 pr-4">Teams</th>
              <th className="py-2">Status</th>
            </tr>
          </thead>
          <tbody>
            {people.map((p) => (
              <tr key={p.id} className="border-t border-slate-100">
                <td className="py-2 pr-4">
                  <Link to={`/admin/users/${p.id}`}>{p.name}</Link>
                  <div className="text-slate-500">{p.email}</div>
                </td>
                <td className="py-2 pr-4 capitalize">{p.roles.join(", ")}</td>
                <td className="py-2 pr-4">
                  {p.teams.map((t) => (t.role === "manager" ? `${t.name} (manager)` : t.name)).join(", ") || "—"}
                </td>
                <td className="py-2">{p.active ? "Active" : <span className="text-red-700">Deactivated</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
