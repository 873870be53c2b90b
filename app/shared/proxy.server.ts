// What the browser's side of a request was: its scheme, host and address. Behind a reverse proxy
// the connection comes from the proxy, and the browser's side arrives in X-Forwarded-* headers,
// which anyone can also send. So they are read only with TRUST_PROXY=1, which says exactly one
// proxy we trust stands in front of the server, and only the value that proxy added: the last
// of each comma-separated list (a proxy appends its own value to what the client sent, or
// replaces it; either way the last entry is the proxy's, everything before it the client's).
import { configuredOrigin } from "./app-origin.server";

export function trustsProxy(): boolean {
  return process.env.TRUST_PROXY === "1";
}

type Headers = { host?: string | null; "x-forwarded-host"?: unknown; "x-forwarded-proto"?: unknown };

/** The last entry of a comma-separated header (several headers of one name arrive joined by commas). */
function lastEntry(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const entry = value.slice(value.lastIndexOf(",") + 1).trim();
  return entry === "" ? null : entry;
}

/** The host the request names: the trusted proxy's X-Forwarded-Host, else Host. */
export function requestedHost(headers: Headers): string | null {
  return (trustsProxy() ? lastEntry(headers["x-forwarded-host"]) : null) ?? headers.host ?? null;
}

/**
 * The origin the browser is on, which the Request that React Router sees, the cross-origin
 * check, the session cookie's Secure flag and HSTS all follow: APP_ORIGIN when it is set (a
 * request for another host was refused before this); else, with TRUST_PROXY=1, the proxy's
 * X-Forwarded-Proto and X-Forwarded-Host; else plain HTTP to the Host header. Throws a TypeError
 * (Invalid URL) for a host that makes no URL; server.mjs answers that with 400.
 */
export function browserOrigin(headers: Headers): URL {
  const configured = configuredOrigin();
  if (configured) return new URL(configured);
  const https = trustsProxy() && lastEntry(headers["x-forwarded-proto"])?.toLowerCase() === "https";
  return new URL(`${https ? "https" : "http"}://${requestedHost(headers) ?? "localhost"}`);
}
