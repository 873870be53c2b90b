// Every loader and action starts here: who is asking, and may they?
import { data, redirect, type RouterContextProvider } from "react-router";
import { log } from "~/shared/log.server";
import { mayEnter, type AreaName } from "./access";
import { authContext } from "./context";
import type { SessionUser } from "./sessions.server";

type Args = { request: Request; context: Readonly<RouterContextProvider> };

export function optionalUser({ context }: Args): SessionUser | null {
  return context.get(authContext)?.user ?? null;
}

export function currentSessionId({ context }: Args): string | null {
  return context.get(authContext)?.sessionId ?? null;
}

/**
 * Returns the signed-in user, or throws: a redirect to /login for a visitor, a 403 for a user
 * whose roles do not enter the area (access.ts, the table the navigation reads too). Without an
 * area, any signed-in person may enter.
 */
export function requireUser(args: Args, area?: AreaName): SessionUser {
  const user = optionalUser(args);
  if (!user) {
    const url = new URL(args.request.url);
    const back = url.pathname + url.search;
    throw redirect(back === "/" ? "/login" : `/login?redirectTo=${encodeURIComponent(back)}`);
  }
  if (area && !mayEnter(user.roles, area)) {
    log.warn({ userId: user.id, orgId: user.orgId, url: args.request.url, area }, "authorization refused");
    throw forbidden();
  }
  return user;
}

export function forbidden(message = "You do not have access to this page.") {
  return data({ message }, { status: 403 });
}

/** For objects outside the user's organization or scope: we do not confirm they exist. */
export function notFound(message = "We could not find that page.") {
  return data({ message }, { status: 404 });
}
