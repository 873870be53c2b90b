import { Form, Link, redirect, useActionData, useNavigation, useSearchParams } from "react-router";
import { db } from "~/db/connection.server";
import type { Route } from "./+types/login";
import { clientAddressContext } from "~/features/auth/context";
import { readDeviceToken } from "~/features/auth/cookie.server";
import { homeFor } from "~/features/auth/navigation";
import { optionalUser } from "~/features/auth/require-user.server";
import { loginSchema } from "~/features/auth/schemas";
import { signedInRedirect, signIn } from "~/features/auth/sign-in.server";
import { retryAfterHeaders, throttledResult } from "~/features/auth/throttle.server";
import { failed, handleForm } from "~/features/forms";
import { safeRedirectPath } from "~/shared/app-origin.server";
import { Field, FormMessage } from "~/ui/form";

export const meta: Route.MetaFunction = () => [{ title: "Sign in · Flywheel" }];

export const headers: Route.HeadersFunction = retryAfterHeaders;

export async function loader(args: Route.LoaderArgs) {
  const user = optionalUser(args);
  if (user) throw redirect(homeFor(user.roles));
  return null;
}

export async function action(args: Route.ActionArgs) {
  return handleForm(args.request, loginSchema, async ({ email, password, redirectTo }) => {
    const outcome = await signIn(db(), {
      email,
      password,
      address: args.context.get(clientAddressContext),
      deviceToken: readDeviceToken(args.request),
    });
    if (outcome.ok) return signedInRedirect(db(), args.request, outcome.userId, safeRedirectPath(redirectTo, "/"));
    if (outcome.reason === "throttled") return throttledResult(outcome.retryAfterSeconds);
    return failed("That e-mail and password don't match an account.", 401);
  });
}

export default function Login() {
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  return (
    <div className="card">
      <h1 className="mb-1 text-2xl font-bold">Sign in</h1>
      <p className="mb-6 text-slate-600">Three minutes a day keeps your selling sharp.</p>
      <Form method="post" className="flex flex-col gap-4" noValidate>
        {result?.formError ? <FormMessage>{result.formError}</FormMessage> : null}
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
        <Field
          label="E-mail"
          name="email"
          type="email"
          autoComplete="username"
          required
          error={result?.fieldErrors.email}
        />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          error={result?.fieldErrors.password}
        />
        <button type="submit" className="btn" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </Form>
      <p className="mt-4 text-sm">
        <Link to="/forgot-password">Forgot your password?</Link>
      </p>
    </div>
  );
}
