import { data, Link, useLoaderData } from "react-router";
import { db } from "~/db/connection.server";
import type { Route } from "./+types/sso-callback";
import { clearSsoBrowserCookie, readSsoBrowserSecret } from "~/features/auth/cookie.server";
import { signedInRedirect } from "~/features/auth/sign-in.server";
import { finishSsoSignIn } from "~/features/sso/sign-in.server";

export const meta: Route.MetaFunction = () => [{ title: "Single sign-on · Flywheel" }];

// The provider sends the browser back here with the code and the state. The query is checked
// against the redirect URI built from the configured origin, never this request's Host.
export async function loader({ request }: Route.LoaderArgs) {
  const outcome = await finishSsoSignIn(
    db(),
    { search: new URL(request.url).search, browserSecret: readSsoBrowserSecret(request) },
    new Date(),
  );
  if (outcome.ok) {
    const response = await signedInRedirect(db(), request, outcome.userId, outcome.returnTo);
    response.headers.append("Set-Cookie", clearSsoBrowserCookie(request));
    return response;
  }
  const status = outcome.reason === "state" || outcome.reason === "mix-up" || outcome.reason === "provider" ? 400 : 403;
  return data(
    { message: outcome.message },
    { status, headers: { "Set-Cookie": clearSsoBrowserCookie(request), "Cache-Control": "no-store" } },
  );
}

export default function SsoCallback() {
  const { message } = useLoaderData<typeof loader>();
  return (
    <div className="card">
      <h1 className="mb-2 text-2xl font-bold">You are not signed in</h1>
      <p role="alert" className="mb-4">
        {message}
      </p>
      <Link to="/login">Back to sign-in</Link>
    </div>
  );
}
