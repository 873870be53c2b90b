import { Form, useActionData } from "react-router";
import { z } from "zod";
import { db } from "~/db/connection.server";
import type { Route } from "./+types/account-password";
import { changePassword } from "~/features/auth/accounts.server";
import { currentSessionId, requireUser } from "~/features/auth/require-user.server";
import { passwordField } from "~/features/auth/schemas";
import { retryAfterHeaders, throttledResult } from "~/features/auth/throttle.server";
import { failed, handleForm, succeeded } from "~/features/forms";
import { Field, ResultMessage, NewPasswordField } from "~/ui/form";
import { PageHeader } from "~/ui/page";
import { AccountTabs } from "~/ui/section-tabs";

export const meta: Route.MetaFunction = () => [{ title: "Change password · Flywheel" }];

export const headers: Route.HeadersFunction = retryAfterHeaders;

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
  return handleForm(args.request, changeSchema, async ({ current, password }) => {
    const change = await changePassword(db(), user.id, currentSessionId(args)!, current, password);
    if (change.ok) return succeeded("Password changed. Your other sessions have been signed out.");
    if (change.reason === "throttled") return throttledResult(change.retryAfterSeconds);
    return failed("That is not your current password.", 400, { field: "current" });
  });
}

export default function AccountPassword() {
  const result = useActionData<typeof action>();
  return (
    <div className="max-w-md">
      <PageHeader title="Change your password">Other devices are signed out when you change it.</PageHeader>
      <AccountTabs />
      <Form method="post" className="card flex flex-col gap-4" noValidate>
        <ResultMessage result={result} />
        <Field
          label="Current password"
          name="current"
          type="password"
          autoComplete="current-password"
          error={result?.fieldErrors.current}
        />
        <NewPasswordField label="New password" name="password" error={result?.fieldErrors.password} />
        <Field
          label="New password again"
          name="confirm"
          type="password"
          autoComplete="new-password"
          error={result?.fieldErrors.confirm}
        />
        <button type="submit" className="btn">
          Change password
        </button>
      </Form>
    </div>
  );
}
