// The studio's lesson editor: frontmatter as form fields, the MDX body as a textarea. Without
// JavaScript that is the whole editor (save, preview and publish post the form). With it, the
// textarea is enhanced by CodeMirror, loaded only here (a lazy import), with the analyzer's
// problems as you type, an insert menu, autosave and a copy in localStorage.
import { useEffect, useRef, useState } from "react";
import { LEVELS, SKILLS, STAGES } from "~/features/content/frontmatter";
import type { DraftFields, DraftProblem } from "./draft-source";
import { slugLabel } from "~/ui/format";
import { SlugSelect } from "~/ui/form";

export function DraftEditor({
  lessonId,
  fields,
  body,
  revision,
  lint,
  focusLine = null,
  estimatedMinutes,
}: {
  lessonId: string;
  fields: DraftFields;
  body: string;
  revision: number;
  lint: DraftProblem[];
  /** The line the editor opens at (a question a content-insights flag points to). */
  focusLine?: number | null;
  /** The reading estimate of the text the page came with; with JavaScript it follows the typing. */
  estimatedMinutes: number;
}) {
  const textarea = useRef<HTMLTextAreaElement>(null);
  const revisionInput = useRef<HTMLInputElement>(null);
  const [status, setStatus] = useState<string>("");
  const [estimate, setEstimate] = useState(estimatedMinutes);
  const [minutes, setMinutes] = useState(fields.minutes);
  useEffect(() => {
    const area = textarea.current;
    if (!area) return;
    let stop: (() => void) | undefined;
    let cancelled = false;
    void import("./codemirror.client").then(({ enhanceEditor }) => {
      if (cancelled) return;
      stop = enhanceEditor({
        textarea: area,
        revisionInput: revisionInput.current!,
        lessonId,
        lint,
        focusLine,
        onStatus: setStatus,
        onEstimate: setEstimate,
        onMinutes: setMinutes,
      });
    });
    return () => {
      cancelled = true;
      stop?.();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- mounted once per form: the form's key changes after a save, which mounts a new editor with the new props
  }, []);
  const skills =
    SKILLS.includes(fields.skill as (typeof SKILLS)[number]) || !fields.skill ? SKILLS : [...SKILLS, fields.skill];
  return (
    <div className="flex flex-col gap-4">
      <MinutesNote estimate={estimate} minutes={minutes} />
      <input ref={revisionInput} type="hidden" name="revision" value={revision} />
      <fieldset className="card grid gap-3 sm:grid-cols-2">
        <legend className="px-1 font-semibold">Lesson details</legend>
        <TextField name="title" label="Title" value={fields.title} />
        <TextField name="summary" label="Summary (one sentence for the library)" value={fields.summary} />
        <TextField name="objective" label="Objective (the rep will be able to…)" value={fields.objective} />
        <TextField name="tags" label="Tags (comma separated)" value={fields.tags} />
        <SlugSelect id="draft-skill" name="skill" label="Skill" options={skills} value={fields.skill} />
        <div className="grid grid-cols-2 gap-3">
          <SlugSelect id="draft-level" name="level" label="Level" options={LEVELS} value={fields.level} />
          <div>
            <label htmlFor="draft-minutes" className="label">
              Minutes
            </label>
            <input
              id="draft-minutes"
              name="minutes"
              type="number"
              min={1}
              max={7}
              defaultValue={fields.minutes}
              className="field"
            />
          </div>
        </div>
        <fieldset className="sm:col-span-2">
          <legend className="label">Sales stages</legend>
          <div className="flex flex-wrap gap-x-4 gap-y-1">
            {STAGES.map((stage) => (
              <label key={stage} className="flex items-center gap-1 text-sm">
                <input type="checkbox" name="stages" value={stage} defaultChecked={fields.stages.includes(stage)} />
                {slugLabel(stage)}
              </label>
            ))}
          </div>
        </fieldset>
      </fieldset>
      <div>
        <label htmlFor="draft-body" className="label">
          Lesson text (MDX with the lesson kit: see the insert menu, or content/README.md)
        </label>
        <textarea
          ref={textarea}
          id="draft-body"
          name="body"
          defaultValue={body}
          spellCheck
          className="field h-[28rem] font-mono text-sm"
        />
        <p className="mt-1 text-sm text-slate-600" role="status" aria-live="polite" data-testid="editor-status">
          {status}
        </p>
      </div>
    </div>
  );
}

function TextField({ name, label, value }: { name: string; label: string; value: string }) {
  return (
    <div>
      <label htmlFor={`draft-${name}`} className="label">
        {label}
      </label>
      <input id={`draft-${name}`} name={name} defaultValue={value} className="field" />
    </div>
  );
}

/** The reading estimate against the lesson's minutes (the same rule as the server's checkDraft: below it warns). */
function MinutesNote({ estimate, minutes }: { estimate: number; minutes: string }) {
  const given = Number(minutes);
  const low = minutes.trim() !== "" && Number.isFinite(given) && given < estimate;
  return (
    <p
      className={`text-sm ${low ? "font-semibold text-amber-800" : "text-slate-700"}`}
      aria-live="polite"
      data-testid="minutes-estimate"
    >
      {low
        ? `It takes about ${estimate} minutes to read and answer, more than the ${minutes} minutes it says. Raise the minutes or shorten the lesson.`
        : `Estimated at about ${estimate} minute${estimate === 1 ? "" : "s"} to read and answer.`}
    </p>
  );
}
