import { Form, Link, redirect, useActionData, useLoaderData } from "react-router";
import { z } from "zod";
import { db } from "~/db/connection.server";
import { randomToken } from "~/db/ids";
import type { Route } from "./+types/coach-review";
import { notFound, requireUser } from "~/features/auth/require-user.server";
import { reviewSubmission, submissionForReview } from "~/features/practice/roleplay-reviews.server";
import { TechniqueNotes } from "~/lesson-kit/roleplay";
import { FormMessage } from "~/ui/form";
import { PageHeader } from "~/ui/page";
import { Exchanges } from "~/ui/replies";
import { CriterionLevels } from "~/ui/rubric";
import { submitOnce } from "~/features/form-submissions.server";
import { handleForm, submissionField } from "~/features/forms";

export const meta: Route.MetaFunction = () => [{ title: "Review a role-play · Flywheel" }];

export async function loader(args: Route.LoaderArgs) {
  const manager = requireUser(args, "coaching");
  const submission = await submissionForReview(db(), manager, args.params.submissionId);
  if (!submission) throw notFound("We couldn't find that submission among your teams' reps.");
  // A fresh key per rendering: the same review sent twice notifies and mails the rep once.
  return { submission, formKey: randomToken(12) };
}

// The scores are fields named score-<criterion>, read beside the schema (the rubric names them).
const reviewSchema = z.object({
  comment: z.string().trim().max(2000, { error: "Keep the comment under 2,000 characters." }).default(""),
  submission: submissionField,
});

export async function action(args: Route.ActionArgs) {
  const manager = requireUser(args, "coaching");
  if (!(await submissionForReview(db(), manager, args.params.submissionId)))
    throw notFound("We couldn't find that submission among your teams' reps.");
  return handleForm(
    args.request,
    reviewSchema,
    async ({ comment, submission }, form) => {
      // fromEntries: a field named score-__proto__ becomes a key, never the prototype.
      const scores = Object.fromEntries(
        [...form.entries()].flatMap(([name, value]) =>
          name.startsWith("score-") && typeof value === "string" ? [[name.slice(6), Number(value)] as const] : [],
        ),
      );
      const now = new Date();
      await submitOnce(db(), manager, submission, now, async (tx) => {
        await reviewSubmission(tx, manager, args.params.submissionId, scores, comment, now);
        return args.params.submissionId;
      });
      throw redirect(`/coach/reviews?sent=${encodeURIComponent(args.params.submissionId)}`, 303);
    },
    { oneMessage: true },
  );
}

export default function Review() {
  const { submission: s, formKey } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="mx-auto max-w-3xl">
      <p className="text-sm">
        <Link to="/coach/reviews">← Review queue</Link>
      </p>
      <PageHeader title={`${s.rep.name}: ${s.roleplay.title}`}>
        {s.roleplay.persona}. {s.roleplay.situation} Goal: {s.roleplay.goal}
      </PageHeader>
      <section className="card mb-4" aria-labelledby="replies-heading">
        <h2 id="replies-heading" className="mb-3 text-lg font-semibold">
          {s.roleplay.mode === "open" ? "Replies" : "Choices"}
        </h2>
        {s.roleplay.mode === "open" ? (
          <Exchanges
            exchanges={s.replies}
            speaker={s.rep.name}
            notes={(r) => <TechniqueNotes analysis={r.analysis} />}
          />
        ) : (
          <p>
            Scored {Math.round(s.autoScore ?? 0)}/100 on the branching path ({s.steps.length} turns).
          </p>
        )}
      </section>
      <Form method="post" className="card" aria-labelledby="rubric-heading">
        <input type="hidden" name="submission" value={formKey} />
        <h2 id="rubric-heading" className="text-lg font-semibold">
          Your review
        </h2>
        {result?.formError ? <FormMessage>{result.formError}</FormMessage> : null}
        {s.roleplay.rubric.map((c) => (
          <CriterionLevels
            key={c.id}
            criterion={c}
            checked={s.managerScores?.[c.id]}
            note={
              s.selfScores && Object.hasOwn(s.selfScores, c.id)
                ? `Rep's own score: ${s.selfScores[c.id]} of 5`
                : undefined
            }
          />
        ))}
        <label htmlFor="review-comment" className="label mt-4">
          Comment for {s.rep.name.split(" ")[0]}
        </label>
        <textarea
          id="review-comment"
          name="comment"
          rows={4}
          maxLength={2000}
          className="field"
          defaultValue={s.managerComment ?? ""}
          placeholder="One thing that worked, one thing to try next time."
        />
        <button type="submit" className="btn mt-4">
          Send review
        </button>
      </Form>
    </div>
  );
}
