import { Form, Link, redirect, useActionData, useNavigation, useSearchParams } from "react-router";
import { db } from "~/db/connection.server";
import type { Route } from "./+types/login";
import { clientAddressContext } from "~/features/auth/context";
import { readDeviceToken, ssoBrowserCookie } from "~/features/auth/cookie.server";
import { homeFor } from "~/features/auth/navigation";
import { optionalUser } from "~/features/auth/require-user.server";
import { loginSchema } from "~/features/auth/schemas";
import { signedInRedirect, signIn } from "~/features/auth/sign-in.server";
import { retryAfterHeaders, throttledResult } from "~/features/auth/throttle.server";
import { failed, handleForm, succeeded } from "~/features/forms";
import { passwordSignInPolicy } from "~/features/sso/password-policy.server";
import { reason } from "~/features/sso/provider.server";
import { beginSsoSignIn, SSO_LOGIN_TTL_MS, ssoForAddress } from "~/features/sso/sign-in.server";
import { safeRedirectPath } from "~/shared/app-origin.server";
import { log } from "~/shared/log.server";
import { Field, FormMessage } from "~/ui/form";

export const meta: Route.MetaFunction = () => [{ title: "Sign in · Flywheel" }];

export const headers: Route.HeadersFunction = retryAfterHeaders;

export async function loader(args: Route.LoaderArgs) {
  const user = optionalUser(args);
  if (user) throw redirect(homeFor(user.roles));
  return null;
}

/** The page's second step: the address's provider, offered as a button. */
type SsoStep = { sso: { providerName: string; email: string } };

export async function action(args: Route.ActionArgs) {
  return handleForm(args.request, loginSchema, async ({ intent, email, password, redirectTo }) => {
    const returnTo = safeRedirectPath(redirectTo, "/");
    if (intent !== "password" || !password) {
      const provider = await ssoForAddress(db(), email);
      if (!provider)
        return failed(
          intent === "password"
            ? "Enter your password."
            : "Single sign-on is not set up for this address. Sign in with your password.",
          400,
          { field: intent === "password" ? "password" : "email" },
        );
      if (intent !== "sso-start")
        return succeeded<SsoStep>(null, { sso: { providerName: provider.providerName, email } });
      const now = new Date();
      try {
        const { url, browserSecret } = await beginSsoSignIn(db(), { orgId: provider.orgId, email, returnTo }, now);
        return redirect(url, {
          headers: { "Set-Cookie": ssoBrowserCookie(args.request, browserSecret, SSO_LOGIN_TTL_MS) },
        });
      } catch (error) {
        log.warn({ err: reason(error), orgId: provider.orgId }, "single sign-on: could not start");
        return failed<SsoStep>(
          `${provider.providerName} cannot be reached just now. Try again in a minute, or ask your Flywheel admin.`,
          502,
          { detail: { sso: { providerName: provider.providerName, email } } },
        );
      }
    }
    const outcome = await signIn(db(), {
      email,
      password,
      address: args.context.get(clientAddressContext),
      deviceToken: readDeviceToken(args.request),
    });
    if (outcome.ok) {
      const policy = await passwordSignInPolicy(db(), outcome.userId, new Date());
      if (!policy.allowed)
        return failed<SsoStep>(
          `Your organization signs in with ${policy.providerName}, not with a password. Continue with ${policy.providerName} below.`,
          403,
          { detail: { sso: { providerName: policy.providerName, email } } },
        );
      return signedInRedirect(db(), args.request, outcome.userId, returnTo);
    }
    if (outcome.reason === "throttled") return throttledResult(outcome.retryAfterSeconds);
    return failed("That e-mail and password don't match an account.", 401);
  });
}

export default function Login() {
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const redirectTo = params.get("redirectTo") ?? "";
  const sso = result && "detail" in result && result.detail && "sso" in result.detail ? result.detail.sso : null;
  return (
    <div className="card">
      <h1 className="mb-1 text-2xl font-bold">Sign in</h1>
      <p className="mb-6 text-slate-600">Three minutes a day keeps your selling sharp.</p>
      {sso ? (
        <Form method="post" className="mb-6 flex flex-col gap-3" aria-label="Single sign-on">
          {result?.formError ? <FormMessage>{result.formError}</FormMessage> : null}
          <p className="text-slate-700">
            <strong>{sso.email}</strong> signs in with {sso.providerName}.
          </p>
          <input type="hidden" name="intent" value="sso-start" />
          <input type="hidden" name="email" value={sso.email} />
          <input type="hidden" name="redirectTo" value={redirectTo} />
          <button type="submit" className="btn">
            Continue with {sso.providerName}
          </button>
        </Form>
      ) : null}
      <Form method="post" className="flex flex-col gap-4" noValidate>
        {result?.formError && !sso ? <FormMessage>{result.formError}</FormMessage> : null}
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <Field
          label="E-mail"
          name="email"
          type="email"
          autoComplete="username"
          required
          defaultValue={sso?.email}
          error={result?.fieldErrors.email}
        />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          hint="Leave it empty if your company signs in with its own provider."
          error={result?.fieldErrors.password}
        />
        <div className="flex flex-wrap gap-3">
          <button type="submit" name="intent" value="password" className="btn" disabled={busy}>
            {busy ? "Signing in…" : "Sign in"}
          </button>
          <button type="submit" name="intent" value="sso" className="btn-secondary" disabled={busy}>
            Use single sign-on
          </button>
        </div>
      </Form>
      <p className="mt-4 text-sm">
        <Link to="/forgot-password">Forgot your password?</Link>
      </p>
    </div>
  );
}
