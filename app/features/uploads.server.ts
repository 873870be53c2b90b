// Reading a request body no larger than a route allows, chunk by chunk: a body over the limit is
// refused as soon as it passes it, never held whole (server.mjs is the backstop for every route).
import { readForm } from "~/features/forms";
import { Refusal } from "~/features/refusal";

/** The body's bytes, or `tooLarge` as soon as more than `limit` bytes have arrived. */
export async function readCapped(
  body: ReadableStream<Uint8Array> | null,
  limit: number,
  tooLarge: () => Refusal,
): Promise<Buffer> {
  if (!body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/**
 * A form with a file in it (multipart), read with a cap: past `limit` bytes the upload is refused
 * with `tooLarge` (413) as it arrives. The bytes read are then parsed as the form they are.
 */
export async function readCappedForm(request: Request, limit: number, tooLarge: () => Refusal): Promise<FormData> {
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  const bytes = await readCapped(request.body, limit, tooLarge);
  const headers = { "content-type": request.headers.get("content-type") ?? "" };
  return readForm(new Request(request.url, { method: "POST", headers, body: new Uint8Array(bytes) }));
}
