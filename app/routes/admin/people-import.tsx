import { useState } from "react";
import { Form, Link, useActionData, useNavigation } from "react-router";
import { z } from "zod";
import { db } from "~/db/connection.server";
import { ROLES } from "~/db/model";
import type { Route } from "./+types/people-import";
import { requireUser } from "~/features/auth/require-user.server";
import { failed, handleForm, succeeded } from "~/features/forms";
import { applyImport, planView, previewImport, type ImportPlanView } from "~/features/people/import.server";
import { IMPORT_COLUMNS, MAX_IMPORT_BYTES, MAX_IMPORT_ROWS } from "~/features/people/people-file.server";
import { Refusal } from "~/features/refusal";
import { readCappedForm } from "~/features/uploads.server";
import { ResultMessage } from "~/ui/form";

export const meta: Route.MetaFunction = () => [{ title: "Import people · Admin · Flywheel" }];

export function loader(args: Route.LoaderArgs) {
  requireUser(args, "admin");
  return { maxBytes: MAX_IMPORT_BYTES, maxRows: MAX_IMPORT_ROWS, columns: IMPORT_COLUMNS };
}

const hash = z.string().regex(/^[0-9a-f]{64}$/, { error: "The form is out of date. Run the dry run again." });
const actionSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("preview") }),
    z.object({
      intent: z.literal("apply"),
      fileHash: hash,
      planHash: hash,
      // The count the admin saw beside the box they ticked: the apply refuses any other.
      deactivateMissing: z.coerce.number().int().min(0).optional(),
    }),
  ],
  { error: "This page does not know that action. Reload it and try again." },
);

const megabytes = MAX_IMPORT_BYTES / 1024 / 1024;
const tooLarge = () =>
  new Refusal(
    `The file is larger than ${megabytes} MB. Split it into several files and import them one after the other.`,
    413,
  );
// The file and the few fields around it.
const FORM_OVERHEAD_BYTES = 64 * 1024;

export async function action(args: Route.ActionArgs) {
  const admin = requireUser(args, "admin");
  const now = new Date();
  const by = { userId: admin.id, email: admin.email, source: "import" as const };
  return handleForm(
    args.request,
    actionSchema,
    async (input, form) => {
      const file = form.get("file");
      if (!(file instanceof File) || file.size === 0)
        throw new Refusal(
          input.intent === "apply"
            ? "Choose the file of your dry run again, then apply it."
            : "Choose a CSV file to import.",
          400,
          "file",
        );
      if (file.size > MAX_IMPORT_BYTES) throw tooLarge();
      const bytes = new Uint8Array(await file.arrayBuffer());
      const preview = async () => planView(await previewImport(db(), admin.orgId, admin, bytes, by, now));
      if (input.intent === "preview") return succeeded<ImportPlanView>(null, await preview());
      try {
        const done = await applyImport(
          db(),
          admin.orgId,
          admin,
          bytes,
          { fileHash: input.fileHash, planHash: input.planHash, deactivateMissing: input.deactivateMissing ?? null },
          by,
          now,
        );
        return succeeded<ImportPlanView>(
          `Imported. ${done.created} added and invited, ${done.changed} changed, ${done.unchanged} unchanged, ` +
            `${done.teamsCreated} team${done.teamsCreated === 1 ? "" : "s"} created, ${done.deactivated} deactivated.`,
        );
      } catch (error) {
        // The file or the organization changed since the dry run: show the new one with the refusal.
        if (!(error instanceof Refusal) || error.status !== 409) throw error;
        return failed(error.message, 409, { detail: await preview() });
      }
    },
    { read: (request) => readCappedForm(request, MAX_IMPORT_BYTES + FORM_OVERHEAD_BYTES, tooLarge) },
  );
}

export default function PeopleImport({ loaderData }: Route.ComponentProps) {
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [clientError, setClientError] = useState<string | null>(null);
  const plan = result?.detail ?? null;
  const busy = navigation.state === "submitting";
  return (
    <div>
      <p className="mb-4 text-sm">
        <Link to="/admin/users">← All people</Link>
      </p>
      <h2 className="mb-2 text-xl font-semibold">Import people from a file</h2>
      <section className="card mb-6" aria-labelledby="file-heading">
        <h3 id="file-heading" className="mb-2 font-semibold">
          The file
        </h3>
        <p className="mb-2 text-slate-700">
          A CSV file (UTF-8, comma- or semicolon-separated) with one person a line and these columns:{" "}
          <code>{loaderData.columns.join(", ")}</code>. Roles are {ROLES.join(", ")}; several roles or teams are
          separated by “;”. A rep is a member of the teams under <em>team</em>, a manager manages those under{" "}
          <em>manages</em>. Teams named under team that do not exist yet are created.
        </p>
        <p className="mb-2 text-slate-700">
          Each line says what the person should be: importing the same file again changes nothing. New people are
          invited by e-mail; nobody else is mailed. At most {loaderData.maxRows.toLocaleString("en-US")} people and{" "}
          {loaderData.maxBytes / 1024 / 1024} MB a file.
        </p>
        <p>
          <a href="/admin/people/import/template.csv" download className="underline">
            Download the template (CSV)
          </a>
        </p>
      </section>
      <div className="mb-4" aria-live="polite">
        <ResultMessage result={clientError ? { formError: clientError, message: null } : result} />
      </div>
      <Form
        method="post"
        encType="multipart/form-data"
        className="card mb-6"
        onSubmit={(event) => {
          const input = event.currentTarget.elements.namedItem("file") as HTMLInputElement | null;
          const chosen = input?.files?.[0];
          // Said at once rather than after uploading 60 MB; the server checks the same.
          if (chosen && chosen.size > loaderData.maxBytes) {
            event.preventDefault();
            setClientError(
              `The file is larger than ${loaderData.maxBytes / 1024 / 1024} MB. Split it into several files and import them one after the other.`,
            );
          } else setClientError(null);
        }}
      >
        <label htmlFor="import-file" className="label">
          CSV file
        </label>
        <input
          id="import-file"
          name="file"
          type="file"
          accept=".csv,text/csv"
          className="field"
          aria-describedby="import-file-hint"
          aria-invalid={result?.fieldErrors.file ? true : undefined}
        />
        <p id="import-file-hint" className="mt-1 text-sm text-slate-600">
          First a dry run shows what the file would change; nothing changes until you apply it.
          {plan ? " To apply, the same file is sent again: if the field above is empty, choose the file again." : ""}
        </p>
        {result?.fieldErrors.file ? (
          <p className="field-error" role="alert">
            {result.fieldErrors.file}
          </p>
        ) : null}
        <div className="mt-3 flex flex-wrap gap-2">
          <button type="submit" name="intent" value="preview" className="btn-secondary" disabled={busy}>
            Dry run
          </button>
        </div>
        {plan ? <DryRun plan={plan} busy={busy} /> : null}
      </Form>
    </div>
  );
}

/** What the file would do, and (when it has no problems) the apply with its confirmations. */
function DryRun({ plan, busy }: { plan: ImportPlanView; busy: boolean }) {
  const { counts } = plan;
  return (
    <section className="mt-6 border-t border-slate-200 pt-4" aria-labelledby="dry-run-heading">
      <h3 id="dry-run-heading" className="mb-2 text-lg font-semibold">
        Dry run
      </h3>
      <ul className="mb-4 grid gap-1 sm:grid-cols-2">
        <li>
          <strong>{counts.create}</strong> to add and invite
        </li>
        <li>
          <strong>{counts.change}</strong> to change
        </li>
        <li>
          <strong>{counts.unchanged}</strong> unchanged
        </li>
        <li>
          <strong>{plan.newTeamCount}</strong> new team{plan.newTeamCount === 1 ? "" : "s"}
          {plan.newTeams.length ? `: ${plan.newTeams.join(", ")}` : ""}
        </li>
        <li className={plan.problemCount ? "text-red-800" : undefined}>
          <strong>{plan.problemCount}</strong> problem{plan.problemCount === 1 ? "" : "s"}
        </li>
        <li>
          <strong>{plan.missingCount}</strong> active {plan.missingCount === 1 ? "person" : "people"} not in the file
        </li>
      </ul>
      {plan.problemCount ? (
        <div className="mb-4" role="alert">
          <p className="mb-1 font-semibold text-red-800">
            The file has {plan.problemCount === 1 ? "a problem" : `${plan.problemCount} problems`}: nothing will be
            imported until {plan.problemCount === 1 ? "it is" : "they are"} corrected.
          </p>
          <ul className="list-disc pl-5 text-red-800">
            {plan.problems.map((p, i) => (
              <li key={i} className="break-words">
                {p.message}
              </li>
            ))}
          </ul>
          {plan.problemCount > plan.problems.length ? (
            <p className="mt-1 text-slate-700">…and {plan.problemCount - plan.problems.length} more.</p>
          ) : null}
        </div>
      ) : null}
      <PeopleList title="To add and invite" people={plan.create} total={counts.create} />
      <PeopleList title="To change" people={plan.change} total={counts.change} />
      {plan.problemCount === 0 ? (
        <div className="mt-4">
          <input type="hidden" name="fileHash" value={plan.fileHash} />
          <input type="hidden" name="planHash" value={plan.planHash} />
          {plan.missingCount > 0 ? (
            <fieldset className="mb-4 rounded border border-amber-300 bg-amber-50 p-3">
              <legend className="px-1 font-semibold">People not in the file</legend>
              <p className="mb-2 text-slate-700">
                {plan.missing.map((p) => p.email).join(", ")}
                {plan.missingCount > plan.missing.length ? ` …and ${plan.missingCount - plan.missing.length} more` : ""}
              </p>
              <label className="flex items-start gap-2">
                <input type="checkbox" name="deactivateMissing" value={plan.missingCount} className="mt-1" />
                <span>
                  Also deactivate these {plan.missingCount} {plan.missingCount === 1 ? "person" : "people"} (they keep
                  their history and are signed out everywhere)
                </span>
              </label>
            </fieldset>
          ) : null}
          <button type="submit" name="intent" value="apply" className="btn" disabled={busy}>
            Apply this import
          </button>
        </div>
      ) : null}
    </section>
  );
}

function PeopleList({ title, people, total }: { title: string; people: ImportPlanView["create"]; total: number }) {
  if (total === 0) return null;
  return (
    <details className="mb-3" open={total <= 20}>
      <summary className="cursor-pointer font-semibold">
        {title} ({total})
      </summary>
      <ul className="mt-2 divide-y divide-slate-100">
        {people.map((p) => (
          <li key={p.email} className="py-2">
            <p className="break-words">
              <span className="text-slate-500">Line {p.line} · </span>
              <strong>{p.name}</strong> <span className="text-slate-600">{p.email}</span>
            </p>
            <p className="break-words text-sm text-slate-700">{p.changes.join(" · ")}</p>
          </li>
        ))}
      </ul>
      {total > people.length ? <p className="text-slate-700">…and {total - people.length} more.</p> : null}
    </details>
  );
}
