import { db } from "~/db/connection.server";
import type { Route } from "./+types/push-forget";
import { forgetDevice } from "~/features/push/subscriptions.server";

/**
 * The service worker posts the endpoint of a subscription it ended (its rep signed out on this
 * browser, decision 036), so the next reminder goes by e-mail instead of to a dead address. No
 * session: the sign-out may already have ended it, and knowing the endpoint is the permission.
 * The answer is the same whether or not the endpoint was on file.
 */
export async function action(args: Route.ActionArgs) {
  let endpoint: unknown = null;
  try {
    endpoint = ((await args.request.json()) as { endpoint?: unknown } | null)?.endpoint;
  } catch {
    return Response.json({ error: 'Send {"endpoint": "…"} as JSON.' }, { status: 400 });
  }
  await forgetDevice(db(), endpoint);
  return new Response(null, { status: 204 });
}

export async function loader() {
  return Response.json({ error: "Post the ended subscription's endpoint." }, { status: 405 });
}
