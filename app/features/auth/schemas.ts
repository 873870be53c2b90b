import { z } from "zod";
import { emailField } from "~/features/forms";
import { PASSWORD_MAX, PASSWORD_MIN } from "~/shared/passwords";

export const passwordField = z
  .string({ error: "Enter a password." })
  .min(PASSWORD_MIN, { error: `Use at least ${PASSWORD_MIN} characters.` })
  .max(PASSWORD_MAX, { error: `Use at most ${PASSWORD_MAX} characters.` });

export const nameField = z
  .string({ error: "Enter your name." })
  .trim()
  .min(1, { error: "Enter your name." })
  .max(100, { error: "Use at most 100 characters." });

/**
 * The sign-in page's three requests: a password sign-in (the default), "use single sign-on" (the
 * e-mail alone: the page answers with its provider's button) and that button, which starts the
 * sign-in at the provider.
 */
export const loginSchema = z.object({
  intent: z.enum(["password", "sso", "sso-start"]).default("password"),
  email: emailField,
  // Any length is accepted here: the check is against the stored hash, never a truncation.
  password: z.string().max(1024, { error: "That password is too long." }).optional(),
  redirectTo: z.string().optional(),
});

// A new password is typed twice; the second must match the first.
const newPassword = { password: passwordField, confirm: z.string({ error: "Type the password again." }) };
const sameTwice = (v: { password: string; confirm: string }) => v.password === v.confirm;
const differ = { error: "The two passwords differ.", path: ["confirm"] };

/** The password-reset link's form. */
export const newPasswordSchema = z.object(newPassword).refine(sameTwice, differ);

/** The invitation link's form: the invitee's name, then the password. */
export const acceptInvitationSchema = z.object({ name: nameField, ...newPassword }).refine(sameTwice, differ);
