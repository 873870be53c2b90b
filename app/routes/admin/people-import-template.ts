import type { Route } from "./+types/people-import-template";
import { requireUser } from "~/features/auth/require-user.server";
import { IMPORT_TEMPLATE } from "~/features/people/people-file.server";

/** The import's template: the header and three example people, as CSV. */
export function loader(args: Route.LoaderArgs) {
  requireUser(args, "admin");
  return new Response(IMPORT_TEMPLATE, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": 'attachment; filename="flywheel-people-template.csv"',
      "Cache-Control": "private, no-store",
    },
  });
}
