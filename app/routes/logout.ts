import { redirect } from "react-router";
import { db } from "~/db/connection.server";
import type { Route } from "./+types/logout";
import { clearSessionCookie } from "~/features/auth/cookie.server";
import { currentSessionId } from "~/features/auth/require-user.server";
import { invalidateSession } from "~/features/auth/sessions.server";

export async function loader() {
  return redirect("/");
}

export async function action(args: Route.ActionArgs) {
  const sessionId = currentSessionId(args);
  if (sessionId) await invalidateSession(db(), sessionId);
  return redirect("/login", { headers: { "Set-Cookie": clearSessionCookie(args.request) } });
}
