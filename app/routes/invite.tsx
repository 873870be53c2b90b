import { data, useActionData, useLoaderData } from "react-router";
import { db } from "~/db/connection.server";
import type { Route } from "./+types/invite";
import { acceptInvitation, findOpenInvitation } from "~/features/auth/accounts.server";
import { clientAddressContext } from "~/features/auth/context";
import { setPasswordFromLink } from "~/features/auth/password-links.server";
import { acceptInvitationSchema } from "~/features/auth/schemas";
import {
  addressKey,
  hitThrottle,
  retryAfterHeaders,
  THROTTLE,
  throttledMessage,
} from "~/features/auth/throttle.server";
import { Refusal } from "~/features/refusal";
import { Field } from "~/ui/form";
import { PasswordLinkPage } from "~/ui/password-link";

export const meta: Route.MetaFunction = () => [{ title: "Join your team · Flywheel" }];

export const headers: Route.HeadersFunction = retryAfterHeaders;

async function throttleInvite(args: Route.LoaderArgs | Route.ActionArgs) {
  const verdict = await hitThrottle(db(), [
    [addressKey("invite", args.context.get(clientAddressContext)), THROTTLE.inviteAddress],
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
  return setPasswordFromLink(db(), args.request, acceptInvitationSchema, async (input) => {
    const acceptance = await acceptInvitation(db(), args.params.token, input, new Date());
    if (acceptance.ok) return acceptance;
    if (acceptance.reason === "closed")
      throw new Refusal("This invitation has expired or was already used. Ask your admin for a new one.", 410);
    throw new Refusal(
      `${acceptance.email} already has a Flywheel account, and an account belongs to one organization. Sign in with it, or ask whoever invited you to invite another address.`,
      409,
    );
  });
}

export default function AcceptInvitation() {
  const { invite } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <PasswordLinkPage
      open={invite !== null}
      closed={{
        title: "This invitation can't be used",
        text: "It has expired or was already accepted. Ask your Flywheel admin to send a new one.",
      }}
      title={`Join ${invite?.orgName ?? ""}`}
      intro={`You're signing up as ${invite?.email ?? ""}.`}
      fields={<Field label="Your name" name="name" autoComplete="name" required error={result?.fieldErrors.name} />}
      labels={{ password: "Password", confirm: "Password again", submit: "Join and sign in" }}
      result={result}
    />
  );
}
