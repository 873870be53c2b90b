// Names shared by the offline answer queue (app/features/offline) and the pages that show its
// state (app/ui/queued-answer.tsx, the lesson kit's quiz).

/** Fired on window when answers kept on the phone have reached the server. */
export const ANSWERS_SENT_EVENT = "flywheel:answers-sent";

/** What an action answers in the browser when the answer was kept on the phone instead of sent. */
export type QueuedAnswer = {
  ok: true;
  queued: true;
  message: string;
  formError: null;
  fieldErrors: Record<string, string>;
};

export const QUEUED_MESSAGE = "Saved on this phone; it will be sent when you are back online.";

export function isQueuedAnswer(value: unknown): value is QueuedAnswer {
  return typeof value === "object" && value !== null && "queued" in value && value.queued === true;
}
