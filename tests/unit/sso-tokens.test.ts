// The ID token checks that single sign-on relies on (decision 033), with tokens this test signs
// itself: the only hand-made tokens in the suite. The token endpoint and the provider's JWKS are
// served through openid-client's documented customFetch, so openid-client's real checks run.
import { generateKeyPairSync, createSign, type KeyObject } from "node:crypto";
import * as oidc from "openid-client";
import { describe, expect, it } from "vitest";
import { checkSignatures, redeemCode } from "~/features/sso/tokens.server";

const ISSUER = "https://idp.example.test";
const CLIENT_ID = "flywheel";
const REDIRECT = "https://flywheel.example.test/sso/callback";
const STATE = "state-of-this-sign-in";
const NONCE = "nonce-of-this-sign-in";

const providerKey = generateKeyPairSync("rsa", { modulusLength: 2048 });
const strangerKey = generateKeyPairSync("rsa", { modulusLength: 2048 });
const jwks = { keys: [{ ...providerKey.publicKey.export({ format: "jwk" }), kid: "k1", alg: "RS256", use: "sig" }] };

const base64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");

function sign(claims: Record<string, unknown>, key: KeyObject = providerKey.privateKey): string {
  const head = base64url(JSON.stringify({ alg: "RS256", kid: "k1", typ: "JWT" }));
  const body = base64url(JSON.stringify(claims));
  const signature = createSign("RSA-SHA256").update(`${head}.${body}`).sign(key);
  return `${head}.${body}.${base64url(signature)}`;
}

function goodClaims(): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: ISSUER,
    aud: CLIENT_ID,
    sub: "user-1",
    iat: now,
    exp: now + 300,
    nonce: NONCE,
    email: "Casey@Acme.test",
    email_verified: true,
    name: "Casey",
  };
}

/** A configuration like discovery's, whose token endpoint answers with `idToken`. */
function providerAnswering(idToken: string): oidc.Configuration {
  const config = new oidc.Configuration(
    {
      issuer: ISSUER,
      authorization_endpoint: `${ISSUER}/auth`,
      token_endpoint: `${ISSUER}/token`,
      jwks_uri: `${ISSUER}/jwks`,
      id_token_signing_alg_values_supported: ["RS256"],
    },
    CLIENT_ID,
    { redirect_uris: [REDIRECT] },
    oidc.ClientSecretBasic("secret"),
  );
  config[oidc.customFetch] = async (url) => {
    const json = (body: unknown) =>
      new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } });
    if (url === `${ISSUER}/jwks`) return json(jwks);
    if (url === `${ISSUER}/token`)
      return json({ access_token: "at", token_type: "Bearer", expires_in: 300, id_token: idToken });
    return new Response("not found", { status: 404 });
  };
  checkSignatures(config);
  return config;
}

/** What the refusal says, with its cause (openid-client names the claim or the check there). */
async function refusalOf(attempt: Promise<unknown>): Promise<string> {
  try {
    await attempt;
  } catch (error) {
    const chain: string[] = [];
    for (let e = error as (Error & { code?: string; cause?: unknown }) | undefined; e; e = e.cause as typeof e) {
      chain.push(`${e.code ?? e.name}: ${e.message}`);
      if (!(e.cause instanceof Error)) {
        if (e.cause) chain.push(JSON.stringify(e.cause));
        break;
      }
    }
    return chain.join(" ← ");
  }
  throw new Error("the token was accepted");
}

const redeem = (idToken: string) =>
  redeemCode(
    providerAnswering(idToken),
    new URL(`${REDIRECT}?code=the-code&state=${STATE}&iss=${encodeURIComponent(ISSUER)}`),
    {
      codeVerifier: oidc.randomPKCECodeVerifier(),
      state: STATE,
      nonce: NONCE,
    },
  );

describe("the ID token checks", () => {
  it("a token signed by the provider's key, for this client, unexpired, with this nonce, is accepted", async () => {
    expect(await redeem(sign(goodClaims()))).toEqual({
      subject: "user-1",
      email: "casey@acme.test",
      emailVerified: true,
      name: "Casey",
    });
  });

  it("a token for another audience is refused", async () => {
    expect(await refusalOf(redeem(sign({ ...goodClaims(), aud: "another-client" })))).toMatch(/"claim":"aud"/);
  });

  it("an expired token is refused", async () => {
    const hourAgo = Math.floor(Date.now() / 1000) - 3600;
    expect(await refusalOf(redeem(sign({ ...goodClaims(), iat: hourAgo - 300, exp: hourAgo })))).toMatch(/exp/);
  });

  it("a token signed with another key is refused", async () => {
    expect(await refusalOf(redeem(sign(goodClaims(), strangerKey.privateKey)))).toMatch(/signature/i);
  });

  it("a token with another nonce is refused", async () => {
    expect(await refusalOf(redeem(sign({ ...goodClaims(), nonce: "someone-elses-nonce" })))).toMatch(/nonce/);
  });

  it("a token from another issuer is refused", async () => {
    expect(await refusalOf(redeem(sign({ ...goodClaims(), iss: "https://evil.example.test" })))).toMatch(/iss/);
  });

  it("a callback whose state is not this sign-in's is refused before the code is redeemed", async () => {
    const config = providerAnswering(sign(goodClaims()));
    const url = new URL(`${REDIRECT}?code=the-code&state=another-state&iss=${encodeURIComponent(ISSUER)}`);
    expect(
      await refusalOf(
        redeemCode(config, url, { codeVerifier: oidc.randomPKCECodeVerifier(), state: STATE, nonce: NONCE }),
      ),
    ).toMatch(/state/);
  });
});
