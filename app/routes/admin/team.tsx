import { Form, Link, useActionData, useLoaderData } from "react-router";
import { z } from "zod";
import { db } from "~/db/connection.server";
import type { Route } from "./+types/team";
import { onAdminPage } from "~/features/audit/audit.server";
import { notFound, requireUser } from "~/features/auth/require-user.server";
import { handleForm, succeeded, uniqueList } from "~/features/forms";
import { addTeamMembers, getTeam, removeTeamPerson, renameTeam, setTeamPeople } from "~/features/people/teams.server";
import { listPeople } from "~/features/people/users.server";
import { Field, ResultMessage } from "~/ui/form";

export const meta: Route.MetaFunction = ({ data }) => [{ title: `${data?.team.name ?? "Team"} · Admin · Flywheel` }];

export async function loader(args: Route.LoaderArgs) {
  const admin = requireUser(args, "admin");
  const team = await getTeam(db(), admin.orgId, args.params.teamId);
  if (!team) throw notFound("That team is not in your organization.");
  const people = (await listPeople(db(), admin.orgId))
    .filter((p) => p.active)
    .map((p) => ({
      id: p.id,
      name: p.name,
      email: p.email,
      isManager: p.roles.includes("manager"),
      isRep: p.roles.includes("rep"),
      // The teams they are a member of now, so an admin sees whom they would move.
      teams: p.teams.filter((t) => t.role === "member" && t.id !== team.id).map((t) => t.name),
    }));
  return { team, people };
}

// Far more than any team has, and few enough for one query's parameters on every engine.
const MAX_TEAM_MANAGERS = 500;
const MAX_MEMBERS_ADDED = 500;

const actionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("rename"),
    name: z.string().trim().min(1, { error: "Name the team." }).max(80, { error: "Use at most 80 characters." }),
  }),
  z.object({
    intent: z.literal("managers"),
    managerIds: uniqueList(z.string().min(1).max(40), MAX_TEAM_MANAGERS, "managers"),
  }),
  z.object({
    intent: z.literal("add-members"),
    userIds: uniqueList(z.string().min(1).max(40), MAX_MEMBERS_ADDED, "people"),
  }),
  z.object({ intent: z.literal("remove-member"), userId: z.string().min(1) }),
]);

export async function action(args: Route.ActionArgs) {
  const admin = requireUser(args, "admin");
  const teamId = args.params.teamId;
  const now = new Date();
  const by = onAdminPage(admin);
  if (!(await getTeam(db(), admin.orgId, teamId))) throw notFound("That team is not in your organization.");
  return handleForm(
    args.request,
    actionSchema,
    async (input) => {
      switch (input.intent) {
        case "rename":
          await renameTeam(db(), admin.orgId, teamId, input.name, by, now);
          return succeeded("Team renamed.");
        case "managers":
          await setTeamPeople(db(), admin.orgId, teamId, "manager", input.managerIds, by, now);
          return succeeded("Managers saved.");
        case "add-members": {
          const added = await addTeamMembers(db(), admin.orgId, teamId, input.userIds, by, now);
          return succeeded(
            added === 0 ? "They were members already." : `${added} member${added === 1 ? "" : "s"} added.`,
          );
        }
        case "remove-member":
          await removeTeamPerson(db(), admin.orgId, teamId, input.userId, "member", by, now);
          return succeeded("Member removed.");
      }
    },
    { oneMessage: true },
  );
}

export default function AdminTeam() {
  const { team, people } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const members = team.people.filter((p) => p.role === "member");
  const managerIds = new Set(team.people.filter((p) => p.role === "manager").map((p) => p.id));
  const memberIds = new Set(members.map((m) => m.id));
  return (
    <div>
      <p className="mb-4 text-sm">
        <Link to="/admin/teams">← All teams</Link>
      </p>
      <h2 className="mb-4 text-xl font-semibold">{team.name}</h2>
      <ResultMessage result={result} />
      <div className="mt-4 grid gap-4 md:grid-cols-2">
        <Form method="post" className="card flex flex-col gap-3">
          <input type="hidden" name="intent" value="rename" />
          <Field label="Team name" name="name" defaultValue={team.name} key={team.name} />
          <button type="submit" className="btn self-start">
            Rename
          </button>
        </Form>
        <Form method="post" className="card">
          <input type="hidden" name="intent" value="managers" />
          <fieldset>
            <legend className="mb-2 font-semibold">Managers</legend>
            {people
              .filter((p) => p.isManager)
              .map((p) => (
                <label key={p.id} className="flex items-center gap-2 py-1">
                  <input type="checkbox" name="managerIds" value={p.id} defaultChecked={managerIds.has(p.id)} />{" "}
                  {p.name}
                </label>
              ))}
            {people.some((p) => p.isManager) ? (
              <p className="mt-1 text-sm text-slate-600">People with the manager role can manage teams.</p>
            ) : (
              <p className="text-sm text-slate-700">
                Nobody has the manager role yet.{" "}
                <Link className="underline" to="/admin/users">
                  Invite a manager
                </Link>{" "}
                (or give someone the role on their page), then tick them here.
              </p>
            )}
          </fieldset>
          <button type="submit" className="btn mt-3">
            Save managers
          </button>
        </Form>
      </div>
      <section className="card mt-4">
        <h3 className="mb-3 font-semibold">Members ({members.length})</h3>
        <ul className="mb-4 divide-y divide-slate-100">
          {members.map((m) => (
            <li key={m.id} className="flex items-center justify-between gap-2 py-2">
              <span>
                {m.name} <span className="text-sm text-slate-500">{m.email}</span>
              </span>
              <Form method="post">
                <input type="hidden" name="intent" value="remove-member" />
                <input type="hidden" name="userId" value={m.id} />
                <button type="submit" className="btn-secondary text-sm" aria-label={`Remove ${m.name}`}>
                  Remove
                </button>
              </Form>
            </li>
          ))}
        </ul>
        {members.length === 0 ? (
          <p className="mb-4 text-slate-700">
            No members yet. Tick the reps who belong to {team.name} below: their dashboards and team assignments start
            from here.
          </p>
        ) : null}
        <AddMembers candidates={people.filter((p) => !memberIds.has(p.id))} />
      </section>
    </div>
  );
}

type Candidate = ReturnType<typeof useLoaderData<typeof loader>>["people"][number];

/** Several people at once: a checkbox each, reps first, with the teams they are in now. */
function AddMembers({ candidates }: { candidates: Candidate[] }) {
  if (candidates.length === 0)
    return (
      <p className="text-sm text-slate-600">
        Everyone in your organization is in this team.{" "}
        <Link className="underline" to="/admin/users">
          Invite more people
        </Link>
        .
      </p>
    );
  const ordered = [...candidates].sort((a, b) => Number(b.isRep) - Number(a.isRep) || a.name.localeCompare(b.name));
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="add-members" />
      <fieldset>
        <legend className="mb-2 font-semibold">Add members</legend>
        <ul className="max-h-96 divide-y divide-slate-100 overflow-y-auto rounded border border-slate-200">
          {ordered.map((p) => (
            <li key={p.id}>
              <label className="flex items-start gap-3 px-3 py-2">
                <input type="checkbox" name="userIds" value={p.id} className="mt-1 accent-brand-600" />
                <span className="min-w-0">
                  <span className="block">
                    {p.name} <span className="break-all text-sm text-slate-500">{p.email}</span>
                  </span>
                  <span className="block break-words text-sm text-slate-600">
                    {p.isRep ? "Rep" : "Not a rep"} · {p.teams.length ? `in ${p.teams.join(", ")}` : "in no team yet"}
                  </span>
                </span>
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      <button type="submit" className="btn mt-3">
        Add the people ticked
      </button>
    </Form>
  );
}
