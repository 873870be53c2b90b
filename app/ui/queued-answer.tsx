import { useEffect, useState } from "react";
import { ANSWERS_SENT_EVENT, QUEUED_MESSAGE } from "~/shared/offline";

/** Said under an answer kept on the phone while offline; it changes once the answer has been sent. */
export function QueuedAnswerNote() {
  const [sent, setSent] = useState(false);
  useEffect(() => {
    const done = () => setSent(true);
    window.addEventListener(ANSWERS_SENT_EVENT, done);
    return () => window.removeEventListener(ANSWERS_SENT_EVENT, done);
  }, []);
  return (
    <p role="status" className="mt-3 rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900">
      {sent ? "Sent. Reload the page to see how you did." : QUEUED_MESSAGE}
    </p>
  );
}
