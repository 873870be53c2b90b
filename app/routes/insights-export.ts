import { db } from "~/db/connection.server";
import type { Route } from "./+types/insights-export";
import { notFound, requireUser } from "~/features/auth/require-user.server";
import { insightsDashboard, parseInsightsFilter, toCsv, type TableName } from "~/features/insights/dashboard.server";

/** Every dashboard table as CSV, with the page's scope and period. */
export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args, "insights");
  const match = /^([a-z-]+)\.csv$/.exec(args.params.file);
  const dashboard = await insightsDashboard(db(), user, parseInsightsFilter(new URL(args.request.url)), new Date());
  const table = match ? dashboard.tables[match[1] as TableName] : undefined;
  if (!table) throw notFound("There is no such table to download.");
  return new Response(toCsv(table), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="flywheel-${match![1]}-${dashboard.today}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
