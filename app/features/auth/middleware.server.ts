import type { MiddlewareFunction } from "react-router";
import { authContext } from "./context";
import { clearSessionCookie, readSessionToken, sessionCookie } from "./cookie.server";
import { validateSessionToken } from "./sessions.server";

/** Loads the session once per request and renews its cookie when the session slid forward. */
export const loadSession: MiddlewareFunction<Response> = async ({ request, context }, next) => {
  const token = readSessionToken(request);
  const valid = token ? validateSessionToken(token) : null;
  context.set(authContext, valid ? { user: valid.user, sessionId: valid.sessionId } : null);
  const response = await next();
  if (token && !valid) response.headers.append("Set-Cookie", clearSessionCookie(request));
  else if (token && valid?.renewed) response.headers.append("Set-Cookie", sessionCookie(request, token));
  return response;
};
