import { db } from "~/db/connection.server";
import type { Route } from "./+types/lesson-code";
import { notFound, requireUser } from "~/features/auth/require-user.server";
import { findLessonCode } from "~/features/content/catalog.server";
import { lessonScript } from "~/lesson-kit/lesson-component";
import { acceptedEncoding, compressedOnce } from "~/features/ops/compression.server";

/** A compiled lesson as a script file: immutable per content hash, answer keys already removed. */
export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args);
  const match = /^([a-f0-9]{64})\.js$/.exec(args.params.file);
  const code = match ? await findLessonCode(db(), user, match[1]!) : null;
  if (!code) throw notFound();
  const hash = match![1]!;
  const script = lessonScript(hash, code);
  const encoding = acceptedEncoding(args.request.headers.get("accept-encoding"));
  return new Response(encoding ? compressedOnce(`lesson-code:${hash}`, encoding, () => Buffer.from(script)) : script, {
    headers: {
      "Content-Type": "text/javascript; charset=utf-8",
      "Cache-Control": "private, max-age=31536000, immutable",
      "X-Content-Type-Options": "nosniff",
      Vary: "Accept-Encoding",
      ...(encoding ? { "Content-Encoding": encoding } : {}),
    },
  });
}
