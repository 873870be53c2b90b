import { Form } from "react-router";
import { FormMessage } from "~/ui/form";

/** The longest comment a rep may leave on a lesson. */
export const MAX_COMMENT = 1000;

/** At a lesson's end: was it useful, and anything to tell the trainer. Sent again, it replaces the rating. */
export function LessonRatingForm({
  rating,
  saved,
  error,
}: {
  rating: { useful: boolean; comment: string | null } | null;
  saved: boolean;
  error: string | null;
}) {
  return (
    <section id="lesson-rating" aria-labelledby="lesson-rating-heading" className="mb-6">
      <h2 id="lesson-rating-heading" className="text-lg font-semibold">
        Was this lesson useful?
      </h2>
      {saved && rating ? <FormMessage tone="success">Thanks: your trainer sees your rating.</FormMessage> : null}
      {error ? <FormMessage>{error}</FormMessage> : null}
      <Form method="post" className="mt-2 space-y-3">
        <input type="hidden" name="intent" value="rate" />
        <fieldset className="flex flex-wrap gap-4">
          <legend className="sr-only">Your rating</legend>
          <label className="flex items-center gap-2">
            <input type="radio" name="useful" value="yes" defaultChecked={rating?.useful === true} required /> Useful
          </label>
          <label className="flex items-center gap-2">
            <input type="radio" name="useful" value="no" defaultChecked={rating?.useful === false} /> Not useful
          </label>
        </fieldset>
        <div>
          <label htmlFor="lesson-rating-comment" className="label">
            Comment for the trainer (optional)
          </label>
          <textarea
            id="lesson-rating-comment"
            name="comment"
            rows={3}
            maxLength={MAX_COMMENT}
            defaultValue={rating?.comment ?? ""}
            className="field w-full"
          />
        </div>
        <button type="submit" className="btn-secondary">
          {rating ? "Update my rating" : "Send my rating"}
        </button>
      </Form>
    </section>
  );
}
