import { Form, useActionData, useLoaderData } from "react-router";
import { z } from "zod";
import { db } from "~/db/connection.server";
import type { Route } from "./+types/scim";
import { onAdminPage } from "~/features/audit/audit.server";
import { requireUser } from "~/features/auth/require-user.server";
import { handleForm, succeeded } from "~/features/forms";
import { SCIM_BASE_PATH } from "~/features/scim/discovery.server";
import { createScimToken, listScimTokens, revokeScimToken } from "~/features/scim/tokens.server";
import { appUrl } from "~/shared/app-origin.server";
import { momentLabel } from "~/shared/date-formats";
import { Field, FormMessage, ResultMessage } from "~/ui/form";

export const meta: Route.MetaFunction = () => [{ title: "SCIM · Admin · Flywheel" }];

export async function loader(args: Route.LoaderArgs) {
  const admin = requireUser(args, "admin");
  return {
    tokens: await listScimTokens(db(), admin.orgId),
    // The configured public address, as in e-mail links: never one read from the request.
    baseUrl: appUrl(SCIM_BASE_PATH),
    now: new Date(),
    timezone: admin.timezone,
  };
}

const actionSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({
      intent: z.literal("create"),
      label: z
        .string({ error: "Name the token after the identity provider that will use it, like Okta." })
        .trim()
        .min(1, { error: "Name the token after the identity provider that will use it, like Okta." })
        .max(60, { error: "Keep the name under 60 characters." }),
    }),
    z.object({
      intent: z.literal("revoke"),
      tokenId: z
        .string({ error: "Pick a token from the list." })
        .regex(/^[a-z0-9]{1,64}$/, { error: "That token is not one of your organization's." }),
    }),
  ],
  { error: "This page does not know that action. Reload it and try again." },
);

/** A token just made: shown in this answer only, never stored whole. */
type Created = { token: string; label: string };

export async function action(args: Route.ActionArgs) {
  const admin = requireUser(args, "admin");
  const now = new Date();
  return handleForm(args.request, actionSchema, async (input) => {
    if (input.intent === "create") {
      const { token } = await createScimToken(db(), admin.orgId, input.label, onAdminPage(admin), now);
      return succeeded<Created>(null, { token, label: input.label });
    }
    await revokeScimToken(db(), admin.orgId, input.tokenId, onAdminPage(admin), now);
    return succeeded<Created>("The token is revoked: requests that send it are refused from now on.");
  });
}

export default function AdminScim() {
  const { tokens, baseUrl, now, timezone } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const created = result?.ok ? (result.detail as Created | undefined) : undefined;
  const when = (at: Date | string | null) => (at ? momentLabel(new Date(at), timezone, new Date(now)) : "Never");
  return (
    <div className="flex flex-col gap-6">
      {created ? null : <ResultMessage result={result} />}
      <section className="card max-w-3xl" aria-labelledby="scim-heading">
        <h2 id="scim-heading" className="text-lg font-semibold">
          Provisioning from your identity provider (SCIM 2.0)
        </h2>
        <p className="mt-1 text-slate-700">
          Okta, Microsoft Entra ID and other identity providers can add, change and deactivate your people and keep your
          teams’ members in step. In the provider’s provisioning settings, enter:
        </p>
        <dl className="mt-3 grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[auto_1fr]">
          <dt className="font-medium">SCIM base URL</dt>
          <dd>
            <code className="break-all">{baseUrl}</code>
          </dd>
          <dt className="font-medium">Authentication</dt>
          <dd>HTTP header (bearer token): a token made below</dd>
          <dt className="font-medium">Unique identifier</dt>
          <dd>userName, the person’s e-mail address</dd>
        </dl>
        <p className="mt-3 text-sm text-slate-600">
          New people join as reps and get an invitation to choose a password. Groups become teams, their members the
          team’s members; a person’s manager becomes a manager of that person’s teams. Deactivating or deleting someone
          in the provider deactivates them here and signs them out at once; their history stays. Every change is in the
          audit trail.
        </p>
      </section>

      <section className="card max-w-3xl" aria-labelledby="new-token-heading">
        <h2 id="new-token-heading" className="text-lg font-semibold">
          New token
        </h2>
        {created ? (
          <div className="mt-3 flex flex-col gap-2">
            <FormMessage tone="success">
              Token “{created.label}” created. Copy it into your identity provider now: it is shown only this once.
            </FormMessage>
            <label htmlFor="new-token" className="label">
              Token
            </label>
            <input
              id="new-token"
              readOnly
              value={created.token}
              className="field font-mono"
              aria-describedby="new-token-hint"
            />
            <p id="new-token-hint" className="text-sm text-slate-600">
              Flywheel keeps only a fingerprint of it. If it is lost, make another and revoke this one.
            </p>
          </div>
        ) : null}
        <Form method="post" className="mt-3 flex flex-col gap-3" noValidate>
          <input type="hidden" name="intent" value="create" />
          <Field
            label="Name"
            name="label"
            maxLength={60}
            hint="The identity provider that will use it, like Okta or Entra ID."
            error={result?.fieldErrors.label}
          />
          <button type="submit" className="btn self-start">
            Create token
          </button>
        </Form>
      </section>

      <section className="card max-w-3xl" aria-labelledby="tokens-heading">
        <h2 id="tokens-heading" className="text-lg font-semibold">
          Tokens
        </h2>
        {tokens.length === 0 ? (
          <p className="mt-1 text-slate-600">No token yet: your people are not provisioned by SCIM.</p>
        ) : (
          <ul className="mt-2 divide-y divide-slate-100">
            {tokens.map((t) => (
              <li key={t.id} className="flex flex-col gap-2 py-3 sm:flex-row sm:items-center sm:justify-between">
                <div>
                  <p className="font-medium">{t.label}</p>
                  <p className="text-sm text-slate-600">
                    Created {when(t.createdAt)}
                    {t.createdBy ? ` by ${t.createdBy}` : ""} · Last used {when(t.lastUsedAt)}
                    {t.revokedAt ? ` · Revoked ${when(t.revokedAt)}` : ""}
                  </p>
                </div>
                {t.revokedAt ? null : (
                  <Form method="post">
                    <input type="hidden" name="intent" value="revoke" />
                    <input type="hidden" name="tokenId" value={t.id} />
                    <button type="submit" className="btn-secondary" aria-label={`Revoke ${t.label}`}>
                      Revoke
                    </button>
                  </Form>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
