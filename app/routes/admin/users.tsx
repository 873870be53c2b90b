import { Form, Link, useActionData, useLoaderData } from "react-router";
import { z } from "zod";
import { db } from "~/db/connection.server";
import { randomToken } from "~/db/ids";
import { dayOfLabel } from "~/shared/date-formats";
import type { Route } from "./+types/users";
import { ROLES, teamRolesFor } from "~/db/model";
import { onAdminPage } from "~/features/audit/audit.server";
import { AddressRefused, inviteUser } from "~/features/auth/accounts.server";
import { requireUser } from "~/features/auth/require-user.server";
import { submitOnce } from "~/features/form-submissions.server";
import { emailField, handleForm, submissionField, succeeded, uniqueList } from "~/features/forms";
import {
  recordRefusedAddress,
  resendInvitation,
  revokeInvitation,
  waitingInvitations,
} from "~/features/people/invitations.server";
import { listTeams } from "~/features/people/teams.server";
import { listPeople } from "~/features/people/users.server";
import { Field, ResultMessage } from "~/ui/form";
import { ScrollArea } from "~/ui/scroll-area";

export const meta: Route.MetaFunction = () => [{ title: "People · Admin · Flywheel" }];

export async function loader(args: Route.LoaderArgs) {
  const admin = requireUser(args, "admin");
  const now = new Date();
  const [people, teams, waiting] = await Promise.all([
    listPeople(db(), admin.orgId),
    listTeams(db(), admin.orgId),
    waitingInvitations(db(), admin.orgId, now),
  ]);
  return {
    people,
    teams: teams.map(({ id, name }) => ({ id, name })),
    waiting: waiting.map(({ expiresAt, ...invitation }) => ({
      ...invitation,
      expiresDay: dayOfLabel(expiresAt, admin.timezone, now),
    })),
    // A fresh key per rendering: the same invitation (or resend) sent twice is stored and mailed once.
    submission: randomToken(12),
  };
}

const inviteSchema = z
  .object({
    intent: z.literal("invite"),
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

const invitationId = z
  .string({ error: "Pick an invitation from the list." })
  .regex(/^[a-z0-9]{1,40}$/, { error: "That invitation was already accepted or revoked." });
const actionSchema = z.preprocess(
  // The invitation form is the page's main form and names no intent.
  (raw) => ({ intent: "invite", ...(raw as object) }),
  z.discriminatedUnion("intent", [
    inviteSchema,
    z.object({ intent: z.literal("resend"), invitationId, submission: submissionField }),
    z.object({ intent: z.literal("revoke"), invitationId }),
  ]),
);

export async function action(args: Route.ActionArgs) {
  const admin = requireUser(args, "admin");
  const now = new Date();
  return handleForm(args.request, actionSchema, async (input) => {
    switch (input.intent) {
      case "invite": {
        const { submission, intent: _intent, ...invitation } = input;
        try {
          await submitOnce(db(), admin, submission, now, (tx) =>
            inviteUser(
              tx,
              { orgId: admin.orgId, invitedBy: admin.id, ...invitation },
              { now, timezone: admin.timezone },
              onAdminPage(admin),
            ),
          );
        } catch (error) {
          if (error instanceof AddressRefused)
            await recordRefusedAddress(db(), admin.orgId, onAdminPage(admin), error.email, now);
          throw error;
        }
        return succeeded(`Invitation sent to ${invitation.email}. It is in the outbox if no mail server is set up.`);
      }
      case "resend": {
        const { id } = await submitOnce(db(), admin, input.submission, now, (tx) =>
          resendInvitation(tx, admin.orgId, input.invitationId, now, onAdminPage(admin)),
        );
        const email = (await waitingInvitations(db(), admin.orgId, now)).find((i) => i.id === id)?.email;
        return succeeded(`A new invitation link went to ${email ?? "them"}; the earlier link no longer works.`);
      }
      case "revoke": {
        const email = await revokeInvitation(db(), admin.orgId, input.invitationId, now, onAdminPage(admin));
        return succeeded(`The invitation to ${email} is revoked: its link no longer works.`);
      }
    }
  });
}

export default function AdminUsers() {
  const { people, teams, waiting, submission } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div>
      <div className="mb-4">
        <ResultMessage result={result} />
      </div>
      <section className="card mb-6">
        <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
          <h2 className="text-lg font-semibold">Invite someone</h2>
          <Link to="/admin/people/import" className="underline">
            Import many from a file
          </Link>
        </div>
        <Form method="post" className="grid gap-4 sm:grid-cols-2" noValidate>
          <input type="hidden" name="submission" value={submission} />
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
      {waiting.length ? <WaitingInvitations waiting={waiting} submission={submission} /> : null}
      <section className="card">
        <h2 className="mb-3 text-lg font-semibold">People ({people.length})</h2>
        {people.length === 1 ? (
          <p className="mb-3 text-slate-700">
            It's just you so far. Invite your reps and managers above: each gets a link to join.
          </p>
        ) : null}
        <ScrollArea label="People">
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
                  <td className="py-2">
                    {!p.active ? (
                      <span className="text-red-700">Deactivated</span>
                    ) : p.joined ? (
                      "Active"
                    ) : (
                      <span className="text-slate-600">Not signed in yet</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollArea>
      </section>
    </div>
  );
}

type Waiting = ReturnType<typeof useLoaderData<typeof loader>>["waiting"];

/** Invitations not accepted yet: each can be sent again (a new link) or revoked. */
function WaitingInvitations({ waiting, submission }: { waiting: Waiting; submission: string }) {
  return (
    <section className="card mb-6" aria-labelledby="waiting-heading">
      <h2 id="waiting-heading" className="mb-1 text-lg font-semibold">
        {`Invitations waiting (${waiting.length})`}
      </h2>
      <p className="mb-3 text-sm text-slate-600">
        Sending one again mails a new link for another 7 days; the earlier link stops working.
      </p>
      <ul className="divide-y divide-slate-100">
        {waiting.map((invitation) => (
          <li key={invitation.id} className="flex flex-col gap-2 py-3 sm:flex-row sm:items-center sm:justify-between">
            <div className="min-w-0">
              <p className="break-words font-medium">{invitation.email}</p>
              <p className="text-sm text-slate-600">
                <span className="capitalize">{invitation.roles.join(", ")}</span>
                {invitation.team ? ` · ${invitation.team}` : ""} ·{" "}
                {invitation.expired ? (
                  <span className="text-red-800">link expired {invitation.expiresDay}</span>
                ) : (
                  `link works until ${invitation.expiresDay}`
                )}
              </p>
            </div>
            <div className="flex gap-2">
              <Form method="post">
                <input type="hidden" name="intent" value="resend" />
                <input type="hidden" name="invitationId" value={invitation.id} />
                <input type="hidden" name="submission" value={submission} />
                <button
                  type="submit"
                  className="btn-secondary text-sm"
                  aria-label={`Send again to ${invitation.email}`}
                >
                  Send again
                </button>
              </Form>
              <Form method="post">
                <input type="hidden" name="intent" value="revoke" />
                <input type="hidden" name="invitationId" value={invitation.id} />
                <button
                  type="submit"
                  className="btn-secondary text-sm"
                  aria-label={`Revoke the invitation to ${invitation.email}`}
                >
                  Revoke
                </button>
              </Form>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
