import type { InputHTMLAttributes } from "react";
import type { ActionResult } from "~/shared/action-result";
import { slugLabel } from "./format";
import { NEW_PASSWORD_HINT } from "~/shared/passwords";

type FieldProps = InputHTMLAttributes<HTMLInputElement> & {
  label: string;
  name: string;
  error?: string;
  hint?: string;
};

/** A labelled input whose error is announced and tied to it for screen readers. */
/** A field for choosing a new password, hinting the rules the server will check. */
export function NewPasswordField(props: Omit<FieldProps, "type" | "autoComplete" | "hint">) {
  return <Field type="password" autoComplete="new-password" hint={NEW_PASSWORD_HINT} {...props} />;
}

export function Field({ label, name, error, hint, id, ...input }: FieldProps) {
  const fieldId = id ?? `field-${name}`;
  const describedBy =
    [error ? `${fieldId}-error` : null, hint ? `${fieldId}-hint` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div>
      <label htmlFor={fieldId} className="label">
        {label}
      </label>
      <input
        id={fieldId}
        name={name}
        className="field"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        {...input}
      />
      {hint ? (
        <p id={`${fieldId}-hint`} className="mt-1 text-sm text-slate-600">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${fieldId}-error`} className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function FormMessage({
  tone = "error",
  children,
}: {
  tone?: "error" | "success" | "info";
  children: React.ReactNode;
}) {
  const styles = {
    error: "border-red-200 bg-red-50 text-red-800",
    success: "border-green-200 bg-green-50 text-green-800",
    info: "border-brand-100 bg-brand-50 text-brand-900",
  }[tone];
  return (
    <div role={tone === "error" ? "alert" : "status"} className={`rounded-lg border px-3 py-2 text-sm ${styles}`}>
      {children}
    </div>
  );
}

/** An action's form-level error and its success message, shown above the page's forms. */
export function ResultMessage({ result }: { result: Pick<ActionResult, "formError" | "message"> | undefined }) {
  if (result?.formError) return <FormMessage>{result.formError}</FormMessage>;
  if (result?.message) return <FormMessage tone="success">{result.message}</FormMessage>;
  return null;
}

/**
 * A labelled select over slugs, showing each as words ("account-management" → "Account management");
 * `emptyLabel` adds a first choice of none.
 */
export function SlugSelect({
  id,
  name,
  label,
  options,
  value,
  emptyLabel,
  required,
}: {
  id: string;
  name: string;
  label: string;
  options: readonly string[];
  value: string;
  emptyLabel?: string;
  required?: boolean;
}) {
  return (
    <div>
      <label htmlFor={id} className="label">
        {label}
      </label>
      <select id={id} name={name} defaultValue={value} className="field" required={required}>
        {emptyLabel === undefined ? null : <option value="">{emptyLabel}</option>}
        {options.map((option) => (
          <option key={option} value={option}>
            {slugLabel(option)}
          </option>
        ))}
      </select>
    </div>
  );
}
