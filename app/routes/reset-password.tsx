import { data, Form, redirect, useActionData, useLoaderData } from "react-router";
import { db } from "~/db/connection.server";
import type { Route } from "./+types/reset-password";
import { isResetTokenOpen, resetPassword } from "~/features/auth/accounts.server";
import { sessionCookie } from "~/features/auth/cookie.server";
import { newPasswordSchema } from "~/features/auth/schemas";
import { createSession } from "~/features/auth/sessions.server";
import { noErrors, parseForm, readForm } from "~/features/forms";
import { Field, FormMessage } from "~/ui/form";

export const meta: Route.MetaFunction = () => [{ title: "Choose a new password · Flywheel" }];

export async function loader({ params }: Route.LoaderArgs) {
  return { open: await isResetTokenOpen(db(), params.token) };
}

export async function action({ request, params }: Route.ActionArgs) {
  const parsed = parseForm(await readForm(request), newPasswordSchema);
  if (!parsed.ok) return data({ errors: parsed.errors, message: null }, { status: 400 });
  const result = await resetPassword(db(), params.token, parsed.data.password);
  if (!result)
    return data(
      { errors: noErrors, message: "This link has expired or was already used. Ask for a new one." },
      { status: 410 },
    );
  return redirect("/", { headers: { "Set-Cookie": sessionCookie(request, await createSession(db(), result.userId)) } });
}

export default function ResetPassword() {
  const { open } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  if (!open) {
    return (
      <div className="card">
        <h1 className="mb-2 text-2xl font-bold">This link can't be used</h1>
        <p className="text-slate-700">
          Reset links work once, for one hour. <a href="/forgot-password">Ask for a new one</a>.
        </p>
      </div>
    );
  }
  return (
    <div className="card">
      <h1 className="mb-4 text-2xl font-bold">Choose a new password</h1>
      <Form method="post" className="flex flex-col gap-4" noValidate>
        {result?.message ? <FormMessage>{result.message}</FormMessage> : null}
        <Field
          label="New password"
          name="password"
          type="password"
          autoComplete="new-password"
          hint="8 to 256 characters."
          required
          error={result?.errors.password}
        />
        <Field
          label="New password again"
          name="confirm"
          type="password"
          autoComplete="new-password"
          required
          error={result?.errors.confirm}
        />
        <button type="submit" className="btn">
          Save and sign in
        </button>
      </Form>
    </div>
  );
}
