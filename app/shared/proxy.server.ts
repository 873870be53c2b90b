// What the browser's side of a request was: its scheme, host and address. Behind a reverse proxy
// the connection comes from the proxy, and the browser's side arrives in X-Forwarded-* headers,
// which anyone can also send. So they are read only with TRUST_PROXY=1, which says exactly one
// proxy we trust stands in front of the server, and only the value that proxy added: the last
// of each comma-separated list (a proxy appends its own value to what the client sent, or
// replaces it; either way the last entry is the proxy's, everything before it the client's).
import { isIPv4, isIPv6 } from "node:net";
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

/**
 * The address of the client, for throttling per address: the TCP peer, or with TRUST_PROXY=1
 * the last X-Forwarded-For entry, which is the peer our one trusted proxy saw. Entries before it
 * were written by the client (or by proxies we know nothing about) and are never believed. An
 * IPv4 address in IPv6 form (`::ffff:192.0.2.1`) is written as IPv4, so one client is one key.
 */
export function clientAddress(peer: string | null | undefined, forwardedFor: string | null | undefined): string {
  const forwarded = trustsProxy() ? ipOf(lastEntry(forwardedFor)) : null;
  return forwarded ?? ipOf(peer ?? null) ?? "unknown";
}

/** An IP address from a header or socket entry (some proxies add a port), or null. */
function ipOf(entry: string | null): string | null {
  if (!entry) return null;
  let address = entry;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address); // [2001:db8::1]:443
  if (bracketed) address = bracketed[1]!;
  else if (/^[\d.]+:\d+$/.test(address)) address = address.slice(0, address.indexOf(":")); // 192.0.2.1:443
  const mapped = /^::ffff:([\d.]+)$/i.exec(address);
  if (mapped && isIPv4(mapped[1]!)) return mapped[1]!;
  if (isIPv4(address)) return address;
  if (isIPv6(address)) return address.toLowerCase();
  return null;
}

/**
 * The bucket an address is throttled in: an IPv4 address, or an IPv6 address's /64 network,
 * because one IPv6 subscriber is given a whole /64 and could otherwise take a fresh address,
 * and a fresh limit, for every attempt.
 */
export function addressBucket(address: string): string {
  if (!isIPv6(address)) return address;
  // An IPv6 address may end in an IPv4 part: written as the two groups it stands for.
  const hex = address.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_, a, b, c, d) =>
    [
      [a, b],
      [c, d],
    ]
      .map(([x, y]) => ((Number(x) << 8) | Number(y)).toString(16))
      .join(":"),
  );
  const [head = "", tail = ""] = hex.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = hex.includes("::")
    ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((group) => (parseInt(group, 16) || 0).toString(16))
    .join(":")}::/64`;
}
