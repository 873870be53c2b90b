// Flywheel's two cookies, the session and the known device (devices.server.ts): `flywheel_…`
// over HTTP (local use), `__Host-flywheel_…` with `Secure` over HTTPS, so a production cookie
// can never be set by a sibling subdomain. Both are HttpOnly: no script reads them.
import { DEVICE_TTL_MS } from "./devices.server";
import { SESSION_IDLE_MS } from "./sessions.server";

const SESSION = "flywheel_session";
const DEVICE = "flywheel_device";

/** The request's URL is the one the browser is on (browserOrigin, app/shared/proxy.server.ts). */
export function isHttps(request: Request): boolean {
  return new URL(request.url).protocol === "https:";
}

function cookieName(request: Request, name: string): string {
  return isHttps(request) ? `__Host-${name}` : name;
}

function readCookie(request: Request, name: string): string | null {
  const wanted = cookieName(request, name);
  for (const part of (request.headers.get("cookie") ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq >= 0 && part.slice(0, eq).trim() === wanted) return part.slice(eq + 1).trim();
  }
  return null;
}

function setCookie(request: Request, name: string, value: string, maxAgeMs: number): string {
  const secure = isHttps(request) ? "; Secure" : "";
  const maxAge = Math.floor(maxAgeMs / 1000);
  return `${cookieName(request, name)}=${value}; Max-Age=${maxAge}; Path=/; HttpOnly; SameSite=Lax${secure}`;
}

export function readSessionToken(request: Request): string | null {
  return readCookie(request, SESSION);
}

/** The cookie for a session that lasts `lifetimeMs` from now (a new one: until it goes unused). */
export function sessionCookie(request: Request, token: string, lifetimeMs = SESSION_IDLE_MS): string {
  return setCookie(request, SESSION, token, lifetimeMs);
}

export function clearSessionCookie(request: Request): string {
  return setCookie(request, SESSION, "", 0);
}

export function readDeviceToken(request: Request): string | null {
  return readCookie(request, DEVICE);
}

/** The known-device cookie; signing out keeps it, so the browser stays known to the account. */
export function deviceCookie(request: Request, token: string): string {
  return setCookie(request, DEVICE, token, DEVICE_TTL_MS);
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

const SSO_BROWSER = "flywheel_sso";

/**
 * The secret that binds a single sign-on under way to this browser (decision 033): only its hash
 * is stored with the state, so a callback opened in another browser is refused. Lax, so the
 * provider's redirect back (a top-level GET) carries it; it lives as long as the sign-in may take.
 */
export function ssoBrowserCookie(request: Request, secret: string, lifetimeMs: number): string {
  return setCookie(request, SSO_BROWSER, secret, lifetimeMs);
}

export function readSsoBrowserSecret(request: Request): string | null {
  return readCookie(request, SSO_BROWSER);
}

export function clearSsoBrowserCookie(request: Request): string {
  return setCookie(request, SSO_BROWSER, "", 0);
}
