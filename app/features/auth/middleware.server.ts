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
  else if (token && valid?.renewed) setCookieUnlessSet(response.headers, sessionCookie(request, token));
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
