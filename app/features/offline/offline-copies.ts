// In the browser (decision 035): registers the service worker (public/sw.js) after the page has
// loaded, tells it who is signed in and which pages to keep for offline reading, sends the
// answers kept while offline, and makes links load whole pages while offline: the worker has a
// copy of every page it keeps, but the script of a page never opened on this phone is not kept,
// and React Router would then reload the page the rep is on. On a network that is up but slow,
// links stay React Router's: the worker answers their data requests from the page's kept data.
import { rememberOwner, sendKeptAnswers } from "./answer-queue";

/** What the page knows about the person: signed in (an app page), signed out (the sign-in page), or nothing. */
export type Presence = "signed-in" | "signed-out" | "unknown";

let listening = false;

export function startOfflineSupport(presence: Presence): void {
  if (!("serviceWorker" in navigator)) return;
  const start = () => {
    navigator.serviceWorker.register("/sw.js").catch(() => undefined);
    if (presence === "signed-out") {
      rememberOwner(null);
      void navigator.serviceWorker.ready.then((worker) => worker.active?.postMessage({ type: "signed-out" }));
    }
    if (presence === "signed-in") void keepCopies();
    if (listening) return;
    listening = true;
    window.addEventListener("online", () => void keepCopies());
    document.addEventListener("click", loadWholePageWhileOffline, true);
    navigator.serviceWorker.addEventListener("message", (event: MessageEvent<{ type?: string }>) => {
      // For the person's eyes nothing changes; tests and the curious can read it here.
      if (event.data?.type === "kept") document.documentElement.dataset.offline = "kept";
    });
  };
  if (document.readyState === "complete") start();
  else window.addEventListener("load", start, { once: true });
}

/** Asks the server who is signed in and what to keep; sends kept answers; hands the list to the worker. */
async function keepCopies(): Promise<void> {
  let found: { user: string; pages: string[] };
  try {
    const response = await fetch("/offline/pages", { headers: { Accept: "application/json" } });
    if (!response.ok || response.redirected) return;
    found = await response.json();
  } catch {
    return; // offline: the copies and the kept answers wait
  }
  rememberOwner(found.user);
  await sendKeptAnswers(found.user).catch(() => 0);
  const worker = await navigator.serviceWorker.ready;
  worker.active?.postMessage({ type: "keep", user: found.user, pages: found.pages });
}

function loadWholePageWhileOffline(event: MouseEvent): void {
  if (navigator.onLine || event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const link = (event.target as Element | null)?.closest?.("a[href]");
  if (!(link instanceof HTMLAnchorElement) || link.target || link.hasAttribute("download")) return;
  if (link.origin !== location.origin) return;
  event.preventDefault();
  location.assign(link.href);
}
