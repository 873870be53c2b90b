// A boost question's choices as a fieldset of radios (one answer) or checkboxes (several): the
// boost page and the answer page of a digest's link ask the same way.
type Question = {
  prompt: string;
  kind: "single" | "multiple";
  choices: ReadonlyArray<{ id: string; text: string }>;
};

export function ChoicePicker({
  question,
  busy,
  selected,
}: {
  question: Question;
  busy: boolean;
  /** The choice to show as picked (the one tapped in the e-mail). */
  selected?: string | null;
}) {
  return (
    <fieldset className="mt-2" disabled={busy}>
      <legend className="text-lg font-semibold leading-snug">{question.prompt}</legend>
      {question.kind === "multiple" ? <p className="text-sm text-slate-600">Pick all that apply.</p> : null}
      <div className="mt-3 flex flex-col gap-2">
        {question.choices.map((c) => (
          <label
            key={c.id}
            className="flex cursor-pointer items-start gap-3 rounded-lg border border-slate-200 p-3 hover:border-brand-600"
          >
            <input
              type={question.kind === "multiple" ? "checkbox" : "radio"}
              name="choice"
              value={c.id}
              defaultChecked={selected ? c.id === selected : undefined}
              required={question.kind === "single"}
              className="mt-1 size-4 accent-brand-600"
            />
            <span>{c.text}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
