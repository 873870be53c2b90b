import { data, Form, Link, useActionData, useLoaderData, useNavigation } from "react-router";
import { z } from "zod";
import { db } from "~/db/connection.server";
import type { Route } from "./+types/answer";
import { handleForm } from "~/features/forms";
import { answerFromLink } from "~/features/learning/boost-answers.server";
import { answerLinkQuestion, usableAnswerLink } from "~/features/reinforcement/answer-links.server";
import { Refusal } from "~/features/refusal";
import { AnswerFeedback } from "~/ui/answer-feedback";
import { ChoicePicker } from "~/ui/choice-picker";

export const meta: Route.MetaFunction = () => [{ title: "Your boost question · Flywheel" }];

// The token in the address is the permission (decision 030): no cache keeps the page. (Every
// page's Referrer-Policy, same-origin, already keeps the address from other sites.)
export const headers: Route.HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

// A GET only shows the question (a mail scanner or link checker that opens the link records
// nothing); the tapped choice comes selected.
export async function loader({ params, request }: Route.LoaderArgs) {
  try {
    const link = await usableAnswerLink(db(), params.token, new Date());
    const question = await answerLinkQuestion(db(), link);
    const tapped = new URL(request.url).searchParams.get("choice");
    return {
      refusal: null,
      question: { ...question, tapped: question.choices.some((c) => c.id === tapped) ? tapped : null },
    };
  } catch (error) {
    // An answered link (409) reads as a page, not an error: this loader also runs after the
    // Submit that used it, and its status would otherwise replace that answer's 200.
    if (error instanceof Refusal)
      return data({ refusal: error.message, question: null }, { status: error.status === 409 ? 200 : error.status });
    throw error;
  }
}

const answerSchema = z.object({
  choice: z.preprocess(
    (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
    z
      .array(z.string().regex(/^c\d{1,2}$/, { error: "That answer is not one of the choices." }))
      .min(1, { error: "Pick an answer." })
      .max(6),
  ),
});

export async function action({ params, request }: Route.ActionArgs) {
  return handleForm(
    request,
    answerSchema,
    async (input) => {
      const now = new Date();
      const answer = await answerFromLink(db(), { token: params.token, chosen: input.choice, now });
      return { formError: null, feedback: answer, now };
    },
    { oneMessage: true },
  );
}

export default function AnswerFromDigest() {
  const { refusal, question } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";

  if (result && "feedback" in result) {
    return (
      <AnswerFeedback feedback={result.feedback} now={result.now} timezone={result.feedback.timezone}>
        <p className="mt-4">
          {result.feedback.finished
            ? "That was the last question of your boost."
            : "The rest of your boost is waiting."}
        </p>
        <Link to={`/login?redirectTo=${encodeURIComponent("/boost")}`} className="btn mt-3">
          {result.feedback.finished ? "Sign in to see your progress" : "Sign in for the rest of the boost"}
        </Link>
      </AnswerFeedback>
    );
  }
  // A refused submission (a link used in another tab meanwhile) says why, like a refused link;
  // a form left without an answer stays on the question.
  const refused = result?.formError && Object.keys(result.fieldErrors).length === 0 ? result.formError : null;
  if (!question || refused) {
    return (
      <section className="card" aria-labelledby="refused-heading">
        <h1 id="refused-heading" className="mb-2 text-2xl font-bold">
          This link can't record an answer
        </h1>
        <p>{refused ?? refusal}</p>
        <Link to={`/login?redirectTo=${encodeURIComponent("/boost")}`} className="btn mt-4">
          Sign in to your boost
        </Link>
      </section>
    );
  }
  return (
    <Form method="post" className="card">
      <h1 className="text-sm font-normal text-slate-600">Daily boost · from “{question.lessonTitle}”</h1>
      <ChoicePicker question={question} busy={busy} selected={question.tapped} />
      {result?.formError ? <p className="mt-3 text-red-800">{result.formError}</p> : null}
      <button type="submit" className="btn mt-4 w-full" disabled={busy}>
        {busy ? "Checking…" : "Submit"}
      </button>
    </Form>
  );
}
