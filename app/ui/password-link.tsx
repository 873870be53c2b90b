import type { ReactNode } from "react";
import { Form } from "react-router";
import type { ActionResult } from "~/shared/action-result";
import { Field, FormMessage, NewPasswordField } from "./form";

/**
 * The page behind an invitation or password-reset link: the set-password form while the link
 * works, otherwise a page saying it can't be used and what to do instead.
 */
export function PasswordLinkPage({
  open,
  closed,
  title,
  intro,
  fields,
  labels,
  result,
}: {
  open: boolean;
  closed: { title: string; text: ReactNode };
  title: string;
  intro?: ReactNode;
  /** Fields asked before the password (an invitee's name). */
  fields?: ReactNode;
  labels: { password: string; confirm: string; submit: string };
  result: Pick<ActionResult, "formError" | "fieldErrors"> | undefined;
}) {
  if (!open) {
    return (
      <div className="card">
        <h1 className="mb-2 text-2xl font-bold">{closed.title}</h1>
        <p className="text-slate-700">{closed.text}</p>
      </div>
    );
  }
  return (
    <div className="card">
      <h1 className={`${intro ? "mb-1" : "mb-4"} text-2xl font-bold`}>{title}</h1>
      {intro ? <p className="mb-6 text-slate-600">{intro}</p> : null}
      <Form method="post" className="flex flex-col gap-4" noValidate>
        {result?.formError ? <FormMessage>{result.formError}</FormMessage> : null}
        {fields}
        <NewPasswordField label={labels.password} name="password" required error={result?.fieldErrors.password} />
        <Field
          label={labels.confirm}
          name="confirm"
          type="password"
          autoComplete="new-password"
          required
          error={result?.fieldErrors.confirm}
        />
        <button type="submit" className="btn">
          {labels.submit}
        </button>
      </Form>
    </div>
  );
}
