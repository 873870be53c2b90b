import type { ReactNode } from "react";
import { Form } from "react-router";

/**
 * One small button that posts an intent and a few hidden fields to the page's action (archive,
 * restore, delete…): a plain form, so it works without JavaScript. `label` names what it acts on
 * for screen readers ("Delete the pricing chart"), since the button's own text is one word.
 */
export function SmallForm({
  intent,
  fields,
  label,
  children,
}: {
  intent: string;
  fields: Record<string, string>;
  label: string;
  children: ReactNode;
}) {
  return (
    <Form method="post" className="inline">
      <input type="hidden" name="intent" value={intent} />
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button type="submit" className="btn-secondary px-2 py-1 text-sm" aria-label={label}>
        {children}
      </button>
    </Form>
  );
}
