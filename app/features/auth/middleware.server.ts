import { data, type MiddlewareFunction } from "react-router";
// Request-entry code, like a route: it takes the shared database handle and passes it on.
import { databaseUnavailable, db } from "~/db/connection.server";
import { authContext } from "./context";
import { clearSessionCookie, readSessionToken, sessionCookie, setCookieUnlessSet } from "./cookie.server";
import { validateSessionToken } from "./sessions.server";

/** Loads the session once per request and renews its cookie when the session slid forward. */
export const loadSession: MiddlewareFunction<Response> = async ({ request, context }, next) => {
  const token = readSessionToken(request);
  const valid = token ? await validateSessionToken(db(), token).catch(unreachableIs503) : null;
  context.set(authContext, valid ? { user: valid.user, sessionId: valid.sessionId } : null);
  const response = await next();
  if (token && !valid) setCookieUnlessSet(response.headers, clearSessionCookie(request));
  else if (token && valid?.renewed)
    setCookieUnlessSet(response.headers, sessionCookie(request, token, valid.lifetimeMs));
  // Pages and data for a signed-in person, and the answer that hands out a session, are never
  // stored by a shared cache or on disk. A route that chose its own caching (a lesson script,
  // named by its hash) keeps it.
  if ((valid || response.headers.has("Set-Cookie")) && !response.headers.has("Cache-Control"))
    response.headers.set("Cache-Control", "private, no-store");
  return response;
};

function unreachableIs503(error: unknown): never {
  if (databaseUnavailable(error))
    throw data(
      { message: "We can't reach the database just now. Try again in a moment." },
      { status: 503, headers: { "Retry-After": "5" } },
    );
  throw error;
}
