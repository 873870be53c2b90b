// The session cookie: `flywheel_session` over HTTP (local use), `__Host-flywheel_session` with
// `Secure` over HTTPS, so a production cookie can never be set by a sibling subdomain.
import { SESSION_IDLE_MS } from "./sessions.server";

const PLAIN = "flywheel_session";
const HOST = "__Host-flywheel_session";

/** The request's URL is the one the browser is on (browserOrigin, app/shared/proxy.server.ts). */
export function isHttps(request: Request): boolean {
  return new URL(request.url).protocol === "https:";
}

function readCookies(request: Request): Map<string, string> {
  const jar = new Map<string, string>();
  for (const part of (request.headers.get("cookie") ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    jar.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return jar;
}

export function readSessionToken(request: Request): string | null {
  const jar = readCookies(request);
  return (isHttps(request) ? jar.get(HOST) : jar.get(PLAIN)) ?? null;
}

/** The cookie for a session that lasts `lifetimeMs` from now (a new one: until it goes unused). */
export function sessionCookie(request: Request, token: string, lifetimeMs = SESSION_IDLE_MS): string {
  const secure = isHttps(request);
  const name = secure ? HOST : PLAIN;
  const maxAge = Math.floor(lifetimeMs / 1000);
  return `${name}=${token}; Max-Age=${maxAge}; Path=/; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
}

export function clearSessionCookie(request: Request): string {
  const secure = isHttps(request);
  return `${secure ? HOST : PLAIN}=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
}

/**
 * Adds `cookie` to the response unless the response already sets a cookie of that name: the
 * route's own Set-Cookie (a sign-in, a sign-out) is the newer decision. Sent after it, a
 * clearing or renewing cookie for the old session would replace the new one in the browser.
 */
export function setCookieUnlessSet(headers: Headers, cookie: string): void {
  const name = cookie.slice(0, cookie.indexOf("="));
  if (headers.getSetCookie().some((existing) => existing.slice(0, existing.indexOf("=")) === name)) return;
  headers.append("Set-Cookie", cookie);
}
