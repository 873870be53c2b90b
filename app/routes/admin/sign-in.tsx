import { Form, useActionData, useLoaderData } from "react-router";
import { z } from "zod";
import { db } from "~/db/connection.server";
import type { Route } from "./+types/sign-in";
import { requireUser } from "~/features/auth/require-user.server";
import { onAdminPage } from "~/features/audit/audit.server";
import { failed, handleForm, succeeded } from "~/features/forms";
import { issuerProblem, ssoRedirectUri, testConnection } from "~/features/sso/provider.server";
import { SSO_DEFAULT_ROLES } from "~/features/sso/default-roles";
import {
  peopleOutsideClaimedDomains,
  saveSsoSettings,
  shownSsoSettings,
  ssoConnection,
} from "~/features/sso/settings.server";
import { Field, ResultMessage } from "~/ui/form";

export const meta: Route.MetaFunction = () => [{ title: "Sign-in · Admin · Flywheel" }];

export async function loader(args: Route.LoaderArgs) {
  const admin = requireUser(args, "admin");
  return {
    settings: await shownSsoSettings(db(), admin.orgId),
    outside: await peopleOutsideClaimedDomains(db(), admin.orgId),
    redirectUri: ssoRedirectUri(),
  };
}

const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const MAX_DOMAINS = 50;

const domainsField = z
  .string({ error: "Enter at least one e-mail domain, like acme.com." })
  .transform((text) => [
    ...new Set(
      text
        .toLowerCase()
        .split(/[\s,;]+/)
        .map((d) => d.replace(/^@/, ""))
        .filter(Boolean),
    ),
  ])
  .check((ctx) => {
    const bad = ctx.value.find((d) => !DOMAIN.test(d));
    if (bad)
      ctx.issues.push({
        code: "custom",
        input: ctx.value,
        message: `${bad.slice(0, 60)} is not a domain: write it like acme.com.`,
      });
    else if (ctx.value.length === 0)
      ctx.issues.push({
        code: "custom",
        input: ctx.value,
        message: "Enter at least one e-mail domain, like acme.com.",
      });
    else if (ctx.value.length > MAX_DOMAINS)
      ctx.issues.push({ code: "custom", input: ctx.value, message: `Enter at most ${MAX_DOMAINS} domains.` });
  });

const settingsSchema = z.object({
  intent: z.literal("save"),
  providerName: z
    .string({ error: "Name the provider as your people know it, like Okta." })
    .trim()
    .min(1, { error: "Name the provider as your people know it, like Okta." })
    .max(60, { error: "Use at most 60 characters." }),
  issuer: z
    .string({ error: "Enter the issuer URL your provider shows, like https://acme.okta.com." })
    .trim()
    .max(500, { error: "That issuer URL is too long." })
    .check((ctx) => {
      const problem = issuerProblem(ctx.value);
      if (problem) ctx.issues.push({ code: "custom", input: ctx.value, message: problem });
    })
    // The same issuer with or without its trailing slash: stored as the provider writes it in discovery.
    .transform((v) => v.replace(/\/+$/, "")),
  clientId: z
    .string({ error: "Enter the client ID your provider gave you." })
    .trim()
    .min(1, { error: "Enter the client ID your provider gave you." })
    .max(255, { error: "That client ID is too long." }),
  clientSecret: z.string().trim().max(1000, { error: "That client secret is too long." }).default(""),
  domains: domainsField,
  defaultRole: z.enum(SSO_DEFAULT_ROLES, { error: "Pick rep, manager or trainer." }),
  requireSso: z.preprocess((v) => v === "on", z.boolean()),
});

const actionSchema = z.preprocess(
  (raw) => ({ intent: "save", ...(raw as Record<string, unknown>) }),
  z.discriminatedUnion("intent", [settingsSchema, z.object({ intent: z.literal("test") })], {
    error: "This page does not know that action. Reload it and try again.",
  }),
);

export async function action(args: Route.ActionArgs) {
  const admin = requireUser(args, "admin");
  return handleForm(args.request, actionSchema, async (input) => {
    if (input.intent === "test") {
      const connection = await ssoConnection(db(), admin.orgId);
      if (!connection) return failed("Save the provider's settings first, then test them.", 400);
      const test = await testConnection(connection);
      return test.ok ? succeeded(test.message) : failed(test.message, 502);
    }
    await saveSsoSettings(db(), admin.orgId, input, new Date(), onAdminPage(admin));
    return succeeded("Sign-in settings saved. Test the connection to check them.");
  });
}

/** Who keeps a password under Require SSO because their address is on none of the domains. */
function outsideText({ count, names }: { count: number; names: string[] }): string {
  const listed = names.join(", ");
  const more = count > names.length ? ` and ${count - names.length} more` : "";
  return count === 1
    ? `1 person (${listed}) has an address on none of these domains and keeps signing in with a password: your provider cannot sign them in.`
    : `${count} people (${listed}${more}) have addresses on none of these domains and keep signing in with a password: your provider cannot sign them in.`;
}

export default function SignInSettings() {
  const { settings, outside, redirectUri } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result?.fieldErrors ?? {};
  return (
    <div className="flex flex-col gap-6">
      <section className="card max-w-2xl" aria-labelledby="sso-heading">
        <h2 id="sso-heading" className="text-lg font-semibold">
          Single sign-on (OpenID Connect)
        </h2>
        <p className="mt-1 text-slate-700">
          People whose address is in one of your domains can sign in through your identity provider (Okta, Microsoft
          Entra ID, Google Workspace, Keycloak…). Register Flywheel there as a web application with this redirect URI:
        </p>
        <p className="mt-2 break-all rounded bg-slate-100 px-3 py-2 font-mono text-sm">{redirectUri}</p>
      </section>
      <Form method="post" className="card flex max-w-2xl flex-col gap-4" noValidate>
        <ResultMessage result={result} />
        <input type="hidden" name="intent" value="save" />
        <Field
          label="Provider name"
          name="providerName"
          defaultValue={settings?.providerName}
          hint={'On the sign-in button: "Continue with …".'}
          error={errors.providerName}
        />
        <Field
          label="Issuer URL"
          name="issuer"
          type="url"
          defaultValue={settings?.issuer}
          hint="Flywheel reads the provider's discovery document from this address."
          error={errors.issuer}
        />
        <Field label="Client ID" name="clientId" defaultValue={settings?.clientId} error={errors.clientId} />
        <Field
          label="Client secret"
          name="clientSecret"
          type="password"
          autoComplete="off"
          hint={
            settings?.secretEnd
              ? `A secret ending in …${settings.secretEnd} is saved. Leave this empty to keep it.`
              : "Shown once by your provider; Flywheel never shows it back."
          }
          error={errors.clientSecret}
        />
        <div>
          <label htmlFor="field-domains" className="label">
            E-mail domains
          </label>
          <textarea
            id="field-domains"
            name="domains"
            rows={3}
            className="field"
            defaultValue={settings?.domains.join("\n")}
            aria-describedby={`field-domains-hint${errors.domains ? " field-domains-error" : ""}`}
            aria-invalid={errors.domains ? true : undefined}
          />
          <p id="field-domains-hint" className="mt-1 text-sm text-slate-600">
            One a line, like acme.com. People with these addresses are offered your provider on the sign-in page.
          </p>
          {errors.domains ? (
            <p id="field-domains-error" className="field-error" role="alert">
              {errors.domains}
            </p>
          ) : null}
        </div>
        <div>
          <label htmlFor="field-defaultRole" className="label">
            Role of people who join by signing in
          </label>
          <select
            id="field-defaultRole"
            name="defaultRole"
            className="field"
            defaultValue={settings?.defaultRole ?? "rep"}
          >
            {SSO_DEFAULT_ROLES.map((role) => (
              <option key={role} value={role}>
                {role}
              </option>
            ))}
          </select>
          {errors.defaultRole ? (
            <p className="field-error" role="alert">
              {errors.defaultRole}
            </p>
          ) : null}
        </div>
        <label className="flex items-start gap-2">
          <input type="checkbox" name="requireSso" defaultChecked={settings?.requireSso} className="mt-1" />
          <span>
            <strong>Require SSO.</strong> Password sign-in is off for people whose addresses are on these domains,
            admins excepted. An admin who signs in with a password is recorded in the audit trail and the other admins
            get an e-mail.
            {outside.count > 0 ? (
              <span className="mt-1 block text-sm text-slate-600" data-testid="outside-domains">
                {outsideText(outside)}
              </span>
            ) : null}
          </span>
        </label>
        <button type="submit" className="btn self-start">
          Save sign-in settings
        </button>
      </Form>
      {settings ? (
        <Form method="post" className="card max-w-2xl">
          <input type="hidden" name="intent" value="test" />
          <p className="mb-3 text-slate-700">Checks that Flywheel can read your provider&apos;s discovery document.</p>
          <button type="submit" className="btn-secondary">
            Test the connection
          </button>
        </Form>
      ) : null}
    </div>
  );
}
