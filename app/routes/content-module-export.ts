import { db } from "~/db/connection.server";
import type { Route } from "./+types/content-module-export";
import { notFound, requireUser } from "~/features/auth/require-user.server";
import { exportModule } from "~/features/content/module-files.server";
import { Refusal } from "~/features/refusal";

/** One of the organization's modules as a .zip in the folder format of content/ (decision 032). */
export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args, "content");
  let zip: Awaited<ReturnType<typeof exportModule>>;
  try {
    zip = await exportModule(db(), user.orgId, args.params.moduleId);
  } catch (error) {
    if (error instanceof Refusal)
      return new Response(error.message, {
        status: error.status,
        headers: { "Content-Type": "text/plain; charset=utf-8" },
      });
    throw error;
  }
  if (!zip) throw notFound("We could not find that module.");
  return new Response(zip.bytes, {
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": `attachment; filename="${zip.fileName}"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
