// Refuses writes that a page on another site could make a rep's browser send (CSRF).
// Browsers send Sec-Fetch-Site and Origin on every non-GET request; a request with neither
// comes from a non-browser client, which cannot carry a victim's cookie for us.
// The production server (server.mjs) calls this before React Router sees the request, for
// every path, resource routes included. (React Router's own action check answers 400 and
// only covers actions; this one answers 403 for every write.)

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export type WriteRequest = {
  method: string;
  origin: string | null;
  secFetchSite: string | null;
  /** The origin the browser is on (browserOrigin in app/shared/proxy.server.ts). */
  browserOrigin: string;
};

export function isCrossOriginWrite(req: WriteRequest): boolean {
  if (SAFE_METHODS.has(req.method.toUpperCase())) return false;
  if (req.secFetchSite && req.secFetchSite !== "same-origin") return true;
  if (req.origin === null) return false;
  return req.origin !== req.browserOrigin;
}
