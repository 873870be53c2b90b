import { redirect } from "react-router";
import type { Route } from "./+types/logout";
import { clearSessionCookie } from "~/features/auth/cookie.server";
import { currentSessionId } from "~/features/auth/require-user.server";
import { invalidateSession } from "~/features/auth/sessions.server";

export function loader() {
  return redirect("/");
}

export function action(args: Route.ActionArgs) {
  const sessionId = currentSessionId(args);
  if (sessionId) invalidateSession(sessionId);
  return redirect("/login", { headers: { "Set-Cookie": clearSessionCookie(args.request) } });
}
