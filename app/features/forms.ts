// One way to read a form: parse with zod, and on failure give each field its message.
import { data } from "react-router";
import { z } from "zod";

export type FieldErrors = Record<string, string>;
export type Parsed<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

/**
 * The request's form. A body that is not a form (another content type, a broken multipart body)
 * is the sender's mistake: a 400 with a message, not a server error.
 */
export async function readForm(request: Request): Promise<FormData> {
  try {
    return await request.formData();
  } catch {
    throw data({ message: "That request did not carry a form. Reload the page and try again." }, { status: 400 });
  }
}

export function parseForm<S extends z.ZodType>(form: FormData, schema: S): Parsed<z.infer<S>> {
  // fromEntries defines own keys: a field named __proto__ stays a field, never the prototype.
  const raw: Record<string, unknown> = Object.fromEntries(
    [...new Set(form.keys())].map((key) => {
      const values = form.getAll(key).filter((v): v is string => typeof v === "string");
      return [key, values.length > 1 ? values : values[0]];
    }),
  );
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? "form");
    errors[field] ??= issue.message;
  }
  return { ok: false, errors };
}

/** A field that may be sent zero, one or many times (checkboxes, multi-selects). */
export function formList<T extends z.ZodType>(item: T) {
  return z.preprocess((v) => (v === undefined || v === "" ? [] : Array.isArray(v) ? v : [v]), z.array(item));
}

export const emailField = z
  .string({ error: "Enter an e-mail address." })
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: "Enter a valid e-mail address, like name@company.com." }));

export const noErrors: FieldErrors = {};

export function fieldError(field: string, message: string): FieldErrors {
  return { [field]: message };
}
