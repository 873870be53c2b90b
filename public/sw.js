// Flywheel's service worker (decision 035). Hand-written and small: it is part of a phone's first
// load. The page that registers it is app/features/offline/offline-copies.ts.
//
// - Built assets (/assets/*, hashed and immutable) and the icons: cache first, shared by everyone.
// - Pages a rep reads (Today, the boost, the library, lessons) and React Router's data for them
//   (`<page>.data`, what a tap inside the app asks for): network first; when the network is gone,
//   or slower than NETWORK_WAIT_MS with a copy at hand, the copy is used. Lesson scripts are named
//   by their content's hash: a copy is used at once.
// - Copies of pages belong to one person: one cache named after them ("flywheel-pages-<user id>").
//   Signing out, the sign-in page, or another person's page deletes it (forgetPeople).
// - This phone's push subscription is the person's too: signing out ends it, and so does another
//   person's first list of pages (their session began without a sign-out the worker saw). Not the
//   sign-in page alone: a rep whose session merely expired keeps their reminders (forgetPush).
// - The page tells the worker who is signed in and which pages to keep ({ type: "keep" }) after
//   asking /offline/pages; the worker answers { type: "kept" } when they are saved.
//
// Web Push: the `push` and `notificationclick` handlers are public/push-handlers.js (decision 036),
// taken in at the end of this file.
const ASSETS = "flywheel-assets-v1";
const PAGES = "flywheel-pages-";
const NETWORK_WAIT_MS = 3000;
// A page saved this recently is not fetched again when the list comes after the next page load.
const FRESH_MS = 10 * 60 * 1000;
// Pages kept as they are visited, besides those the page asks for. Dashboards and admin pages never are.
const READABLE_OFFLINE = /^\/(today|boost|library|progress|learn\/[a-z0-9-]+(\/[a-z0-9-]+)?|lesson-code\/[a-f0-9]{64}\.js)$/;
const SHARED = /^\/(assets\/|icons\/|favicon\.svg$|manifest\.webmanifest$)/;
// Who the worker last kept pages for: kept past the sign-in page, for forgetPush.
const OWNER = "flywheel-owner";

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  // A new version of this file starts with a fresh asset cache; the person's pages stay.
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith("flywheel-assets-") && n !== ASSETS).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("message", (event) => {
  const message = event.data ?? {};
  if (message.type === "signed-out") event.waitUntil(forgetPeople(null));
  if (message.type === "keep" && typeof message.user === "string")
    event.waitUntil(
      keepPages(message.user, Array.isArray(message.pages) ? message.pages : []).then((saved) =>
        event.source?.postMessage({ type: "kept", user: message.user, saved }),
      ),
    );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method !== "GET") {
    wroteAt.set(event.clientId, Date.now());
    // Signing out removes the copies at once, whether or not the server is reached: the form's
    // post, or with JavaScript its data request (React Router posts to /logout.data).
    if (url.pathname === "/logout" || url.pathname === "/logout.data")
      event.waitUntil(Promise.all([forgetPeople(null), forgetPush(), caches.delete(OWNER)]));
    return;
  }
  if (SHARED.test(url.pathname)) event.respondWith(cacheFirst(request));
  else if (url.pathname.startsWith("/lesson-code/")) event.respondWith(lessonCode(request));
  else if (request.mode === "navigate" || (url.pathname.endsWith(".data") && copyMayAnswer(url, event.clientId)))
    event.respondWith(networkFirst(request));
});

// When each page last posted (an answer, a sign-out): its data requests right after are React
// Router reloading what the post changed, which a copy saved before it would undo on a slow network.
const wroteAt = new Map();
const AFTER_WRITE_MS = 10_000;

/**
 * Whether a data request may be answered from a kept copy: a page that is kept, asked for as a
 * whole (no query but React Router's `_routes`: `/boost.data?reviewed=…` is the page after an
 * answer, which no copy holds), and not straight after this page posted something.
 */
function copyMayAnswer(url, clientId) {
  if (!READABLE_OFFLINE.test(pageOf(url))) return false;
  if ([...url.searchParams.keys()].some((key) => key !== "_routes")) return false;
  return Date.now() - (wroteAt.get(clientId) ?? 0) > AFTER_WRITE_MS;
}

/** The page a request is for: `/today` for `/today` and for its data, `/today.data`. */
function pageOf(url) {
  return url.pathname.endsWith(".data") ? url.pathname.slice(0, -".data".length) : url.pathname;
}

/** The signed-in person's cache, or null when the worker does not know who that is. */
async function pagesCache() {
  const name = (await caches.keys()).find((n) => n.startsWith(PAGES));
  return name ? caches.open(name) : null;
}

/** Deletes every person's copies except `keep`'s. */
async function forgetPeople(keep) {
  const names = await caches.keys();
  await Promise.all(names.filter((n) => n.startsWith(PAGES) && n !== PAGES + keep).map((n) => caches.delete(n)));
}

async function cacheFirst(request) {
  const cache = await caches.open(ASSETS);
  const hit = await cache.match(request, { ignoreVary: true });
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

/** A lesson script never changes under its name: the person's copy, or the network. */
async function lessonCode(request) {
  const copy = await (await pagesCache())?.match(request, { ignoreVary: true });
  return copy ?? networkFirst(request);
}

function networkFirst(request) {
  const url = new URL(request.url);
  const data = url.pathname.endsWith(".data");
  const network = fetch(request);
  // A page's copy is found whatever its query. Data asked for some of the page's routes only
  // (`?_routes=…`) is found as asked, or in the whole page's data that keepPages saved.
  const copy = async () => {
    const cache = await pagesCache();
    if (!cache) return undefined;
    return (
      (await cache.match(request, { ignoreVary: true })) ??
      cache.match(url.pathname, { ignoreVary: true, ignoreSearch: !data })
    );
  };
  // Data with no copy and no network: React Router is asked to load the whole page instead
  // (its redirect by headers), which the worker answers with the page's copy or the offline page.
  // (Only data asked for as a whole page comes here, copyMayAnswer: its page is the path alone.)
  const none = () =>
    data
      ? new Response(null, { status: 204, headers: { "X-Remix-Redirect": pageOf(url), "X-Remix-Reload-Document": "true" } })
      : offlinePage();
  return new Promise((resolve) => {
    let answered = false;
    const answer = (response) => {
      if (!answered && response) (answered = true), resolve(response);
    };
    // Slow network: the copy, if there is one; otherwise keep waiting for the network.
    const timer = setTimeout(() => copy().then(answer), NETWORK_WAIT_MS);
    network.then(
      (response) => {
        clearTimeout(timer);
        answer(response);
        if (READABLE_OFFLINE.test(pageOf(url))) void keepResponse(request, response.clone());
      },
      () => {
        clearTimeout(timer);
        copy().then((hit) => answer(hit ?? none()));
      },
    );
  });
}

/** Keeps a page the person just read, in their cache (none while the worker does not know them). */
async function keepResponse(request, response) {
  if (response.status !== 200 || response.type !== "basic" || response.redirected) return;
  const cache = await pagesCache();
  if (cache) await cache.put(request, response);
}

/**
 * Ends this phone's push subscription and tells the server, which deletes the device (decision
 * 036): nothing of the last person's is shown here, and their reminders go by e-mail.
 */
async function forgetPush() {
  const subscription = await self.registration.pushManager.getSubscription().catch(() => null);
  if (!subscription) return;
  await subscription.unsubscribe().catch(() => false);
  // The server forgets the device now, so the next reminder goes by e-mail rather than to an
  // address that no longer answers (app/routes/push-forget.ts). Offline, the push service's
  // 404/410 tells it later.
  await fetch("/push/forget", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ endpoint: subscription.endpoint }),
  }).catch(() => undefined);
}

/** Notes `user` as the person the worker keeps pages for; someone else before them loses this phone's pushes. */
async function noteOwner(user) {
  const owner = await caches.open(OWNER);
  const before = await (await owner.match("/owner"))?.text();
  if (before && before !== user) await forgetPush();
  if (before !== user) await owner.put("/owner", new Response(user));
}

/** Saves `pages` for `user` (after deleting anyone else's copies), with the assets and lesson scripts they load. */
async function keepPages(user, pages) {
  await noteOwner(user);
  await forgetPeople(user);
  const cache = await caches.open(PAGES + user);
  const assets = await caches.open(ASSETS);
  let saved = 0;
  for (const page of pages) {
    if (typeof page !== "string" || !page.startsWith("/")) continue;
    try {
      const kept = await cache.match(page);
      if (kept && Date.now() - Date.parse(kept.headers.get("Date") ?? "") < FRESH_MS) {
        saved++;
        continue;
      }
      // Tells the server this is a copy for later, not the rep opening the lesson now.
      const response = await fetch(page, { headers: { "X-Flywheel-Offline": "keep" } });
      if (response.status !== 200 || response.redirected) continue;
      const html = await response.clone().text();
      await cache.put(page, response);
      saved++;
      const used = new Set(html.match(/\/(assets\/[\w.-]+\.(js|css)|lesson-code\/[a-f0-9]{64}\.js)/g));
      for (const file of used) {
        const into = file.startsWith("/assets/") ? assets : cache;
        if (await into.match(file)) continue;
        const loaded = await fetch(file);
        if (loaded.ok) await into.put(file, loaded);
      }
      // The page's data too, for a tap inside the app (React Router asks for `<page>.data`).
      const data = await fetch(`${page}.data`, { headers: { "X-Flywheel-Offline": "keep" } });
      if (data.status === 200 && !data.redirected) await cache.put(`${page}.data`, data);
    } catch {
      // Offline again, or a page gone since: the rest is saved next time.
    }
  }
  return saved;
}

function offlinePage() {
  const html = `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Offline · Flywheel</title>
<main style="font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;line-height:1.5"><h1>You're offline</h1>
<p>This page isn't saved on this phone. Your assigned and started lessons and today's boost are: open them from <a href="/today">Today</a>.</p></main></html>`;
  return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" } });
}

importScripts("/push-handlers.js");
