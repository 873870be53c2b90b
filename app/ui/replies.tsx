import type { ReactNode } from "react";

export type Exchange = {
  turnId: string;
  buyer: string;
  text: string;
  recording: { id: string } | null;
};

/**
 * An open role-play as it was played: each buyer line, then the rep's reply, typed or recorded
 * (with its player). The manager's review and the rep's own submission show it the same way.
 */
export function Exchanges<E extends Exchange>({
  exchanges,
  speaker,
  notes,
}: {
  exchanges: E[];
  /** Who replied, as the reply's label ("You", or the rep's name). */
  speaker: string;
  /** Anything shown under a reply (the technique notes on the manager's page). */
  notes?: (exchange: E) => ReactNode;
}) {
  return (
    <ol className="flex flex-col gap-4">
      {exchanges.map((r) => (
        <li key={r.turnId} className="list-none">
          <p className="rounded-2xl bg-slate-100 px-4 py-2">
            <span className="block text-xs font-semibold text-slate-600">Buyer</span>
            {r.buyer}
          </p>
          <p className="ml-8 mt-2 whitespace-pre-wrap rounded-2xl bg-brand-50 px-4 py-2">
            <span className="block text-xs font-semibold text-brand-700">{speaker}</span>
            {r.text || "(recorded reply)"}
          </p>
          {r.recording ? (
            // eslint-disable-next-line jsx-a11y/media-has-caption -- a rep's spoken reply: no caption text exists for it
            <audio
              controls
              preload="none"
              className="ml-8 mt-2"
              src={`/practice/recordings/${r.recording.id}`}
              aria-label={`${speaker === "You" ? "Your" : `${speaker}'s`} recorded reply`}
            />
          ) : null}
          {notes?.(r)}
        </li>
      ))}
    </ol>
  );
}
