// The one place an authorization code becomes an identity: openid-client redeems it and checks the
// ID token (issuer, audience, expiry, nonce, and its signature against the provider's JWKS, which
// openid-client checks only with enableNonRepudiationChecks: decision 033).
import * as oidc from "openid-client";

/** The claims Flywheel reads from a validated ID token. */
export type SsoIdentity = { subject: string; email: string | null; emailVerified: boolean; name: string | null };

/** Turns on the ID token's signature check for `config` (discovery does it for every provider). */
export function checkSignatures(config: oidc.Configuration): void {
  oidc.enableNonRepudiationChecks(config);
}

/**
 * Redeems the code in `callbackUrl` (the app's redirect URI with the provider's query) and returns
 * the identity in its validated ID token. Throws when any check fails.
 */
export async function redeemCode(
  config: oidc.Configuration,
  callbackUrl: URL,
  checks: { codeVerifier: string; state: string; nonce: string },
): Promise<SsoIdentity> {
  const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
    pkceCodeVerifier: checks.codeVerifier,
    expectedState: checks.state,
    expectedNonce: checks.nonce,
    idTokenExpected: true,
  });
  return identityOf(tokens.claims());
}

/** The claims of a validated ID token, as Flywheel reads them. */
export function identityOf(claims: oidc.IDToken | undefined): SsoIdentity {
  if (!claims) throw new Error("the provider returned no ID token");
  const text = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : null);
  const email = text(claims.email)?.toLowerCase() ?? null;
  const name =
    text(claims.name) ?? ([text(claims.given_name), text(claims.family_name)].filter(Boolean).join(" ") || null);
  return {
    subject: claims.sub,
    email: email && email.length <= 254 && /^[^\s@]+@[^\s@]+$/.test(email) ? email : null,
    // Some providers send the flag as a string.
    emailVerified: claims.email_verified === true || claims.email_verified === "true",
    name: name?.slice(0, 100) ?? null,
  };
}
