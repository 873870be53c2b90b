import { useActionData, useLoaderData } from "react-router";
import { db } from "~/db/connection.server";
import type { Route } from "./+types/reset-password";
import { isResetTokenOpen, resetPassword } from "~/features/auth/accounts.server";
import { setPasswordFromLink } from "~/features/auth/password-links.server";
import { newPasswordSchema } from "~/features/auth/schemas";
import { Refusal } from "~/features/refusal";
import { PasswordLinkPage } from "~/ui/password-link";

export const meta: Route.MetaFunction = () => [{ title: "Choose a new password · Flywheel" }];

export async function loader({ params }: Route.LoaderArgs) {
  return { open: await isResetTokenOpen(db(), params.token, new Date()) };
}

export async function action({ request, params }: Route.ActionArgs) {
  return setPasswordFromLink(db(), request, newPasswordSchema, async ({ password }) => {
    const reset = await resetPassword(db(), params.token, password, new Date());
    if (!reset) throw new Refusal("This link has expired or was already used. Ask for a new one.", 410);
    return reset;
  });
}

export default function ResetPassword() {
  const { open } = useLoaderData<typeof loader>();
  return (
    <PasswordLinkPage
      open={open}
      closed={{
        title: "This link can't be used",
        text: (
          <>
            Reset links work once, for one hour.{" "}
            <a className="underline" href="/forgot-password">
              Ask for a new one
            </a>
            .
          </>
        ),
      }}
      title="Choose a new password"
      labels={{ password: "New password", confirm: "New password again", submit: "Save and sign in" }}
      result={useActionData<typeof action>()}
    />
  );
}
