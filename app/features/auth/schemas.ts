import { z } from "zod";
import { emailField } from "~/features/forms";

const PASSWORD_MIN = 8;
// argon2 hashes any length; the ceiling only keeps a huge body from costing a hash.
const PASSWORD_MAX = 256;

export const passwordField = z
  .string({ error: "Enter a password." })
  .min(PASSWORD_MIN, { error: `Use at least ${PASSWORD_MIN} characters.` })
  .max(PASSWORD_MAX, { error: `Use at most ${PASSWORD_MAX} characters.` });

export const nameField = z
  .string({ error: "Enter your name." })
  .trim()
  .min(1, { error: "Enter your name." })
  .max(100, { error: "Use at most 100 characters." });

export const loginSchema = z.object({
  email: emailField,
  // Any length is accepted here: the check is against the stored hash, never a truncation.
  password: z
    .string({ error: "Enter your password." })
    .min(1, { error: "Enter your password." })
    .max(1024, { error: "That password is too long." }),
  redirectTo: z.string().optional(),
});

export const newPasswordSchema = z
  .object({ password: passwordField, confirm: z.string({ error: "Type the password again." }) })
  .refine((v) => v.password === v.confirm, { error: "The two passwords differ.", path: ["confirm"] });
