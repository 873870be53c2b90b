import { db } from "~/db/connection.server";
import type { Route } from "./+types/content-image";
import { notFound, requireUser } from "~/features/auth/require-user.server";
import { imageForReader } from "~/features/content/images.server";

/**
 * An uploaded image, to the signed-in people of its organization only. Its name is its content's
 * hash, so a browser may keep it for a year without asking again (decision 032).
 */
export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args);
  const image = await imageForReader(db(), user.orgId, args.params.name);
  if (!image) throw notFound("We could not find that image.");
  const etag = `"${image.name}"`;
  const headers = {
    "Cache-Control": "private, max-age=31536000, immutable",
    ETag: etag,
    "X-Content-Type-Options": "nosniff",
    // Opened on its own it is only ever a picture, never a page that runs anything.
    "Content-Security-Policy": "default-src 'none'; sandbox",
  };
  if (
    args.request.headers
      .get("if-none-match")
      ?.split(/\s*,\s*/)
      .includes(etag)
  )
    return new Response(null, { status: 304, headers });
  return new Response(new Uint8Array(image.data), {
    headers: { ...headers, "Content-Type": image.contentType, "Content-Length": String(image.data.length) },
  });
}
