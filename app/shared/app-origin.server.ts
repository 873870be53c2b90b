// The one origin the app names itself by: links in e-mail, the redirect-target check, the Host
// check and the cross-origin check all read it here. Never from a request header, which anyone
// can forge (a Host of evil.example would otherwise put evil.example into a password-reset mail).
//
// APP_ORIGIN (e.g. https://flywheel.acme.com) is the public address, required behind a proxy;
// when it is set, requests for any other Host are refused. Without it the origin is the one
// server.mjs prints at start, from HOST and PORT (http://localhost:3000 by default).

export class AppOriginError extends Error {}

type Parsed = { origin: string; hosts: Set<string>; configured: boolean };
let cached: { key: string; parsed: Parsed } | undefined;

function parsed(): Parsed {
  const key = `${process.env.APP_ORIGIN ?? ""}|${process.env.HOST ?? ""}|${process.env.PORT ?? ""}`;
  if (cached?.key !== key) cached = { key, parsed: parse() };
  return cached.parsed;
}

function parse(): Parsed {
  const configured = process.env.APP_ORIGIN?.trim();
  if (!configured) return { origin: listeningOrigin(), hosts: new Set(), configured: false };
  let url: URL;
  try {
    url = new URL(configured);
  } catch {
    throw new AppOriginError(`APP_ORIGIN is not a URL: write it as https://flywheel.example.com.`);
  }
  if ((url.protocol !== "https:" && url.protocol !== "http:") || url.pathname !== "/" || url.search || url.hash)
    throw new AppOriginError(
      `APP_ORIGIN must be only a scheme and host, like https://flywheel.example.com (it was ${configured}).`,
    );
  // A browser leaves the default port out of Host; a hand-written client may not.
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  return { origin: url.origin, hosts: new Set([url.host, `${url.hostname}:${port}`]), configured: true };
}

/** The address the server listens on, as server.mjs prints it. */
function listeningOrigin(): string {
  const host = process.env.HOST ?? "0.0.0.0";
  const port = Number(process.env.PORT ?? 3000);
  const shown = host === "0.0.0.0" || host === "::" ? "localhost" : host.includes(":") ? `[${host}]` : host;
  return `http://${shown}:${port}`;
}

/** The app's origin: APP_ORIGIN, or the printed listening address. Throws AppOriginError if APP_ORIGIN is malformed. */
export function appOrigin(): string {
  return parsed().origin;
}

/** APP_ORIGIN as an origin, or null when it is not set. */
export function configuredOrigin(): string | null {
  const p = parsed();
  return p.configured ? p.origin : null;
}

/** An absolute link to a path of this app, for e-mail. */
export function appUrl(path: string): string {
  return new URL(path, appOrigin()).toString();
}

/**
 * False for a request addressed to a host other than APP_ORIGIN's (a forged Host, a DNS rebind);
 * with APP_ORIGIN unset every host is served, so the demo works at localhost, 127.0.0.1 or a LAN address.
 */
export function isKnownHost(host: string | null | undefined): boolean {
  const p = parsed();
  if (!p.configured) return true;
  return !!host && p.hosts.has(host.toLowerCase());
}

/** What a refused Host is told: which address this server answers for. */
export function unknownHostMessage(): string {
  return `This server answers only for ${new URL(appOrigin()).host} (APP_ORIGIN). Use that address.`;
}

// Long enough for any page with its query; a longer target is not one we made.
const MAX_REDIRECT_LENGTH = 2048;
const CONTROL_CHARACTER = /\p{Cc}/u;

/**
 * The path (with query and fragment) to send someone to after sign-in, or `fallback` when the
 * target is not a path on this site. Parsed as a browser would read it (WHATWG URL: backslashes
 * read as slashes, dot segments resolved), so `/\evil.example` and `/.//evil.example` are caught;
 * control characters (the tab in `/\t/evil.example`, a newline) are refused outright.
 */
export function safeRedirectPath(target: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof target !== "string" || target === "" || target.length > MAX_REDIRECT_LENGTH) return fallback;
  // Our own links carry no raw control characters (requireUser percent-encodes the path).
  if (CONTROL_CHARACTER.test(target)) return fallback;
  const base = appOrigin();
  let url: URL;
  try {
    url = new URL(target, base);
  } catch {
    return fallback;
  }
  if (url.origin !== base) return fallback;
  // `/.//evil.example` normalizes to `//evil.example`: as a Location that would leave the site.
  if (url.pathname.startsWith("//")) return fallback;
  return url.pathname + url.search + url.hash;
}
