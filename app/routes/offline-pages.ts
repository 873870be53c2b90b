import { db } from "~/db/connection.server";
import type { Route } from "./+types/offline-pages";
import { requireUser } from "~/features/auth/require-user.server";
import { offlinePages } from "~/features/offline/offline-pages.server";

/** The signed-in person and the pages their phone keeps for reading offline (public/sw.js saves them). */
export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args);
  const pages = await offlinePages(db(), user, new Date());
  return Response.json({ user: user.id, pages }, { headers: { "Cache-Control": "private, no-store" } });
}
