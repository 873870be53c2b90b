// Invitations and password resets are one flow: a link carries a token, the page behind it sets
// a password, and using the token (once) signs the account in. What both routes share is here.
import type { z } from "zod";
import type { Handle } from "~/db/connection.server";
import { handleForm } from "~/features/forms";
import { signedInRedirect } from "./sign-in.server";

/**
 * The set-password form behind a link: parse it with `schema`, let `use` spend the token and name
 * the account (or throw a Refusal: the link has expired, was used, ...), then sign that account
 * in on its home page.
 */
export async function setPasswordFromLink<S extends z.ZodType>(
  db: Handle,
  request: Request,
  schema: S,
  use: (input: z.infer<S>) => Promise<{ userId: string }>,
) {
  return handleForm(request, schema, async (input) => {
    const { userId } = await use(input);
    return signedInRedirect(db, request, userId, "/");
  });
}
