import { db } from "~/db/connection.server";
import type { Route } from "./+types/content-preview-code";
import { notFound, requireUser } from "~/features/auth/require-user.server";
import { previewCode } from "~/features/studio/drafts.server";
import { lessonScript } from "~/lesson-kit/lesson-component";

/** A preview's compiled draft as a script, like /lesson-code, for the trainer's organization only. */
export async function loader(args: Route.LoaderArgs) {
  const trainer = requireUser(args, "content");
  const match = /^([a-f0-9]{64})\.js$/.exec(args.params.file);
  const code = match ? await previewCode(db(), trainer.orgId, args.params.lessonId, match[1]!) : null;
  if (!code) throw notFound();
  return new Response(lessonScript(match![1]!, code), {
    headers: {
      "Content-Type": "text/javascript; charset=utf-8",
      "Cache-Control": "private, max-age=3600",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
