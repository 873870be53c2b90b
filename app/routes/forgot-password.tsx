import { data, Form, Link, useActionData } from "react-router";
import { z } from "zod";
import { db } from "~/db/connection.server";
import type { Route } from "./+types/forgot-password";
import { requestPasswordReset } from "~/features/auth/accounts.server";
import { clientAddressContext } from "~/features/auth/context";
import { hitThrottle, retryAfterHeaders, THROTTLE, throttledMessage } from "~/features/auth/throttle.server";
import { emailField, noErrors, parseForm, readForm } from "~/features/forms";
import { Field, FormMessage } from "~/ui/form";

export const meta: Route.MetaFunction = () => [{ title: "Reset your password · Flywheel" }];

export const headers: Route.HeadersFunction = retryAfterHeaders;

export async function action(args: Route.ActionArgs) {
  const parsed = parseForm(await readForm(args.request), z.object({ email: emailField }));
  if (!parsed.ok) return data({ errors: parsed.errors, sent: false, message: null }, { status: 400 });
  const verdict = await hitThrottle(db(), [
    [`reset:account:${parsed.data.email}`, THROTTLE.resetAccount],
    [`reset:address:${args.context.get(clientAddressContext)}`, THROTTLE.resetAddress],
  ]);
  if (!verdict.allowed) {
    return data(
      { errors: noErrors, sent: false, message: throttledMessage(verdict.retryAfterSeconds) },
      { status: 429, headers: { "Retry-After": String(verdict.retryAfterSeconds) } },
    );
  }
  await requestPasswordReset(db(), parsed.data.email);
  return { errors: noErrors, sent: true, message: null };
}

export default function ForgotPassword() {
  const result = useActionData<typeof action>();
  return (
    <div className="card">
      <h1 className="mb-1 text-2xl font-bold">Reset your password</h1>
      {result?.sent ? (
        <FormMessage tone="success">
          If that address has an account, we've sent it a link. It works once, for one hour.
        </FormMessage>
      ) : (
        <Form method="post" className="mt-4 flex flex-col gap-4" noValidate>
          {result?.message ? <FormMessage>{result.message}</FormMessage> : null}
          <Field label="E-mail" name="email" type="email" autoComplete="email" required error={result?.errors.email} />
          <button type="submit" className="btn">
            Send me a reset link
          </button>
        </Form>
      )}
      <p className="mt-4 text-sm">
        <Link to="/login">Back to sign in</Link>
      </p>
    </div>
  );
}
