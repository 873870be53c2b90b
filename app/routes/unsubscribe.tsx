import { Form, useActionData, useLoaderData } from "react-router";
import { db } from "~/db/connection.server";
import { succeeded } from "~/features/forms";
import type { Route } from "./+types/unsubscribe";
import { isValidUnsubscribeToken, unsubscribeWithToken } from "~/features/reinforcement/reminders.server";

export const meta: Route.MetaFunction = () => [{ title: "Unsubscribe · Flywheel" }];

// The link in a digest works without signing in; the token in it is the permission.
export async function loader({ params }: Route.LoaderArgs) {
  return { valid: await isValidUnsubscribeToken(db(), params.token) };
}

// No fields: the token in the address is the whole request. An unknown token changes nothing,
// and the page then shows the loader's "no longer valid".
export async function action({ params }: Route.ActionArgs) {
  return { ...succeeded(), ok: await unsubscribeWithToken(db(), params.token) };
}

export default function Unsubscribe() {
  const { valid } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="card">
      <h1 className="mb-2 text-2xl font-bold">Daily digest</h1>
      {result?.ok ? (
        <p>Done: you won't get the daily digest any more. You can switch it back on under Reminders.</p>
      ) : valid ? (
        <Form method="post">
          <p className="mb-4">Stop the daily digest e-mails? Your boosts still wait for you on Today.</p>
          <button type="submit" className="btn">
            Unsubscribe
          </button>
        </Form>
      ) : (
        <p>
          This link is no longer valid; the newest digest has a fresh one. You can also switch digests off under
          Reminders after signing in.
        </p>
      )}
    </div>
  );
}
