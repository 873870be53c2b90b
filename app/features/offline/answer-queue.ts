// Answers given without a connection (decision 035): kept in IndexedDB on the phone with the
// person they belong to, and sent as the same form post once the server can be reached (on the
// next page load and on the browser's `online` event). The form's submission id travels with
// it, so an answer that did reach the server before the connection dropped is stored once.
import type { ShouldRevalidateFunctionArgs } from "react-router";
import { ANSWERS_SENT_EVENT, isQueuedAnswer, QUEUED_MESSAGE, type QueuedAnswer } from "~/shared/offline";

type Kept = { id?: number; user: string; url: string; body: string; keptAt: number };

const DATABASE = "flywheel-offline";
const STORE = "answers";
/** Who is signed in, as the server last said (/offline/pages): the owner of answers kept now. */
const OWNER_KEY = "flywheel-offline-user";

export function rememberOwner(user: string | null): void {
  try {
    if (user) localStorage.setItem(OWNER_KEY, user);
    else localStorage.removeItem(OWNER_KEY);
  } catch {
    // Storage switched off: answers are then not kept offline.
  }
}

function owner(): string | null {
  try {
    return localStorage.getItem(OWNER_KEY);
  } catch {
    return null;
  }
}

function request<T>(made: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    made.onsuccess = () => resolve(made.result);
    made.onerror = () => reject(made.error);
  });
}

async function store(mode: IDBTransactionMode): Promise<IDBObjectStore> {
  const opening = indexedDB.open(DATABASE, 1);
  opening.onupgradeneeded = () => opening.result.createObjectStore(STORE, { keyPath: "id", autoIncrement: true });
  const database = await request(opening);
  return database.transaction(STORE, mode).objectStore(STORE);
}

/**
 * For a route's clientAction: the server's answer, or, when the server cannot be reached (fetch
 * fails with a TypeError) and `queues` says this form may wait, the form kept on the phone.
 */
export async function answerOrQueue<T>(
  submitted: Request,
  serverAction: () => Promise<T>,
  queues: (form: FormData) => boolean = () => true,
): Promise<T | QueuedAnswer> {
  const form = await submitted.clone().formData();
  try {
    return await serverAction();
  } catch (error) {
    const user = owner();
    if (!(error instanceof TypeError) || !user || !queues(form) || typeof indexedDB === "undefined") throw error;
    const fields = [...form].filter((entry): entry is [string, string] => typeof entry[1] === "string");
    const url = new URL(submitted.url);
    const kept: Kept = {
      user,
      url: url.pathname + url.search,
      body: new URLSearchParams(fields).toString(),
      keptAt: Date.now(),
    };
    await request((await store("readwrite")).add(kept));
    return { ok: true, queued: true, message: QUEUED_MESSAGE, formError: null, fieldErrors: {} };
  }
}

/** A route's shouldRevalidate: an answer kept on the phone changed nothing on the server to reload. */
export function keepPageWhileQueued({ actionResult, defaultShouldRevalidate }: ShouldRevalidateFunctionArgs) {
  return isQueuedAnswer(actionResult) ? false : defaultShouldRevalidate;
}

let sending: Promise<number> | null = null;

/**
 * Sends `user`'s kept answers, oldest first, and drops anyone else's (they cannot be sent in this
 * person's name). Stops at the first that cannot reach the server, or that finds the session gone
 * (sent to the sign-in page): those wait for the next try. A refusal (4xx) is final and dropped.
 */
export function sendKeptAnswers(user: string): Promise<number> {
  sending ??= send(user).finally(() => (sending = null));
  return sending;
}

async function send(user: string): Promise<number> {
  if (typeof indexedDB === "undefined") return 0;
  const all = (await request((await store("readonly")).getAll())) as Kept[];
  let sent = 0;
  for (const kept of all) {
    if (kept.user === user) {
      let response: Response;
      try {
        response = await fetch(kept.url, {
          method: "POST",
          body: kept.body,
          headers: { "Content-Type": "application/x-www-form-urlencoded" },
        });
      } catch {
        break;
      }
      if (response.status >= 500 || (response.redirected && new URL(response.url).pathname === "/login")) break;
      sent++;
    }
    await request((await store("readwrite")).delete(kept.id!));
  }
  if (sent > 0) window.dispatchEvent(new Event(ANSWERS_SENT_EVENT));
  return sent;
}
