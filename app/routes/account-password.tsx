import { data, Form, useActionData } from "react-router";
import { z } from "zod";
import { db } from "~/db/connection.server";
import type { Route } from "./+types/account-password";
import { changePassword } from "~/features/auth/accounts.server";
import { currentSessionId, requireUser } from "~/features/auth/require-user.server";
import { passwordField } from "~/features/auth/schemas";
import { fieldError, noErrors, parseForm, readForm } from "~/features/forms";
import { Field, FormMessage } from "~/ui/form";
import { PageHeader } from "~/ui/page";

export const meta: Route.MetaFunction = () => [{ title: "Change password · Flywheel" }];

const changeSchema = z
  .object({
    current: z.string().min(1, { error: "Enter your current password." }),
    password: passwordField,
    confirm: z.string(),
  })
  .refine((v) => v.password === v.confirm, { error: "The two passwords differ.", path: ["confirm"] });

export async function loader(args: Route.LoaderArgs) {
  requireUser(args);
  return null;
}

export async function action(args: Route.ActionArgs) {
  const user = requireUser(args);
  const parsed = parseForm(await readForm(args.request), changeSchema);
  if (!parsed.ok) return data({ errors: parsed.errors, done: false }, { status: 400 });
  const changed = await changePassword(
    db(),
    user.id,
    currentSessionId(args)!,
    parsed.data.current,
    parsed.data.password,
  );
  if (!changed)
    return data({ errors: fieldError("current", "That is not your current password."), done: false }, { status: 400 });
  return { errors: noErrors, done: true };
}

export default function AccountPassword() {
  const result = useActionData<typeof action>();
  return (
    <div className="max-w-md">
      <PageHeader title="Change your password">Other devices are signed out when you change it.</PageHeader>
      <Form method="post" className="card flex flex-col gap-4" noValidate>
        {result?.done ? (
          <FormMessage tone="success">Password changed. Your other sessions have been signed out.</FormMessage>
        ) : null}
        <Field
          label="Current password"
          name="current"
          type="password"
          autoComplete="current-password"
          error={result?.errors.current}
        />
        <Field
          label="New password"
          name="password"
          type="password"
          autoComplete="new-password"
          hint="8 to 256 characters."
          error={result?.errors.password}
        />
        <Field
          label="New password again"
          name="confirm"
          type="password"
          autoComplete="new-password"
          error={result?.errors.confirm}
        />
        <button type="submit" className="btn">
          Change password
        </button>
      </Form>
    </div>
  );
}
