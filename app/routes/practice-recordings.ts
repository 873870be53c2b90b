import { db } from "~/db/connection.server";
import type { Route } from "./+types/practice-recordings";
import { requireUser } from "~/features/auth/require-user.server";
import { saveRecording } from "~/features/practice/recordings.server";
import { Refusal } from "~/features/refusal";

export async function action(args: Route.ActionArgs) {
  const user = requireUser(args, "practice");
  try {
    return Response.json(await saveRecording(db(), user, args.request), { status: 201 });
  } catch (error) {
    // The recorder reads JSON, not a page: the refusal's message and status as JSON.
    if (error instanceof Refusal) return Response.json({ error: error.message }, { status: error.status });
    throw error;
  }
}

export async function loader() {
  return Response.json({ error: "Upload a recording with POST." }, { status: 405 });
}
