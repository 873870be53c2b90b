import { Form, Link, redirect, useActionData, useLoaderData } from "react-router";
import { z } from "zod";
import { db } from "~/db/connection.server";
import type { Route } from "./+types/content-history";
import { notFound, requireUser } from "~/features/auth/require-user.server";
import { failed, handleForm } from "~/features/forms";
import { Refusal } from "~/features/refusal";
import { draftState, lessonHistory, restoreVersion, versionSources } from "~/features/studio/drafts.server";
import { lineDiff } from "~/features/studio/line-diff";
import { momentLabel } from "~/shared/date-formats";
import { FormMessage } from "~/ui/form";
import { PageHeader } from "~/ui/page";
import { SmallForm } from "~/ui/small-form";

export const meta: Route.MetaFunction = () => [{ title: "Lesson history · Content · Flywheel" }];

const versionId = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/);

export async function loader(args: Route.LoaderArgs) {
  const trainer = requireUser(args, "content");
  const lessonId = args.params.lessonId;
  const now = new Date();
  let versions;
  let draft;
  try {
    versions = await lessonHistory(db(), trainer.orgId, lessonId);
    draft = await draftState(db(), trainer, lessonId, now);
  } catch (error) {
    if (error instanceof Refusal && error.status === 404) throw notFound(error.message);
    throw error;
  }
  const url = new URL(args.request.url);
  // By default the two newest versions are compared.
  const from = versionId.safeParse(url.searchParams.get("from")).data ?? versions[1]?.id;
  const to = versionId.safeParse(url.searchParams.get("to")).data ?? versions[0]?.id;
  let diff = null;
  if (from && to && from !== to) {
    const sources = await versionSources(db(), trainer.orgId, lessonId, [from, to]);
    if (sources.has(from) && sources.has(to)) diff = lineDiff(sources.get(from)!, sources.get(to)!);
  }
  return {
    lessonId,
    versions: versions.map((v, i) => ({
      ...v,
      number: versions.length - i,
      day: momentLabel(v.createdAt, trainer.timezone, now),
    })),
    from: from ?? null,
    to: to ?? null,
    diff,
    draft: {
      revision: draft.revision,
      unpublished: draft.unpublished,
      savedBy: draft.savedBy,
      savedOn: momentLabel(draft.savedAt, trainer.timezone, now),
    },
  };
}

type RestoreDetail = { confirm: { version: string; revision: number; savedBy: string | null; savedOn: string } };

export async function action(args: Route.ActionArgs) {
  const trainer = requireUser(args, "content");
  return handleForm(
    args.request,
    z.object({
      intent: z.literal("restore"),
      version: versionId,
      revision: z.coerce.number({ error: "The page is out of date. Reload it." }).int().min(0),
      confirm: z.literal("1").optional(),
    }),
    async ({ version, revision, confirm }) => {
      const now = new Date();
      const outcome = await restoreVersion(
        db(),
        trainer,
        args.params.lessonId,
        version,
        { revision, confirm: confirm === "1" },
        now,
      );
      if (!outcome.ok) {
        const { savedBy, savedAt } = outcome.unpublished;
        return failed<RestoreDetail>(
          "The draft has changes that are not published yet. Restoring this version replaces them.",
          409,
          {
            oneMessage: true,
            detail: {
              confirm: { version, revision, savedBy, savedOn: momentLabel(savedAt, trainer.timezone, now) },
            },
          },
        );
      }
      return redirect(`/content/lessons/${args.params.lessonId}?saved=1`, 303);
    },
    { oneMessage: true },
  );
}

export default function LessonHistory() {
  const { lessonId, versions, from, to, diff, draft } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const confirm = result && "detail" in result ? (result.detail as RestoreDetail | undefined)?.confirm : undefined;
  const asked = confirm ? versions.find((v) => v.id === confirm.version) : undefined;
  const label = (id: string | null) => {
    const v = versions.find((x) => x.id === id);
    return v ? `Version ${v.number} (${v.day})` : "";
  };
  return (
    <div>
      <PageHeader title="Published versions">
        Every version reps have seen, newest first.{" "}
        <Link to={`/content/lessons/${lessonId}`} className="underline">
          Back to the editor
        </Link>
      </PageHeader>
      {result && !result.ok && result.formError ? (
        <FormMessage>
          {result.formError}
          {confirm && asked ? (
            <>
              {" "}
              They were saved by {confirm.savedBy ?? "a trainer"} on {confirm.savedOn}; open the editor to copy them
              first, or{" "}
              <SmallForm
                intent="restore"
                fields={{ version: confirm.version, revision: String(confirm.revision), confirm: "1" }}
                label={`Restore version ${asked.number} over the unpublished changes`}
              >
                Restore version {asked.number} anyway
              </SmallForm>
            </>
          ) : null}
        </FormMessage>
      ) : draft.unpublished ? (
        <p className="mb-4 text-sm text-slate-700">
          The draft has changes not published yet (saved by {draft.savedBy ?? "a trainer"} on {draft.savedOn}):
          restoring a version asks before it replaces them.
        </p>
      ) : null}
      {versions.length === 0 ? <p className="card">Not published yet.</p> : null}
      <ol className="flex flex-col gap-2">
        {versions.map((v) => (
          <li key={v.id} className="card flex flex-wrap items-center justify-between gap-2">
            <span>
              <strong>Version {v.number}</strong> · {v.title} · {v.day} by {v.author ?? "the built-in library"}
              {v.current ? " · current" : ""}
            </span>
            <SmallForm
              intent="restore"
              fields={{ version: v.id, revision: String(draft.revision) }}
              label={`Restore version ${v.number} as the draft`}
            >
              Restore as draft
            </SmallForm>
          </li>
        ))}
      </ol>
      {versions.length > 1 ? (
        <Form method="get" className="card mt-6 flex flex-wrap items-end gap-3">
          <div>
            <label htmlFor="diff-from" className="label">
              Compare
            </label>
            <select id="diff-from" name="from" defaultValue={from ?? ""} className="field">
              {versions.map((v) => (
                <option key={v.id} value={v.id}>
                  Version {v.number}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="diff-to" className="label">
              with
            </label>
            <select id="diff-to" name="to" defaultValue={to ?? ""} className="field">
              {versions.map((v) => (
                <option key={v.id} value={v.id}>
                  Version {v.number}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="btn-secondary">
            Show the differences
          </button>
        </Form>
      ) : null}
      {diff ? (
        <section aria-labelledby="diff-heading" className="mt-4">
          <h2 id="diff-heading" className="mb-2 font-semibold">
            {label(from)} → {label(to)}
          </h2>
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="w-full table-fixed font-mono text-xs">
              <caption className="sr-only">Lines removed (left) and added (right)</caption>
              <thead>
                <tr>
                  <th scope="col" className="w-1/2 p-1 text-left">
                    {label(from)}
                  </th>
                  <th scope="col" className="w-1/2 p-1 text-left">
                    {label(to)}
                  </th>
                </tr>
              </thead>
              <tbody>
                {diff.map((row, i) => (
                  <tr key={i}>
                    <td
                      className={`whitespace-pre-wrap break-words p-1 align-top ${row.kind === "changed" && row.left !== null ? "bg-red-50" : ""}`}
                    >
                      {row.kind === "changed" && row.left !== null ? <span className="sr-only">Removed: </span> : null}
                      {row.left ?? ""}
                    </td>
                    <td
                      className={`whitespace-pre-wrap break-words p-1 align-top ${row.kind === "changed" && row.right !== null ? "bg-green-50" : ""}`}
                    >
                      {row.kind === "changed" && row.right !== null ? <span className="sr-only">Added: </span> : null}
                      {row.right ?? ""}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
    </div>
  );
}
