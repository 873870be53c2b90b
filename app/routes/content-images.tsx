import { Form, Link, useActionData, useNavigation } from "react-router";
import { z } from "zod";
import { db } from "~/db/connection.server";
import type { Route } from "./+types/content-images";
import { requireUser } from "~/features/auth/require-user.server";
import {
  deleteImage,
  imageAltField,
  MAX_IMAGE_BYTES,
  organizationImages,
  saveImage,
} from "~/features/content/images.server";
import { ORGANIZATION_IMAGE_NAME } from "~/features/content/rules/safe-subset";
import { handleForm, succeeded } from "~/features/forms";
import { Refusal } from "~/features/refusal";
import { readCappedForm } from "~/features/uploads.server";
import { ResultMessage } from "~/ui/form";
import { PageHeader } from "~/ui/page";
import { SmallForm } from "~/ui/small-form";

export const meta: Route.MetaFunction = () => [{ title: "Images · Content · Flywheel" }];

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args, "content");
  return { images: await organizationImages(db(), user.orgId), maxMb: MAX_IMAGE_BYTES / 1024 / 1024 };
}

const actionSchema = z.union([
  z.object({
    intent: z.literal("delete"),
    name: z.string().regex(ORGANIZATION_IMAGE_NAME, { error: "That image does not exist." }),
  }),
  z.object({ intent: z.literal("upload").optional(), alt: imageAltField }),
]);

const tooLarge = () =>
  new Refusal(
    "That image is larger than 2 MB. Save it smaller (a width of 1600 pixels is plenty) and upload it again.",
    413,
    "file",
  );
// The image and the description beside it.
const FORM_OVERHEAD_BYTES = 16 * 1024;

export async function action(args: Route.ActionArgs) {
  const user = requireUser(args, "content");
  return handleForm(
    args.request,
    actionSchema,
    async (input, form) => {
      if (input.intent === "delete") {
        await deleteImage(db(), user.orgId, input.name);
        return succeeded("Deleted the image.");
      }
      const file = form.get("file");
      if (!(file instanceof File) || file.size === 0) throw new Refusal("Choose an image file to upload.", 400, "file");
      if (file.size > MAX_IMAGE_BYTES) throw tooLarge();
      const image = await saveImage(db(), user, new Uint8Array(await file.arrayBuffer()), input.alt, new Date());
      return succeeded(`Uploaded. Paste ${image.snippet} into a lesson to show it.`);
    },
    { read: (request) => readCappedForm(request, MAX_IMAGE_BYTES + FORM_OVERHEAD_BYTES, tooLarge) },
  );
}

export default function ContentImages({ loaderData }: Route.ComponentProps) {
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const { images, maxMb } = loaderData;
  return (
    <div>
      <p className="mb-4 text-sm">
        <Link to="/content">← Content</Link>
      </p>
      <PageHeader title="Images">
        Pictures for your organization&apos;s lessons, shown only to its people. Paste an image&apos;s snippet into a
        lesson where it belongs.
      </PageHeader>
      <div className="mb-4" aria-live="polite">
        <ResultMessage result={result} />
      </div>
      <Form method="post" encType="multipart/form-data" className="card mb-6">
        <input type="hidden" name="intent" value="upload" />
        <h2 className="mb-2 font-semibold">Upload an image</h2>
        <label htmlFor="image-file" className="label">
          Image (PNG, JPEG, WebP or GIF, at most {maxMb} MB)
        </label>
        <input
          id="image-file"
          name="file"
          type="file"
          accept="image/png,image/jpeg,image/webp,image/gif"
          className="field"
          aria-invalid={result?.fieldErrors.file ? true : undefined}
          aria-describedby={result?.fieldErrors.file ? "image-file-error" : undefined}
        />
        {result?.fieldErrors.file ? (
          <p id="image-file-error" className="field-error" role="alert">
            {result.fieldErrors.file}
          </p>
        ) : null}
        <label htmlFor="image-alt" className="label mt-4">
          What it shows
        </label>
        <input
          id="image-alt"
          name="alt"
          type="text"
          className="field"
          maxLength={200}
          aria-describedby="image-alt-hint"
          aria-invalid={result?.fieldErrors.alt ? true : undefined}
        />
        <p id="image-alt-hint" className="mt-1 text-sm text-slate-600">
          The alt text, read aloud to reps who cannot see the picture: “The pricing page with the discount field
          circled”.
        </p>
        {result?.fieldErrors.alt ? (
          <p className="field-error" role="alert">
            {result.fieldErrors.alt}
          </p>
        ) : null}
        <div className="mt-4">
          <button type="submit" className="btn" disabled={busy}>
            {busy ? "Uploading…" : "Upload"}
          </button>
        </div>
      </Form>
      <section aria-labelledby="images-heading">
        <h2 id="images-heading" className="mb-2 text-lg font-semibold">
          Your organization&apos;s images
        </h2>
        {images.length === 0 ? (
          <p className="text-slate-700">None yet. Uploaded images appear here with the snippet to paste.</p>
        ) : (
          <ul className="grid gap-4 sm:grid-cols-2">
            {images.map((image) => (
              <li key={image.url} className="card">
                <img src={image.url} alt={image.alt} className="mb-2 max-h-40 w-auto max-w-full" loading="lazy" />
                <label className="label" htmlFor={`snippet-${image.url}`}>
                  Snippet for a lesson
                </label>
                <input
                  id={`snippet-${image.url}`}
                  className="field font-mono text-sm"
                  readOnly
                  value={image.snippet}
                  onFocus={(event) => event.currentTarget.select()}
                />
                <div className="mt-1 flex items-center justify-between gap-2">
                  <p className="text-sm text-slate-600">{Math.max(1, Math.round(image.bytes / 1024))} KB</p>
                  <SmallForm intent="delete" fields={{ name: image.name }} label={`Delete ${image.alt}`}>
                    Delete
                  </SmallForm>
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
