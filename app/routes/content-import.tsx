import { useState } from "react";
import { Form, Link, useActionData, useNavigation } from "react-router";
import { z } from "zod";
import { db } from "~/db/connection.server";
import type { Route } from "./+types/content-import";
import { requireUser } from "~/features/auth/require-user.server";
import type { ContentError } from "~/features/content/analyze.server";
import { importModule, tooLargeZip } from "~/features/content/module-files.server";
import { MAX_MODULE_UNPACKED_BYTES, MAX_MODULE_ZIP_BYTES } from "~/features/content/module-zip.server";
import { failed, handleForm, succeeded } from "~/features/forms";
import { Refusal } from "~/features/refusal";
import { readCappedForm } from "~/features/uploads.server";
import { ResultMessage } from "~/ui/form";
import { PageHeader } from "~/ui/page";

export const meta: Route.MetaFunction = () => [{ title: "Import a module · Content · Flywheel" }];

export function loader(args: Route.LoaderArgs) {
  requireUser(args, "content");
  return { maxZipMb: MAX_MODULE_ZIP_BYTES / 1024 / 1024, maxUnpackedMb: MAX_MODULE_UNPACKED_BYTES / 1024 / 1024 };
}

const actionSchema = z.object({
  // Empty: the module keeps the slug of its folder in the zip.
  slug: z.string().trim().max(80, { error: "Keep the address under 80 characters." }).optional(),
});

type ImportDetail = {
  errors: ContentError[];
  slugTaken: { slug: string; title: string; suggestion: string } | null;
  imported: { moduleId: string; slug: string; title: string; lessons: number; warnings: number } | null;
};

// The file and the one field beside it.
const FORM_OVERHEAD_BYTES = 64 * 1024;

export async function action(args: Route.ActionArgs) {
  const user = requireUser(args, "content");
  return handleForm(
    args.request,
    actionSchema,
    async (input, form) => {
      const file = form.get("file");
      if (!(file instanceof File) || file.size === 0)
        throw new Refusal("Choose a module's .zip file to import.", 400, "file");
      if (file.size > MAX_MODULE_ZIP_BYTES) throw tooLargeZip();
      const outcome = await importModule(db(), user, new Uint8Array(await file.arrayBuffer()), {
        slug: input.slug || undefined,
      });
      if (outcome.ok)
        return succeeded<ImportDetail>(
          `Imported “${outcome.title}”: ${outcome.lessons} lesson${outcome.lessons === 1 ? "" : "s"} published to your reps.`,
          {
            errors: [],
            slugTaken: null,
            imported: {
              moduleId: outcome.moduleId,
              slug: outcome.slug,
              title: outcome.title,
              lessons: outcome.lessons,
              warnings: outcome.warnings.length,
            },
          },
        );
      const problems = outcome.errors.length;
      const message = problems
        ? `The zip has ${problems === 1 ? "a problem" : `${problems} problems`}; nothing was imported. Correct ${problems === 1 ? "it" : "them"} and import the zip again.`
        : `Your organization already has a module at “${outcome.slugTaken!.slug}” (${outcome.slugTaken!.title}); nothing was imported. Import this one under another address, such as “${outcome.slugTaken!.suggestion}”.`;
      return failed<ImportDetail>(message, 422, {
        detail: { errors: outcome.errors, slugTaken: outcome.slugTaken, imported: null },
      });
    },
    { read: (request) => readCappedForm(request, MAX_MODULE_ZIP_BYTES + FORM_OVERHEAD_BYTES, tooLargeZip) },
  );
}

export default function ContentImport({ loaderData }: Route.ComponentProps) {
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [clientError, setClientError] = useState<string | null>(null);
  const detail = (result?.detail ?? null) as ImportDetail | null;
  const busy = navigation.state === "submitting";
  const slugError =
    result?.fieldErrors.slug ?? (detail?.slugTaken ? "This address is taken in your organization." : null);
  return (
    <div>
      <p className="mb-4 text-sm">
        <Link to="/content">← Content</Link>
      </p>
      <PageHeader title="Import a module">
        A module exported from Flywheel, or a module folder zipped as in the built-in library.
      </PageHeader>
      <section className="card mb-6" aria-labelledby="zip-heading">
        <h2 id="zip-heading" className="mb-2 font-semibold">
          The zip
        </h2>
        <p className="mb-2 text-slate-700">
          One folder named with the module&apos;s address (lower-case words joined by hyphens), holding{" "}
          <code>module.json</code> (title, summary, skill, order) and the lessons as <code>01-first-lesson.mdx</code>,{" "}
          <code>02-next-lesson.mdx</code>… with their frontmatter. Every lesson is checked as the built-in library is; a
          zip with any problem changes nothing, and every problem is listed with its file, line and column.
        </p>
        <p className="text-slate-700">
          At most {loaderData.maxZipMb} MB, and {loaderData.maxUnpackedMb} MB unpacked. Images are uploaded on the{" "}
          <Link className="underline" to="/content/images">
            Images
          </Link>{" "}
          page, not in the zip.
        </p>
      </section>
      <div className="mb-4" aria-live="polite">
        <ResultMessage result={clientError ? { formError: clientError, message: null } : result} />
      </div>
      {detail?.imported ? <Imported imported={detail.imported} /> : null}
      {detail?.errors.length ? <ProblemList errors={detail.errors} /> : null}
      <Form
        method="post"
        encType="multipart/form-data"
        className="card mb-6"
        onSubmit={(event) => {
          const input = event.currentTarget.elements.namedItem("file") as HTMLInputElement | null;
          const chosen = input?.files?.[0];
          // Said at once rather than after uploading it all; the server checks the same.
          if (chosen && chosen.size > loaderData.maxZipMb * 1024 * 1024) {
            event.preventDefault();
            setClientError(
              `That file is larger than ${loaderData.maxZipMb} MB. A module's lessons are text: check what else is in the zip.`,
            );
          } else setClientError(null);
        }}
      >
        <label htmlFor="module-zip" className="label">
          Module zip
        </label>
        <input
          id="module-zip"
          name="file"
          type="file"
          accept=".zip,application/zip"
          className="field"
          aria-invalid={result?.fieldErrors.file ? true : undefined}
          aria-describedby={result?.fieldErrors.file ? "module-zip-error" : undefined}
        />
        {result?.fieldErrors.file ? (
          <p id="module-zip-error" className="field-error" role="alert">
            {result.fieldErrors.file}
          </p>
        ) : null}
        <label htmlFor="module-slug" className="label mt-4">
          Address (optional)
        </label>
        <input
          id="module-slug"
          name="slug"
          type="text"
          className="field"
          autoComplete="off"
          defaultValue={detail?.slugTaken?.suggestion ?? ""}
          key={detail?.slugTaken?.suggestion ?? "slug"}
          aria-describedby="module-slug-hint"
          aria-invalid={slugError ? true : undefined}
        />
        <p id="module-slug-hint" className="mt-1 text-sm text-slate-600">
          Empty: the folder&apos;s name in the zip. The module&apos;s lessons are at /learn/<em>address</em>.
          {detail?.slugTaken ? " Choose the file again to import it under the address above." : ""}
        </p>
        {slugError ? (
          <p className="field-error" role="alert">
            {slugError}
          </p>
        ) : null}
        <div className="mt-4">
          <button type="submit" className="btn" disabled={busy}>
            {busy ? "Importing…" : "Check and import"}
          </button>
        </div>
      </Form>
    </div>
  );
}

function Imported({ imported }: { imported: NonNullable<ImportDetail["imported"]> }) {
  return (
    <section className="card mb-6" aria-labelledby="imported-heading">
      <h2 id="imported-heading" className="mb-2 font-semibold">
        {imported.title}
      </h2>
      <ul className="list-disc pl-5">
        <li>
          <Link className="underline" to={`/learn/${imported.slug}`}>
            Open it as your reps see it
          </Link>
        </li>
        <li>
          <a className="underline" href={`/content/modules/${imported.moduleId}/export.zip`} download>
            Download it as a zip
          </a>
        </li>
      </ul>
      {imported.warnings ? (
        <p className="mt-2 text-slate-700">
          {imported.warnings} of the library&apos;s conventions {imported.warnings === 1 ? "is" : "are"} not followed;
          the lessons load all the same. Open them in the editor to see where.
        </p>
      ) : null}
    </section>
  );
}

function ProblemList({ errors }: { errors: ContentError[] }) {
  return (
    <section className="card mb-6" aria-labelledby="problems-heading">
      <h2 id="problems-heading" className="mb-2 font-semibold text-red-800">
        {errors.length === 1 ? "1 problem" : `${errors.length} problems`}
      </h2>
      <ul className="divide-y divide-slate-100">
        {errors.map((e, i) => (
          <li key={i} className="py-2 break-words">
            <code className="text-sm text-slate-700">
              {e.file}:{e.line}:{e.column}
            </code>
            <p className="text-red-800">{e.message}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}
