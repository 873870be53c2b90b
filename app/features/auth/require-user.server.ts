// Every loader and action starts here: who is asking, and may they?
import { data, redirect, type RouterContextProvider } from "react-router";
import type { Role } from "~/db/model";
import { log } from "~/features/ops/log.server";
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
 * without any of the roles asked for.
 */
export function requireUser(args: Args, options: { role?: Role | Role[] } = {}): SessionUser {
  const user = optionalUser(args);
  if (!user) {
    const url = new URL(args.request.url);
    const back = url.pathname + url.search;
    throw redirect(back === "/" ? "/login" : `/login?redirectTo=${encodeURIComponent(back)}`);
  }
  const allowed = options.role === undefined ? [] : ([] as Role[]).concat(options.role);
  if (allowed.length > 0 && !allowed.some((role) => user.roles.includes(role))) {
    log.warn({ userId: user.id, orgId: user.orgId, url: args.request.url, need: allowed }, "authorization refused");
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
