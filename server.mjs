// The production server: `npm start` builds, then runs this file.
// The primary process prepares the database (migrations, demo data, content sync) once, then
// forks one worker per core; the workers share the SQLite file (WAL) and serve requests.
// WEB_CONCURRENCY=0 serves from the primary process itself, with no workers: for a process
// manager or container platform that runs one process each and restarts it when it stops (and
// for the tests' many short-lived servers). Otherwise a worker that dies is replaced.
import cluster from "node:cluster";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { createRequestListener } from "@mjackson/node-fetch-server";
import { createRequestHandler } from "react-router";

process.env.NODE_ENV ??= "production";
const BUILD = path.resolve("build/server/index.js");
const CLIENT = path.resolve("build/client");
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "0.0.0.0";
const asked = Number(process.env.WEB_CONCURRENCY ?? os.availableParallelism());
const workers = Number.isInteger(asked) && asked >= 0 ? asked : os.availableParallelism();

const build = await import(BUILD);
const entry = build.entry.module;

if (cluster.isPrimary) {
  try {
    await entry.prepareServer();
  } catch (error) {
    // One line that says what to fix; the details (if any) are in the log.
    console.error(`Flywheel could not start: ${entry.startupProblem(error)}`);
    process.exit(1);
  }
  // Scheduled work is claimed in the database, so one scheduler (here) or several are all safe.
  if (process.env.FLYWHEEL_DIGESTS !== "0") entry.startScheduledWork();
  if (workers === 0) serve(announce);
  else {
    let ready = 0;
    for (let i = 0; i < workers; i++) cluster.fork();
    cluster.on("message", (_worker, message) => {
      if (message === "listening" && ++ready === workers) announce();
    });
    cluster.on("exit", (worker, code, signal) => {
      if (shuttingDown) return;
      entry.log.error({ worker: worker.process.pid, code, signal }, "worker exited; starting another");
      cluster.fork();
    });
    let shuttingDown = false;
    for (const sig of ["SIGINT", "SIGTERM"]) {
      process.on(sig, () => {
        shuttingDown = true;
        for (const w of Object.values(cluster.workers ?? {})) w?.process.kill("SIGTERM");
        setTimeout(() => process.exit(0), 3000).unref();
        cluster.on("exit", () => {
          if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
        });
      });
    }
  }
} else {
  serve(() => process.send?.("listening"));
}

/** Prints where Flywheel answers (and the demo's logins) once every process listens. */
function announce() {
  // The same origin the app puts into links in e-mail (app/shared/app-origin.server.ts).
  const behindProxy = entry.configuredOrigin() ? ` (listening on ${host}:${port})` : "";
  console.log(`\nFlywheel is running at ${entry.appOrigin()}${behindProxy}\n`);
  const logins = entry.demoLoginsText();
  if (logins) console.log(`${logins}\n`);
}

/** Serves requests from this process (a worker, or the primary with WEB_CONCURRENCY=0). */
function serve(onListening) {
  // What @react-router/node's createRequestListener does, except that the Request's URL is the
  // one the browser is on (entry.browserOrigin): behind an HTTPS proxy it was http://, and React
  // Router's own origin check then refused every form with 400.
  const handleRequest = createRequestHandler(build, "production");
  const handleFetch = async (request, client) => {
    const response = await handleRequest(request, entry.getLoadContext(request, client));
    return withHeaders(response, answerHeaders(new URL(request.url).protocol === "https:"));
  };
  const server = http.createServer((req, res) => {
    try {
      respond(req, res);
    } catch (error) {
      failed(req, res, error);
    }
  });
  function respond(req, res) {
    const requestHost = entry.requestedHost(req.headers);
    // With APP_ORIGIN set, a request for another host (forged, or a rebound DNS name) is refused;
    // load balancers' health checks use whatever address they like.
    if (!entry.isKnownHost(requestHost) && !isHealthCheck(req)) {
      entry.log.warn({ url: req.url, host: requestHost }, "request for an unknown host refused");
      res.writeHead(400, { ...NOSNIFF, "Content-Type": "text/plain; charset=utf-8" });
      return void res.end(entry.unknownHostMessage());
    }
    const origin = entry.browserOrigin(req.headers);
    const headers = answerHeaders(origin.protocol === "https:");
    if (serveStatic(req, res, headers)) return;
    if (bodyTooLarge(req, res, headers)) return;
    const write = {
      method: req.method ?? "GET",
      origin: req.headers.origin ?? null,
      secFetchSite: req.headers["sec-fetch-site"] ?? null,
      browserOrigin: origin.origin,
    };
    if (entry.isCrossOriginWrite(write)) {
      entry.log.warn({ url: req.url, origin: write.origin }, "cross-origin write refused");
      res.writeHead(403, { ...headers, "Content-Type": "text/plain; charset=utf-8" });
      return void res.end("Cross-origin requests may not change data.");
    }
    if (req.method !== "GET" && req.method !== "HEAD") keepBodyListenersFromThrowing(req);
    // The listener builds the Request from these, synchronously, before it awaits anything.
    const handle = createRequestListener(handleFetch, { protocol: origin.protocol, host: origin.host });
    handle(req, res).catch((error) => failed(req, res, error));
  }
  // What goes wrong outside React Router's own error handling (a Host header that makes no URL,
  // a response that breaks half-way) answers this request; it never takes the worker down.
  function failed(req, res, error) {
    const unreadable = error instanceof TypeError && /Invalid URL/.test(error.message);
    entry.log.warn(
      { url: req.url, reason: String(error) },
      unreadable ? "unreadable request refused" : "request failed outside React Router",
    );
    if (res.headersSent) return void res.destroy();
    res.writeHead(unreadable ? 400 : 500, { ...NOSNIFF, "Content-Type": "text/plain; charset=utf-8" });
    res.end(unreadable ? "Bad request." : "Something went wrong.");
  }
  server.keepAliveTimeout = 65_000;
  // For `npm run bench`: each worker writes its event-loop delay and memory once a second.
  if (process.env.FLYWHEEL_METRICS_FILE) void reportMetrics(process.env.FLYWHEEL_METRICS_FILE);
  server.listen(port, host, onListening);
  for (const sig of ["SIGINT", "SIGTERM"])
    process.on(sig, () => {
      server.close(() => process.exit(0));
      // Requests still running get three seconds, as the primary gives its workers.
      setTimeout(() => process.exit(0), 3000).unref();
    });
}

// Headers of every answer, whoever writes it: server.mjs's own in writeHead, React Router's on its
// Response (handleFetch). Never with res.setHeader before React Router answers: node-fetch-server
// writes the Response's headers through writeHead, which then keeps only the last of several
// Set-Cookie headers (a sign-in sets the session and the device cookie).
// Every answer is read only as the type it declares:
const NOSNIFF = { "X-Content-Type-Options": "nosniff" };
// and a browser that reached us over HTTPS keeps to HTTPS for a year, subdomains included.
const HSTS = { "Strict-Transport-Security": "max-age=31536000; includeSubDomains" };

function answerHeaders(https) {
  return https ? { ...NOSNIFF, ...HSTS } : NOSNIFF;
}

/** The response with `headers` set; one whose headers may not change (Response.redirect) is copied. */
function withHeaders(response, headers) {
  try {
    for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
    return response;
  } catch {
    const copy = new Response(response.body, response);
    for (const [name, value] of Object.entries(headers)) copy.headers.set(name, value);
    return copy;
  }
}

function isHealthCheck(req) {
  return (req.method === "GET" || req.method === "HEAD") && /^\/healthz(\?|$)/.test(req.url ?? "");
}

// Hashed assets are immutable; everything else in public/ may change between releases.
const TYPES = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".webp": "image/webp",
  ".woff2": "font/woff2",
  ".vtt": "text/vtt; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".json": "application/json",
  ".webmanifest": "application/manifest+json",
};
// Built files that compress well go out brotli- or gzip-encoded (ops/compression.server.ts).
const COMPRESSIBLE = new Set([".js", ".css", ".svg", ".json", ".webmanifest", ".txt", ".vtt"]);
const staticFiles = new Map();
(function index(dir) {
  for (const name of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, name.name);
    if (name.isDirectory()) index(full);
    // The build does not change while the server runs: its sizes are read once.
    else if (TYPES[path.extname(name.name)])
      staticFiles.set("/" + path.relative(CLIENT, full).split(path.sep).join("/"), {
        file: full,
        size: fs.statSync(full).size,
      });
  }
})(CLIENT);

function serveStatic(req, res, headers) {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  let pathname;
  try {
    pathname = decodeURIComponent((req.url ?? "/").split("?")[0]);
  } catch {
    return false; // not a file name; React Router answers it (404)
  }
  const found = staticFiles.get(pathname);
  if (!found) return false;
  const { file, size } = found;
  const compressible = COMPRESSIBLE.has(path.extname(file)) && size > entry.COMPRESS_ABOVE_BYTES;
  const encoding = compressible ? entry.acceptedEncoding(req.headers["accept-encoding"]) : null;
  const body = encoding ? entry.compressedOnce(file, encoding, () => fs.readFileSync(file)) : null;
  res.writeHead(200, {
    ...headers,
    "Content-Type": TYPES[path.extname(file)],
    "Content-Length": body ? body.length : size,
    "Cache-Control": pathname.startsWith("/assets/")
      ? "public, max-age=31536000, immutable"
      : // A new service worker is picked up on the next visit, not an hour later.
        pathname === "/sw.js" || pathname === "/push-handlers.js"
        ? "no-cache"
        : "public, max-age=3600",
    ...(compressible ? { Vary: "Accept-Encoding" } : {}),
    ...(encoding ? { "Content-Encoding": encoding } : {}),
  });
  if (req.method === "HEAD") {
    res.end();
    return true;
  }
  if (body) res.end(body);
  else fs.createReadStream(file).pipe(res);
  return true;
}

// React Router reads a request's body into memory: a form never needs 1 MB, a recording at most
// 10 MB, a people file or a module zip 20 MB, an image 2 MB (their routes read with a cap and refuse more with a clearer message;
// this is the backstop for every route).
const BODY_LIMIT = 1024 * 1024;
const TOO_LARGE = "That request is too large.";
// Only the uploads themselves, not every URL that begins like them (/practice/recordings/<id> takes no body).
// A script-driven form posts to the route's ".data" URL (React Router's single fetch).
const UPLOAD_LIMITS = new Map([
  ["/practice/recordings", { bytes: 11 * 1024 * 1024, message: TOO_LARGE }],
  ...["/admin/people/import", "/admin/people/import.data"].map((url) => [
    url,
    {
      bytes: 21 * 1024 * 1024,
      message: "That file is larger than 20 MB. Split it into several files and import them one after the other.",
    },
  ]),
  // A module zip of at most 20 MB and an image of at most 2 MB (decision 032), with their forms.
  ...["/content/import", "/content/import.data"].map((url) => [
    url,
    {
      bytes: 21 * 1024 * 1024,
      message: "That file is larger than 20 MB. A module's lessons are text: check what else is in the zip.",
    },
  ]),
  ...["/content/images", "/content/images.data"].map((url) => [
    url,
    {
      bytes: 2 * 1024 * 1024 + 64 * 1024,
      message:
        "That image is larger than 2 MB. Save it smaller (a width of 1600 pixels is plenty) and upload it again.",
    },
  ]),
]);
const DRAIN_LIMIT = 64 * 1024 * 1024;
const SCIM_TOO_LARGE = JSON.stringify({
  schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
  status: "413",
  detail: TOO_LARGE,
});

/** Refuses (413) a body over the limit: by its declared length, or as it arrives without one. */
function bodyTooLarge(req, res, headers) {
  if (req.method === "GET" || req.method === "HEAD") return false;
  const upload = UPLOAD_LIMITS.get((req.url ?? "").split("?")[0]);
  const limit = upload?.bytes ?? BODY_LIMIT;
  // SCIM's clients read errors in SCIM's format (its route caps bodies lower, with the same shape).
  const scim = /^\/scim\//.test(req.url ?? "");
  const tooLarge = (close) => {
    res.writeHead(413, {
      ...headers,
      "Content-Type": scim ? "application/scim+json; charset=utf-8" : "text/plain; charset=utf-8",
      ...(close ? { Connection: "close" } : {}),
    });
    res.end(scim ? SCIM_TOO_LARGE : (upload?.message ?? TOO_LARGE));
  };
  if (Number(req.headers["content-length"]) > limit) {
    // Answer at once, then read and drop the body (nothing is kept) so the client, still
    // sending, is not cut off before it reads the answer; past 64 MB, hang up.
    tooLarge(false);
    let drained = 0;
    req.on("data", (chunk) => (drained += chunk.length) > DRAIN_LIMIT && req.destroy());
    req.resume();
    return true;
  }
  let received = 0;
  req.on("data", (chunk) => {
    received += chunk.length;
    if (received <= limit || received - chunk.length > limit) return;
    // Streamed past the limit without a declared length: answer if still possible, then hang up.
    if (!res.headersSent) tooLarge(true);
    req.destroy();
  });
  return false;
}

/**
 * React Router's adapter (node-fetch-server) feeds the body into a ReadableStream from `data` and
 * `end` events and is never told when the route cancels that stream (a recording over its limit):
 * the next chunk's enqueue then threw inside the event handler, an uncaught exception that killed
 * the worker and every request on it. A body listener that finds its stream closed stops
 * listening; the rest of the body is read and dropped (bodyTooLarge still hangs up past the limit).
 */
function keepBodyListenersFromThrowing(req) {
  const on = req.on.bind(req);
  req.on = (event, listener) => {
    if (event !== "data" && event !== "end") return on(event, listener);
    // A plain function: Node's own listeners (clearIncoming on 'end') read the request as `this`.
    const guarded = function (...args) {
      try {
        return listener.apply(this, args);
      } catch (error) {
        if (error?.code !== "ERR_INVALID_STATE") throw error;
        req.off(event, guarded);
      }
    };
    return on(event, guarded);
  };
}

async function reportMetrics(prefix) {
  const { monitorEventLoopDelay } = await import("node:perf_hooks");
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let peakRss = 0;
  setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    const sample = { pid: process.pid, p99Ms: delay.percentile(99) / 1e6, maxMs: delay.max / 1e6, peakRss };
    fs.writeFileSync(`${prefix}.${process.pid}.json`, JSON.stringify(sample));
  }, 1000).unref();
}
