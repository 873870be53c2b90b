import { db } from "~/db/connection.server";
import type { Route } from "./+types/audit-export";
import { auditCsv, parseAuditFilter } from "~/features/audit/audit.server";
import { requireUser } from "~/features/auth/require-user.server";
import { dayIn } from "~/shared/days";

/** The audit trail as CSV, with the page's filter. */
export async function loader(args: Route.LoaderArgs) {
  const admin = requireUser(args, "admin");
  const now = new Date();
  const { filter } = parseAuditFilter(new URL(args.request.url));
  return new Response(await auditCsv(db(), admin.orgId, filter, admin.timezone, now), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="flywheel-audit-${dayIn(admin.timezone, now)}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
