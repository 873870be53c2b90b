import { db } from "~/db/connection.server";
import type { Route } from "./+types/content-insights-export";
import { notFound, requireUser } from "~/features/auth/require-user.server";
import {
  contentInsights,
  lessonItemInsights,
  parseContentFilter,
  toCsv,
  type Table,
} from "~/features/content-insights/content-insights.server";

/** Every content insights table as CSV, with the page's team and period (and a lesson's version). */
export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args, "content");
  const url = new URL(args.request.url);
  const filter = parseContentFilter(url);
  const name = /^([a-z-]+)\.csv$/.exec(args.params.file)?.[1];
  const now = new Date();
  let table: Table | undefined;
  if (name === "questions") {
    const lessonId = url.searchParams.get("lesson");
    if (!lessonId) throw notFound("Say which lesson's questions to download.");
    table = (await lessonItemInsights(db(), user, lessonId, filter, now)).tables.questions;
  } else if (name) {
    const tables: Record<string, Table> = (await contentInsights(db(), user, filter, now)).tables;
    table = Object.hasOwn(tables, name) ? tables[name] : undefined;
  }
  if (!table) throw notFound("There is no such table to download.");
  return new Response(toCsv(table), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="flywheel-content-${name}-${now.toISOString().slice(0, 10)}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
