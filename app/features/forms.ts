// One way to read a form: parse with zod, and on failure give each field its message.
import { data } from "react-router";
import { z } from "zod";
import { addDays, isCalendarDay } from "~/shared/days";
import { Refusal } from "~/features/refusal";
import type { ActionResult, FieldErrors } from "~/shared/action-result";

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

/**
 * A set sent as a repeated field (checkboxes, multi-selects): a value sent twice counts once,
 * and more than `max` distinct values is refused with a message, so an oversized list never
 * reaches a query (each engine caps the parameters of one statement).
 */
export function uniqueList<T extends z.ZodType<string>>(item: T, max: number, what: string) {
  return formList(item)
    .transform((values) => [...new Set(values)])
    .refine((values) => values.length <= max, { error: `Pick at most ${max} ${what}.` });
}

/**
 * The key a create form carries (rendered fresh by its loader) so that the same form sent
 * twice creates one thing: see claimSubmission in app/features/submissions.server.ts.
 */
export const submissionField = z
  .string({ error: "The form is out of date. Reload the page." })
  .regex(/^[a-z0-9-]{8,120}$/, { error: "The form is out of date. Reload the page." });

export const MAX_DAYS_AHEAD = 2 * 366;

/**
 * A due date: a real calendar day from `today` (the organization's, computed from an injected
 * `now`) to about two years ahead. The one validator for every form that sets a due date.
 */
export function dueDayField(today: string) {
  return z
    .string({ error: "Pick a due date." })
    .trim()
    .refine(isCalendarDay, { error: "Pick a due date on the calendar, like 2027-03-14.", abort: true })
    .refine((day) => day >= today, { error: "Pick a due date from today on.", abort: true })
    .refine((day) => day <= addDays(today, MAX_DAYS_AHEAD), { error: "Pick a due date within the next two years." });
}

export const emailField = z
  .string({ error: "Enter an e-mail address." })
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: "Enter a valid e-mail address, like name@company.com." }));

export const noErrors: FieldErrors = {};

type FailureOptions<Detail> = {
  /** The field the message belongs under; without one it is about the whole form. */
  field?: string;
  /**
   * The page shows one message above its forms rather than one under each field (pages of
   * small one-button forms): the first message is also the form's error.
   */
  oneMessage?: boolean;
  detail?: Detail;
  headers?: HeadersInit;
};

/** A failed action's answer: its ActionResult with the HTTP status (and headers) it goes out with. */
export type FailedAction<Detail = undefined> = ReturnType<typeof data<ActionResult<Detail>>>;

export function succeeded<Detail = undefined>(message: string | null = null, detail?: Detail): ActionResult<Detail> {
  return { ok: true, message, formError: null, fieldErrors: noErrors, detail };
}

/** A failure the action states itself: under a field (`options.field`) or for the whole form. */
export function failed<Detail = undefined>(
  message: string,
  status: number,
  { field, oneMessage, detail, headers }: FailureOptions<Detail> = {},
): FailedAction<Detail> {
  return data(
    {
      ok: false,
      message: null,
      formError: field && !oneMessage ? null : message,
      fieldErrors: field ? { [field]: message } : noErrors,
      detail,
    },
    { status, headers },
  );
}

/** The message to show when a page has room for one. */
export function firstMessage(errors: FieldErrors): string {
  return Object.values(errors)[0] ?? "Check the form.";
}

/** A form that did not parse: each field's message, with status 400. */
export function invalid<Detail = undefined>(
  errors: FieldErrors,
  { oneMessage, detail }: Pick<FailureOptions<Detail>, "oneMessage" | "detail"> = {},
): FailedAction<Detail> {
  const formError = oneMessage ? firstMessage(errors) : null;
  return data({ ok: false, message: null, formError, fieldErrors: errors, detail }, { status: 400 });
}

/** A feature's refusal as the action's answer, with the refusal's status. */
export function refused<Detail = undefined>(
  refusal: Refusal,
  options: Omit<FailureOptions<Detail>, "field"> = {},
): FailedAction<Detail> {
  return failed(refusal.message, refusal.status, { ...options, field: refusal.field });
}

/**
 * The one way an action takes a form: read it, parse it with `schema` (field errors and 400 on
 * failure), then `run` with the parsed input; a Refusal thrown by `run` becomes the answer with
 * its status. Whatever `run` returns (a result, a redirect) is the answer otherwise.
 */
export async function handleForm<S extends z.ZodType, R>(
  request: Request,
  schema: S,
  run: (input: z.infer<S>, form: FormData) => Promise<R>,
  options: Pick<FailureOptions<never>, "oneMessage"> & {
    /** How to read the form when the route allows a larger body (an upload read with a cap). */
    read?: (request: Request) => Promise<FormData>;
  } = {},
): Promise<R | FailedAction> {
  let form: FormData;
  try {
    form = await (options.read ?? readForm)(request);
  } catch (error) {
    if (error instanceof Refusal) return refused(error, options);
    throw error;
  }
  const parsed = parseForm(form, schema);
  if (!parsed.ok) return invalid(parsed.errors, options);
  try {
    return await run(parsed.data, form);
  } catch (error) {
    if (error instanceof Refusal) return refused(error, options);
    throw error;
  }
}
