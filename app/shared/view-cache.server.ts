// Views read far more often than their numbers change (the insights dashboards, content
// insights): a computed view is kept for a short while per key, in each process, and its page
// says as of when. Requests that arrive while a view is being computed wait for that computation
// instead of starting their own, so a burst of people opening the same view costs one.
// Authorize before asking: a key must name only what the asker may see.

export const VIEW_TTL_MS = 30_000;

export function viewCache<T>({ ttlMs = VIEW_TTL_MS, maxEntries = 500 } = {}) {
  const computed = new Map<string, { at: number; value: T }>();
  const computing = new Map<string, { at: number; value: Promise<T> }>();
  // A view computed at an injected `now` is fresh for that clock only: never for an earlier one.
  const fresh = (entry: { at: number } | undefined, now: Date) =>
    entry !== undefined && now.getTime() - entry.at < ttlMs && entry.at <= now.getTime();

  return async function cached(key: string, now: Date, compute: () => Promise<T>): Promise<T> {
    const hit = computed.get(key);
    if (fresh(hit, now)) return hit!.value;
    const pending = computing.get(key);
    if (fresh(pending, now)) return pending!.value;

    const value = compute();
    computing.set(key, { at: now.getTime(), value });
    try {
      const view = await value;
      computed.delete(key);
      if (computed.size >= maxEntries) computed.delete(computed.keys().next().value!);
      computed.set(key, { at: now.getTime(), value: view });
      return view;
    } finally {
      if (computing.get(key)?.value === value) computing.delete(key);
    }
  };
}
