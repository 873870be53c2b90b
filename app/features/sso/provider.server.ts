// The organization's OpenID provider as openid-client sees it: discovered from its issuer URL,
// with the ID token's signature checked against the provider's JWKS (decision 033).
import * as oidc from "openid-client";
import { appUrl } from "~/shared/app-origin.server";
import { checkSignatures } from "./tokens.server";

/** What Flywheel needs to talk to a provider. */
export type ProviderSettings = { issuer: string; clientId: string; clientSecret: string };

/** The redirect URI to register at the provider: from the configured public origin, never a request header. */
export function ssoRedirectUri(): string {
  return appUrl("/sso/callback");
}

/**
 * Plain http to a provider on this machine, for the tests' own provider only: the test servers set
 * FLYWHEEL_SSO_HTTP_LOCALHOST=1, production never does, and even then only a loopback issuer
 * qualifies. Everywhere else the issuer must be https (openid-client refuses http by itself too).
 */
export function allowsHttpIssuer(issuer: URL): boolean {
  return (
    process.env.FLYWHEEL_SSO_HTTP_LOCALHOST === "1" &&
    issuer.protocol === "http:" &&
    ["localhost", "127.0.0.1", "[::1]"].includes(issuer.hostname)
  );
}

/** Why an issuer URL cannot be used, or null when it can. */
export function issuerProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "Enter the issuer URL your provider shows, like https://acme.okta.com.";
  }
  if (url.search || url.hash || url.username || url.password)
    return "Enter the issuer URL without a query, fragment or credentials.";
  if (url.protocol !== "https:" && !allowsHttpIssuer(url)) return "The issuer URL must start with https://.";
  return null;
}

const DISCOVERY_TIMEOUT_SECONDS = 10;
const CACHE_MS = 10 * 60_000;
const cache = new Map<string, { config: oidc.Configuration; until: number }>();

/**
 * The provider's configuration from its discovery document (cached for ten minutes in this
 * process, keyed by every setting, so a saved change takes effect at once). Throws on failure.
 */
export async function providerConfiguration(settings: ProviderSettings, now = Date.now()): Promise<oidc.Configuration> {
  const key = JSON.stringify([settings.issuer, settings.clientId, settings.clientSecret]);
  const hit = cache.get(key);
  if (hit && hit.until > now) return hit.config;
  const issuer = new URL(settings.issuer);
  const execute = [checkSignatures];
  if (allowsHttpIssuer(issuer)) execute.push(oidc.allowInsecureRequests);
  const config = await oidc.discovery(
    issuer,
    settings.clientId,
    { redirect_uris: [ssoRedirectUri()], response_types: ["code"] },
    oidc.ClientSecretBasic(settings.clientSecret),
    { execute, timeout: DISCOVERY_TIMEOUT_SECONDS },
  );
  cache.set(key, { config, until: now + CACHE_MS });
  return config;
}

export type ConnectionTest = { ok: true; message: string } | { ok: false; message: string };

/** Discovers the provider and says, for the admin, what was found or what went wrong. */
export async function testConnection(settings: ProviderSettings): Promise<ConnectionTest> {
  try {
    cache.delete(JSON.stringify([settings.issuer, settings.clientId, settings.clientSecret]));
    const metadata = (await providerConfiguration(settings)).serverMetadata();
    const missing = (["authorization_endpoint", "token_endpoint", "jwks_uri"] as const).filter((k) => !metadata[k]);
    if (missing.length) return { ok: false, message: `The provider's discovery document lacks ${missing.join(", ")}.` };
    return {
      ok: true,
      message: `Connected: ${metadata.issuer} answered its discovery document, with its sign-in, token and key addresses.`,
    };
  } catch (error) {
    return { ok: false, message: `Could not discover the provider at ${settings.issuer}: ${reason(error)}` };
  }
}

/** A discovery or token failure in words (openid-client's errors carry a readable message). */
export function reason(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : "";
    return `${error.message}${cause}`;
  }
  return String(error);
}
