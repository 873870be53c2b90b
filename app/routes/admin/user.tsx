import { Form, Link, redirect, useActionData, useLoaderData } from "react-router";
import { z } from "zod";
import { db } from "~/db/connection.server";
import type { Route } from "./+types/user";
import { ROLES } from "~/db/model";
import { onAdminPage } from "~/features/audit/audit.server";
import { notFound, requireUser } from "~/features/auth/require-user.server";
import { handleForm, succeeded, uniqueList } from "~/features/forms";
import { listTeams } from "~/features/people/teams.server";
import { getPerson, setActive, setMemberTeams, setRoles } from "~/features/people/users.server";
import { Refusal } from "~/features/refusal";
import { ResultMessage } from "~/ui/form";

export const meta: Route.MetaFunction = ({ data }) => [
  { title: `${data?.person.name ?? "Person"} · Admin · Flywheel` },
];

export async function loader(args: Route.LoaderArgs) {
  const admin = requireUser(args, "admin");
  const person = await getPerson(db(), admin.orgId, args.params.userId);
  if (!person) throw notFound("That person is not in your organization.");
  return {
    person,
    teams: (await listTeams(db(), admin.orgId)).map(({ id, name }) => ({ id, name })),
    isSelf: person.id === admin.id,
  };
}

// Far more than anyone belongs to, and few enough for one query's parameters on every engine.
const MAX_TEAMS_PER_PERSON = 500;

const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("roles"), roles: uniqueList(z.enum(ROLES), ROLES.length, "roles") }),
  z.object({
    intent: z.literal("teams"),
    teamIds: uniqueList(z.string().min(1).max(40), MAX_TEAMS_PER_PERSON, "teams"),
  }),
  z.object({ intent: z.literal("deactivate") }),
  z.object({ intent: z.literal("reactivate") }),
]);

export async function action(args: Route.ActionArgs) {
  const admin = requireUser(args, "admin");
  const userId = args.params.userId;
  const now = new Date();
  const by = onAdminPage(admin);
  if (!(await getPerson(db(), admin.orgId, userId))) throw notFound("That person is not in your organization.");
  return handleForm(
    args.request,
    actionSchema,
    async (input) => {
      switch (input.intent) {
        case "roles":
          if (userId === admin.id && !input.roles.includes("admin"))
            throw new Refusal("You can't remove your own admin role; ask another admin.");
          await setRoles(db(), admin.orgId, userId, input.roles, by, now);
          return succeeded("Roles saved.");
        case "teams":
          await setMemberTeams(db(), admin.orgId, userId, input.teamIds, by, now);
          return succeeded("Teams saved.");
        case "deactivate":
          if (userId === admin.id) throw new Refusal("You can't deactivate yourself.");
          await setActive(db(), admin.orgId, userId, false, by, now);
          return succeeded("Deactivated. All their sessions have ended.");
        case "reactivate":
          await setActive(db(), admin.orgId, userId, true, by, now);
          throw redirect(`/admin/users/${userId}`);
      }
    },
    { oneMessage: true },
  );
}

export default function AdminUser() {
  const { person, teams, isSelf } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const memberOf = new Set(person.teams.filter((t) => t.role === "member").map((t) => t.id));
  return (
    <div>
      <p className="mb-4 text-sm">
        <Link to="/admin/users">← All people</Link>
      </p>
      <div className="mb-4">
        <h2 className="text-xl font-semibold">{person.name}</h2>
        <p className="text-slate-600">
          {person.email} · {person.active ? "Active" : "Deactivated"}
        </p>
      </div>
      <ResultMessage result={result} />
      <div className="mt-4 grid gap-4 md:grid-cols-2">
        <Form method="post" className="card">
          <input type="hidden" name="intent" value="roles" />
          <fieldset>
            <legend className="mb-2 font-semibold">Roles</legend>
            {ROLES.map((role) => (
              <label key={role} className="flex items-center gap-2 py-1 capitalize">
                <input type="checkbox" name="roles" value={role} defaultChecked={person.roles.includes(role)} /> {role}
              </label>
            ))}
          </fieldset>
          <button type="submit" className="btn mt-3">
            Save roles
          </button>
        </Form>
        <Form method="post" className="card">
          <input type="hidden" name="intent" value="teams" />
          <fieldset>
            <legend className="mb-2 font-semibold">Member of</legend>
            {teams.map((team) => (
              <label key={team.id} className="flex items-center gap-2 py-1">
                <input type="checkbox" name="teamIds" value={team.id} defaultChecked={memberOf.has(team.id)} />{" "}
                {team.name}
              </label>
            ))}
            {teams.length === 0 ? <p className="text-slate-600">No teams yet.</p> : null}
          </fieldset>
          <button type="submit" className="btn mt-3">
            Save teams
          </button>
        </Form>
      </div>
      {!isSelf ? (
        <Form method="post" className="card mt-4">
          {person.active ? (
            <>
              <p className="mb-3 text-slate-700">
                Deactivating keeps {person.name}'s history and signs them out everywhere at once.
              </p>
              <button type="submit" name="intent" value="deactivate" className="btn-danger">
                Deactivate {person.name}
              </button>
            </>
          ) : (
            <button type="submit" name="intent" value="reactivate" className="btn-secondary">
              Reactivate {person.name}
            </button>
          )}
        </Form>
      ) : null}
    </div>
  );
}
