// Signing in through the organization's OpenID provider (decision 033): the authorization-code
// flow with PKCE, state and nonce, kept server-side in sso_logins and bound to the browser by a
// short-lived cookie; the ID token checked by openid-client (issuer, audience, expiry, signature
// through the provider's JWKS, nonce); the account found, linked or made just in time.
import { and, eq, gt, isNull, lt } from "drizzle-orm";
import * as oidc from "openid-client";
import { changedRows, first, transaction, type Handle } from "~/db/connection.server";
import { newId, randomToken } from "~/db/ids";
import { ssoConnections, ssoDomains, ssoIdentities, ssoLogins, userRoles, users } from "~/db/schema";
import { recordAudit, type AuditActor } from "~/features/audit/audit.server";
import { hashLinkToken } from "~/features/auth/tokens.server";
import { log } from "~/shared/log.server";
import { providerConfiguration, reason, ssoRedirectUri } from "./provider.server";
import { claimedDomains, ssoConnection } from "./settings.server";
import { redeemCode, type SsoIdentity } from "./tokens.server";

const OIDC_SCOPES = ["openid", "email", "profile"] as const;

/** A sign-in started at the provider must come back within this time. */
export const SSO_LOGIN_TTL_MS = 10 * 60_000;

/** The words for any address single sign-on cannot use: they never say why, nor name an organization. */
export const UNUSABLE_SSO_ADDRESS =
  "This address cannot be used to sign in to Flywheel here. Ask your Flywheel admin for help.";

export const domainOf = (email: string) => email.slice(email.lastIndexOf("@") + 1).toLowerCase();

/** The provider that signs in an address's domain, or null when the domain has none. */
export async function ssoForAddress(
  db: Handle,
  email: string,
): Promise<{ orgId: string; providerName: string; requireSso: boolean } | null> {
  const row = await first(
    db
      .select({
        orgId: ssoConnections.orgId,
        providerName: ssoConnections.providerName,
        requireSso: ssoConnections.requireSso,
      })
      .from(ssoDomains)
      .innerJoin(ssoConnections, eq(ssoConnections.orgId, ssoDomains.orgId))
      .where(eq(ssoDomains.domain, domainOf(email)))
      .limit(1),
  );
  return row ?? null;
}

/**
 * Starts a sign-in at `orgId`'s provider: stores the state's hash with the PKCE verifier, the
 * nonce, the issuer and the hash of `browserSecret` (the caller puts the secret in a cookie), and
 * returns the provider's authorization URL. `returnTo` must already be a safe same-app path.
 */
export async function beginSsoSignIn(
  db: Handle,
  input: { orgId: string; email: string | null; returnTo: string },
  now: Date,
): Promise<{ url: string; browserSecret: string }> {
  const connection = await ssoConnection(db, input.orgId);
  if (!connection) throw new Error("single sign-on is not set up for this organization");
  const config = await providerConfiguration(connection, now.getTime());
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const browserSecret = randomToken(20);
  // Sign-ins never finished are kept a day past their expiry, then cleared by the next start.
  await db.delete(ssoLogins).where(lt(ssoLogins.expiresAt, new Date(now.getTime() - 24 * 60 * 60_000)));
  await db.insert(ssoLogins).values({
    stateHash: hashLinkToken(state),
    orgId: input.orgId,
    issuer: connection.issuer,
    codeVerifier,
    nonce,
    browserHash: hashLinkToken(browserSecret),
    returnTo: input.returnTo,
    createdAt: now,
    expiresAt: new Date(now.getTime() + SSO_LOGIN_TTL_MS),
  });
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: ssoRedirectUri(),
    // OpenID Connect's scope tokens (protocol words, not text a person reads).
    scope: OIDC_SCOPES.join(" "),
    response_type: "code",
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
    state,
    nonce,
    ...(input.email ? { login_hint: input.email } : {}),
  });
  return { url: url.href, browserSecret };
}

export type SsoOutcome =
  { ok: true; userId: string; returnTo: string } | { ok: false; reason: SsoRefusal; message: string };

export type SsoRefusal = "state" | "mix-up" | "provider" | "unverified" | "unusable" | "deactivated";

const STATE_MESSAGE =
  "This sign-in has expired, was already used or was started in another browser. Start again from the sign-in page.";

const refused = (why: SsoRefusal, message: string): SsoOutcome => ({ ok: false, reason: why, message });

/**
 * Finishes a sign-in on the provider's redirect back. `search` is the callback's query string;
 * the URL it is checked against is built from the configured origin (ssoRedirectUri), never from
 * a request header. `browserSecret` is the cookie's value. Refuses a missing, unknown, expired or
 * reused state, a state of another browser, and an `iss` that is not the issuer the sign-in went
 * to (a mix-up of two providers' answers); the state is spent before the code is redeemed, so a
 * replayed callback is refused even while the first is still under way.
 */
export async function finishSsoSignIn(
  db: Handle,
  input: { search: string; browserSecret: string | null },
  now: Date,
): Promise<SsoOutcome> {
  const params = new URLSearchParams(input.search);
  const state = params.get("state");
  if (!state || state.length > 512) return refused("state", STATE_MESSAGE);
  const stateHash = hashLinkToken(state);
  const login = await first(db.select().from(ssoLogins).where(eq(ssoLogins.stateHash, stateHash)).limit(1));
  if (!login) return refused("state", STATE_MESSAGE);
  const spent = await db
    .update(ssoLogins)
    .set({ usedAt: now })
    .where(and(eq(ssoLogins.stateHash, stateHash), isNull(ssoLogins.usedAt), gt(ssoLogins.expiresAt, now)));
  if (changedRows(spent) !== 1) return refused("state", STATE_MESSAGE);
  if (!input.browserSecret || hashLinkToken(input.browserSecret) !== login.browserHash)
    return refused("state", STATE_MESSAGE);

  const iss = params.get("iss");
  const connection = await ssoConnection(db, login.orgId);
  if ((iss !== null && iss !== login.issuer) || !connection || connection.issuer !== login.issuer)
    return refused("mix-up", "That answer did not come from the provider this sign-in went to. Start again.");
  const providerError = params.get("error");
  if (providerError)
    return refused(
      "provider",
      `Your provider did not sign you in (${providerError.slice(0, 100)}). Start again, or ask your IT team.`,
    );

  let identity: SsoIdentity;
  try {
    const config = await providerConfiguration(connection, now.getTime());
    const callbackUrl = new URL(ssoRedirectUri());
    callbackUrl.search = params.toString();
    identity = await redeemCode(config, callbackUrl, { codeVerifier: login.codeVerifier, state, nonce: login.nonce });
  } catch (error) {
    log.warn({ err: reason(error), orgId: login.orgId }, "single sign-on: the provider's answer was refused");
    return refused(
      "provider",
      "Your provider's answer could not be verified, so you are not signed in. Start again from the sign-in page.",
    );
  }
  const outcome = await accountFor(db, login.orgId, login.issuer, identity, now);
  return outcome.ok ? { ...outcome, returnTo: login.returnTo } : outcome;
}

const SSO: AuditActor = { userId: null, source: "sso" };

/**
 * The account a validated identity signs in to, in `orgId` only:
 * - the account already linked to this issuer and subject;
 * - else the account of this organization with the same address, linked now, if the provider
 *   says the address is verified;
 * - else a new account with the organization's default role, if the address is verified.
 * An address outside the organization's claimed domains, or with an account in another
 * organization, is refused in the words used for any unusable address, and audited.
 */
export async function accountFor(
  db: Handle,
  orgId: string,
  issuer: string,
  identity: SsoIdentity,
  now: Date,
): Promise<{ ok: true; userId: string } | { ok: false; reason: SsoRefusal; message: string }> {
  return transaction(db, async (tx) => {
    const audit = (
      action: "sign-in.sso-joined" | "sign-in.sso-linked" | "sign-in.sso-refused",
      userId: string | null,
      label: string,
      details: Record<string, unknown> = {},
    ) =>
      recordAudit(
        tx,
        orgId,
        { ...SSO, userId, email: userId ? label : null },
        { action, subjectType: "user", subjectId: userId, subjectLabel: label, details },
        now,
      );
    const linked = await first(
      tx
        .select({ userId: users.id, orgId: users.orgId, active: users.active, email: users.email })
        .from(ssoIdentities)
        .innerJoin(users, eq(users.id, ssoIdentities.userId))
        .where(and(eq(ssoIdentities.issuer, issuer), eq(ssoIdentities.subject, identity.subject)))
        .limit(1),
    );
    if (linked) {
      if (linked.orgId !== orgId) return refused("unusable", UNUSABLE_SSO_ADDRESS);
      if (!linked.active) {
        await audit("sign-in.sso-refused", null, linked.email, { reason: "the account is deactivated" });
        return refused(
          "deactivated",
          "Your Flywheel account is deactivated. Ask your Flywheel admin to reactivate it.",
        );
      }
      return { ok: true, userId: linked.userId };
    }

    const email = identity.email;
    if (!email || !(await claimedDomains(tx, orgId)).includes(domainOf(email))) {
      await audit("sign-in.sso-refused", null, email ?? `(subject ${identity.subject.slice(0, 60)})`, {
        reason: email ? "the address is outside the organization's sign-in domains" : "the provider sent no address",
      });
      return refused("unusable", UNUSABLE_SSO_ADDRESS);
    }
    const existing = await first(
      tx
        .select({ id: users.id, orgId: users.orgId, active: users.active })
        .from(users)
        .where(eq(users.email, email))
        .limit(1),
    );
    if (existing && existing.orgId !== orgId) {
      await audit("sign-in.sso-refused", null, email, { reason: "the address has an account in another organization" });
      return refused("unusable", UNUSABLE_SSO_ADDRESS);
    }
    if (!identity.emailVerified) {
      await audit("sign-in.sso-refused", null, email, { reason: "the provider has not verified the address" });
      return refused(
        "unverified",
        `Your provider has not verified the address ${email}, so Flywheel cannot sign you in with it. Ask your IT team to verify it, then try again.`,
      );
    }
    if (existing && !existing.active) {
      await audit("sign-in.sso-refused", null, email, { reason: "the account is deactivated" });
      return refused("deactivated", "Your Flywheel account is deactivated. Ask your Flywheel admin to reactivate it.");
    }

    let userId: string;
    if (existing) {
      userId = existing.id;
      await audit("sign-in.sso-linked", userId, email, { issuer });
    } else {
      const connection = await first(
        tx.select({ role: ssoConnections.defaultRole }).from(ssoConnections).where(eq(ssoConnections.orgId, orgId)),
      );
      const role = connection?.role ?? "rep";
      userId = newId();
      await tx.insert(users).values({
        id: userId,
        orgId,
        email,
        name: identity.name ?? email.slice(0, email.indexOf("@")),
        passwordHash: null,
      });
      await tx.insert(userRoles).values({ orgId, userId, role });
      await audit("sign-in.sso-joined", userId, email, { roles: [role] });
    }
    await tx.insert(ssoIdentities).values({ issuer, subject: identity.subject, orgId, userId, createdAt: now });
    return { ok: true, userId };
  });
}
