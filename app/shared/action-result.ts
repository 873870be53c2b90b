// What every action answers (see handleForm in app/features/forms.ts). Here, beneath ui/, so the
// components that show a result can name its shape without importing a feature.

export type FieldErrors = Record<string, string>;

/**
 * What every action answers, so every page reads one shape: `ok` with an optional success
 * `message`, or a `formError` and/or `fieldErrors` (one message per field). `detail` carries the
 * little a page needs besides (which question an error belongs to).
 */
export type ActionResult<Detail = undefined> = {
  ok: boolean;
  message: string | null;
  formError: string | null;
  fieldErrors: FieldErrors;
  detail?: Detail;
};
