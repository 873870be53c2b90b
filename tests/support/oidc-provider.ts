// A real OpenID provider (oidc-provider, a certified implementation) on localhost, started by the
// test itself (decision 033). It speaks plain http on 127.0.0.1: the app under test reaches it only
// because the test server sets FLYWHEEL_SSO_HTTP_LOCALHOST=1, which turns on openid-client's
// allowInsecureRequests for loopback issuers and nothing else.
//
// Sign-in at the provider is oidc-provider's own development login form (any password; the login
// is the account). Consent is given in advance for the one registered client.
import http from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";

export type ProviderAccount = { email: string; verified: boolean; name: string };

export type TestProvider = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Adds an account (its login at the provider is its e-mail, which is also its subject). */
  addAccount: (account: ProviderAccount) => void;
  stop: () => Promise<void>;
};

/** The accounts every provider starts with. */
export const VERIFIED = { email: "casey@acme.test", verified: true, name: "Casey Verified" };
export const UNVERIFIED = { email: "uma@acme.test", verified: false, name: "Uma Unverified" };

export async function startTestProvider(redirectUri: string, clientId = "flywheel-test"): Promise<TestProvider> {
  const accounts = new Map<string, ProviderAccount>([VERIFIED, UNVERIFIED].map((a) => [a.email, a]));
  const clientSecret = `secret-of-${clientId}-that-is-long-enough-for-hs256`;
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    // The ID token carries the claims itself, as Okta and Entra ID send them.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
    cookies: { keys: ["test-provider-cookie-key"] },
    findAccount: async (_ctx, id) => {
      const account = accounts.get(id);
      if (!account) return undefined;
      return {
        accountId: id,
        claims: async () => ({ sub: id, email: account.email, email_verified: account.verified, name: account.name }),
      };
    },
    // The one client is first-party: no consent screen.
    loadExistingGrant: async (ctx) => {
      const accountId = ctx.oidc.session!.accountId!;
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId });
      grant.addOIDCScope("openid email profile");
      await grant.save();
      return grant;
    },
  });
  server.on("request", provider.callback());
  return {
    issuer,
    clientId,
    clientSecret,
    addAccount: (account) => accounts.set(account.email, account),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Follows a sign-in through the provider as a browser would, without one: opens the
 * authorization URL, fills the development login form with `login`, and returns the URL the
 * provider redirects back to (the app's callback with its code and state), not yet opened.
 */
export async function signInAtProvider(authorizationUrl: string, login: string): Promise<string> {
  const jar = new Map<string, string>();
  const send = async (url: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set("cookie", [...jar].map(([k, v]) => `${k}=${v}`).join("; "));
    const response = await fetch(url, { ...init, headers, redirect: "manual" });
    for (const c of response.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq);
      if (/expires=Thu, 01 Jan 1970/i.test(c) || pair!.slice(eq + 1) === "") jar.delete(name);
      else jar.set(name, pair!.slice(eq + 1));
    }
    return response;
  };
  const origin = new URL(authorizationUrl).origin;
  let url = authorizationUrl;
  let body: URLSearchParams | undefined;
  for (let hop = 0; hop < 12; hop++) {
    const response = await send(url, body ? { method: "POST", body } : {});
    body = undefined;
    const location = response.headers.get("location");
    if (location) {
      const next = new URL(location, url);
      if (next.origin !== origin) return next.href;
      url = next.href;
      continue;
    }
    const html = await response.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (!action || !html.includes('name="login"'))
      throw new Error(`the provider answered ${response.status}: ${html.slice(0, 500)}`);
    url = new URL(action.replaceAll("&amp;", "&"), url).href;
    body = new URLSearchParams({ prompt: "login", login, password: "any" });
  }
  throw new Error("the provider never sent the browser back");
}
