import { data, Form, redirect, useActionData, useLoaderData } from "react-router";
import { z } from "zod";
import { db } from "~/db/connection.server";
import type { Route } from "./+types/invite";
import { acceptInvitation, findOpenInvitation } from "~/features/auth/accounts.server";
import { clientAddressContext } from "~/features/auth/context";
import { sessionCookie } from "~/features/auth/cookie.server";
import { nameField, passwordField } from "~/features/auth/schemas";
import { createSession } from "~/features/auth/sessions.server";
import { hitThrottle, retryAfterHeaders, THROTTLE, throttledMessage } from "~/features/auth/throttle.server";
import { noErrors, parseForm, readForm } from "~/features/forms";
import { Field, FormMessage } from "~/ui/form";

export const meta: Route.MetaFunction = () => [{ title: "Join your team · Flywheel" }];

export const headers: Route.HeadersFunction = retryAfterHeaders;

const acceptSchema = z
  .object({ name: nameField, password: passwordField, confirm: z.string({ error: "Type the password again." }) })
  .refine((v) => v.password === v.confirm, { error: "The two passwords differ.", path: ["confirm"] });

async function throttleInvite(args: Route.LoaderArgs | Route.ActionArgs) {
  const verdict = await hitThrottle(db(), [
    [`invite:address:${args.context.get(clientAddressContext)}`, THROTTLE.inviteAddress],
  ]);
  if (!verdict.allowed) {
    throw data(
      { message: throttledMessage(verdict.retryAfterSeconds) },
      { status: 429, headers: { "Retry-After": String(verdict.retryAfterSeconds) } },
    );
  }
}

export async function loader(args: Route.LoaderArgs) {
  await throttleInvite(args);
  const invite = await findOpenInvitation(db(), args.params.token);
  return { invite: invite ? { email: invite.email, orgName: invite.orgName } : null };
}

export async function action(args: Route.ActionArgs) {
  await throttleInvite(args);
  const parsed = parseForm(await readForm(args.request), acceptSchema);
  if (!parsed.ok) return data({ errors: parsed.errors, message: null }, { status: 400 });
  const result = await acceptInvitation(db(), args.params.token, parsed.data, new Date());
  if (!result.ok && result.reason === "closed")
    return data(
      { errors: noErrors, message: "This invitation has expired or was already used. Ask your admin for a new one." },
      { status: 410 },
    );
  if (!result.ok)
    return data(
      {
        errors: noErrors,
        message: `${result.email} already has a Flywheel account, and an account belongs to one organization. Sign in with it, or ask whoever invited you to invite another address.`,
      },
      { status: 409 },
    );
  return redirect("/", {
    headers: { "Set-Cookie": sessionCookie(args.request, await createSession(db(), result.userId)) },
  });
}

export default function AcceptInvitation() {
  const { invite } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  if (!invite) {
    return (
      <div className="card">
        <h1 className="mb-2 text-2xl font-bold">This invitation can't be used</h1>
        <p className="text-slate-700">
          It has expired or was already accepted. Ask your Flywheel admin to send a new one.
        </p>
      </div>
    );
  }
  return (
    <div className="card">
      <h1 className="mb-1 text-2xl font-bold">Join {invite.orgName}</h1>
      <p className="mb-6 text-slate-600">You're signing up as {invite.email}.</p>
      <Form method="post" className="flex flex-col gap-4" noValidate>
        {result?.message ? <FormMessage>{result.message}</FormMessage> : null}
        <Field label="Your name" name="name" autoComplete="name" required error={result?.errors.name} />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          hint="8 to 256 characters."
          required
          error={result?.errors.password}
        />
        <Field
          label="Password again"
          name="confirm"
          type="password"
          autoComplete="new-password"
          required
          error={result?.errors.confirm}
        />
        <button type="submit" className="btn">
          Join and sign in
        </button>
      </Form>
    </div>
  );
}
