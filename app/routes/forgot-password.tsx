import { Form, Link, useActionData } from "react-router";
import { z } from "zod";
import { db } from "~/db/connection.server";
import type { Route } from "./+types/forgot-password";
import { requestPasswordReset } from "~/features/auth/accounts.server";
import { clientAddressContext } from "~/features/auth/context";
import { addressKey, hitThrottle, retryAfterHeaders, THROTTLE, throttledResult } from "~/features/auth/throttle.server";
import { emailField, handleForm, succeeded } from "~/features/forms";
import { Field, FormMessage } from "~/ui/form";

export const meta: Route.MetaFunction = () => [{ title: "Reset your password · Flywheel" }];

export const headers: Route.HeadersFunction = retryAfterHeaders;

export async function action(args: Route.ActionArgs) {
  return handleForm(args.request, z.object({ email: emailField }), async ({ email }) => {
    const verdict = await hitThrottle(db(), [
      [`reset:account:${email}`, THROTTLE.resetAccount],
      [addressKey("reset", args.context.get(clientAddressContext)), THROTTLE.resetAddress],
    ]);
    if (!verdict.allowed) return throttledResult(verdict.retryAfterSeconds);
    await requestPasswordReset(db(), email);
    return succeeded();
  });
}

export default function ForgotPassword() {
  const result = useActionData<typeof action>();
  return (
    <div className="card">
      <h1 className="mb-1 text-2xl font-bold">Reset your password</h1>
      {result?.ok ? (
        <FormMessage tone="success">
          If that address has an account, we've sent it a link. It works once, for one hour.
        </FormMessage>
      ) : (
        <Form method="post" className="mt-4 flex flex-col gap-4" noValidate>
          {result?.formError ? <FormMessage>{result.formError}</FormMessage> : null}
          <Field
            label="E-mail"
            name="email"
            type="email"
            autoComplete="email"
            required
            error={result?.fieldErrors.email}
          />
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
