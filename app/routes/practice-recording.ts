import fs from "node:fs";
import { createReadableStreamFromReadable } from "@react-router/node";
import { db } from "~/db/connection.server";
import type { Route } from "./+types/practice-recording";
import { notFound, requireUser } from "~/features/auth/require-user.server";
import { recordingFor } from "~/features/practice/recordings.server";

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args);
  const recording = await recordingFor(db(), user, args.params.recordingId);
  if (!recording || !fs.existsSync(recording.file)) throw notFound("We couldn't find that recording.");
  return new Response(createReadableStreamFromReadable(fs.createReadStream(recording.file)), {
    headers: {
      "Content-Type": recording.contentType,
      "Content-Length": String(recording.bytes),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
      // Audio for an <audio> element; opened on its own it is never a page that runs anything.
      "Content-Security-Policy": "default-src 'none'; sandbox",
    },
  });
}
