// CodeMirror 6 over the studio's textarea (loaded by a lazy import on the editor only). The
// textarea stays in the form, hidden and kept equal to the editor, so the form posts as without
// JavaScript. Problems come from the server's analyzer (the same rules as content/), asked a
// moment after typing stops; the draft is autosaved every few seconds and copied to
// localStorage on every change, so a reload or a lost connection loses nothing.
import { markdown } from "@codemirror/lang-markdown";
import { linter, lintGutter, type Diagnostic } from "@codemirror/lint";
import { EditorView, basicSetup } from "codemirror";
import { SKELETONS } from "./skeletons";
import { FIELD_NAMES, type DraftProblem } from "./draft-source";

const AUTOSAVE_MS = 4000;

type BackupFields = Record<string, string | string[]>;
/** What this browser keeps of a draft until the server has it (fields: absent in copies made before they were kept). */
type Backup = { body: string; fields?: BackupFields; revision: number };

type Options = {
  textarea: HTMLTextAreaElement;
  revisionInput: HTMLInputElement;
  lessonId: string;
  lint: DraftProblem[];
  focusLine: number | null;
  onStatus: (status: string) => void;
  /** The reading estimate of the text as typed, from the analyzer's answer. */
  onEstimate: (minutes: number) => void;
  /** The minutes field as typed. */
  onMinutes: (minutes: string) => void;
};

function diagnostics(view: EditorView, problems: DraftProblem[]): Diagnostic[] {
  const { doc } = view.state;
  return problems.map((p) => {
    if (p.where === "frontmatter" || p.line < 1 || p.line > doc.lines)
      return { from: 0, to: 0, severity: "error", message: `Lesson details: ${p.message}` };
    const line = doc.line(p.line);
    const from = Math.min(line.from + Math.max(0, p.column - 1), line.to);
    return { from, to: line.to, severity: "error", message: p.message };
  });
}

export function enhanceEditor({
  textarea,
  revisionInput,
  lessonId,
  lint,
  focusLine,
  onStatus,
  onEstimate,
  onMinutes,
}: Options): () => void {
  const form = textarea.form!;
  const api = `/content/lessons/${lessonId}/draft`;
  const backupKey = `flywheel-draft-${lessonId}`;
  let dirty = false;
  let stopped = false;
  // The text the page came with, whose problems the page already has.
  const loaded = textarea.value;

  const earlierKey = `${backupKey}-earlier`;
  const cleanups: Array<() => void> = [];

  /** The details as the form holds them now (stages a list, the rest text). */
  function currentFields(): BackupFields {
    const data = new FormData(form);
    return Object.fromEntries(
      FIELD_NAMES.map((name) => [
        name,
        name === "stages" ? data.getAll(name).map(String) : String(data.get(name) ?? ""),
      ]),
    );
  }
  function sameFields(fields: BackupFields): boolean {
    return JSON.stringify(fields) === JSON.stringify(currentFields());
  }
  function putFields(fields: BackupFields) {
    for (const element of Array.from(form.elements) as HTMLInputElement[]) {
      const value = fields[element.name];
      if (value === undefined || (element as HTMLElement) === textarea) continue;
      if (element.type === "checkbox") element.checked = ([] as string[]).concat(value).includes(element.value);
      else element.value = String(value);
    }
  }
  const detailsText = (fields: BackupFields) =>
    FIELD_NAMES.map((name) => `${name}: ${([] as string[]).concat(fields[name] ?? "").join(", ")}`).join("\n");
  /** Something changed: it is kept in this browser at once and autosaved within seconds. */
  function changed() {
    dirty = true;
    try {
      const backup: Backup = { body: textarea.value, fields: currentFields(), revision: Number(revisionInput.value) };
      localStorage.setItem(backupKey, JSON.stringify(backup));
    } catch {
      // Storage full or switched off: the autosave still runs.
    }
  }

  const post = async (intent: "check" | "autosave") => {
    const body = new FormData(form);
    body.set("intent", intent);
    body.set("body", view.state.doc.toString());
    const response = await fetch(api, { method: "POST", body, credentials: "same-origin" });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };

  const view = new EditorView({
    doc: textarea.value,
    extensions: [
      basicSetup,
      markdown(),
      EditorView.lineWrapping,
      lintGutter(),
      linter(
        async (v) => {
          // The page came with the problems of the saved text: no request for those. (Compared by
          // text, not by "first run": typing before the first run must still be checked.)
          if (v.state.doc.toString() === loaded) return diagnostics(v, lint);
          try {
            const { json } = await post("check");
            if (typeof json.estimatedMinutes === "number") onEstimate(json.estimatedMinutes);
            return diagnostics(v, (json.problems as DraftProblem[]) ?? []);
          } catch {
            return [];
          }
        },
        { delay: 700 },
      ),
      EditorView.updateListener.of((update) => {
        if (!update.docChanged) return;
        textarea.value = update.state.doc.toString();
        changed();
      }),
      EditorView.contentAttributes.of({ "aria-label": "Lesson text", "data-testid": "lesson-editor" }),
    ],
  });
  textarea.hidden = true;
  textarea.after(view.dom);
  // A scrolling region keyboard users can reach and scroll (WCAG 2.1.1; axe scrollable-region-focusable),
  // as ui/scroll-area.tsx does.
  view.scrollDOM.tabIndex = 0;
  view.scrollDOM.setAttribute("role", "region");
  view.scrollDOM.setAttribute("aria-label", "Lesson text editor");
  view.dom.classList.add("rounded-lg", "border", "border-slate-300", "bg-white", "text-sm");
  view.dom.style.height = "28rem";
  if (focusLine !== null && focusLine >= 1 && focusLine <= view.state.doc.lines) {
    const at = view.state.doc.line(focusLine).from;
    view.dispatch({ selection: { anchor: at }, effects: EditorView.scrollIntoView(at, { y: "start" }) });
  }

  // The insert menu: a valid, filled-in skeleton of each component at the cursor.
  const menu = document.createElement("div");
  menu.className = "mb-2 flex flex-wrap gap-1";
  menu.setAttribute("role", "toolbar");
  menu.setAttribute("aria-label", "Insert a lesson-kit component");
  let inserted = 0;
  for (const skeleton of SKELETONS) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "btn-secondary px-2 py-1 text-sm";
    button.textContent = `+ ${skeleton.label}`;
    button.addEventListener("click", () => {
      const at = view.state.selection.main.head;
      const line = view.state.doc.lineAt(at);
      // On a line of its own, with a blank line before it.
      const before = line.length === 0 ? "" : "\n\n";
      const text = `${before}${skeleton.text(++inserted + (Date.now() % 1000))}\n`;
      const insertAt = line.length === 0 ? at : line.to;
      view.dispatch({ changes: { from: insertAt, insert: text }, selection: { anchor: insertAt + text.length } });
      view.focus();
    });
    menu.append(button);
  }
  view.dom.before(menu);

  // What was typed before a reload and never reached the server comes back from this browser: over
  // the same revision it is put back and saved; over a draft someone saved since, it is shown beside
  // the editor (and kept until the trainer lets it go), never dropped without a word.
  try {
    const saved = JSON.parse(localStorage.getItem(backupKey) ?? "null") as Backup | null;
    const unsaved = saved && (saved.body !== textarea.value || !sameFields(saved.fields ?? currentFields()));
    if (saved && unsaved && saved.revision === Number(revisionInput.value)) {
      if (saved.fields) putFields(saved.fields);
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: saved.body } });
      dirty = true;
      onStatus("Restored what you typed before the page was reloaded; it is saved in a moment.");
    } else if (saved && unsaved) {
      localStorage.setItem(earlierKey, JSON.stringify(saved));
      localStorage.removeItem(backupKey);
    }
    const earlier = JSON.parse(localStorage.getItem(earlierKey) ?? "null") as Backup | null;
    if (earlier) showEarlier(earlier);
  } catch {
    // A broken backup is ignored.
  }

  function showEarlier(earlier: Backup) {
    const box = document.createElement("section");
    box.className = "mt-3 rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm";
    box.setAttribute("aria-label", "Your earlier unsaved text");
    const note = document.createElement("p");
    note.textContent =
      "This browser kept text you typed that was never saved, and the draft has been saved by someone since. Copy what you want to keep into the editor.";
    const copy = document.createElement("textarea");
    copy.readOnly = true;
    copy.className = "field mt-2 h-40 w-full font-mono text-xs";
    copy.setAttribute("aria-label", "Your earlier unsaved text (read only)");
    copy.value = earlier.fields ? `${detailsText(earlier.fields)}\n\n${earlier.body}` : earlier.body;
    const forget = document.createElement("button");
    forget.type = "button";
    forget.className = "btn-secondary mt-2 px-2 py-1 text-sm";
    forget.textContent = "Forget this text";
    forget.addEventListener("click", () => {
      localStorage.removeItem(earlierKey);
      box.remove();
    });
    box.append(note, copy, forget);
    view.dom.after(box);
    cleanups.push(() => box.remove());
  }

  const save = async () => {
    if (!dirty || stopped) return;
    dirty = false;
    try {
      const { status, json } = await post("autosave");
      if (status === 200) {
        revisionInput.value = String(json.revision);
        const backup: Backup = { body: textarea.value, fields: currentFields(), revision: Number(json.revision) };
        localStorage.setItem(backupKey, JSON.stringify(backup));
        onStatus(`Saved at ${new Date().toLocaleTimeString()}.`);
      } else if (status === 409) {
        stopped = true;
        onStatus(
          `${String(json.by ?? "Someone")} saved this lesson meanwhile. Press “Save draft” to see both texts and merge them; your text is kept.`,
        );
      } else {
        dirty = true;
        onStatus(String(json.message ?? "Not saved yet: the draft could not be saved. It is kept in this browser."));
      }
    } catch {
      dirty = true;
      onStatus("Offline: your text is kept in this browser and saved when the connection is back.");
    }
  };
  const autosave = setInterval(() => void save(), AUTOSAVE_MS);

  // A form submit (save, preview, publish) sends the text itself.
  const submitted = () => clearInterval(autosave);
  form.addEventListener("submit", submitted);
  // The lesson's details (title, summary, stages…) are autosaved and kept in this browser as the text is.
  const detailEdited = (event: Event) => {
    const target = event.target as HTMLInputElement | null;
    if (!target?.name || !(FIELD_NAMES as readonly string[]).includes(target.name)) return;
    if (target.name === "minutes") onMinutes(target.value);
    changed();
  };
  form.addEventListener("input", detailEdited);
  form.addEventListener("change", detailEdited);

  return () => {
    clearInterval(autosave);
    form.removeEventListener("submit", submitted);
    form.removeEventListener("input", detailEdited);
    form.removeEventListener("change", detailEdited);
    for (const cleanup of cleanups) cleanup();
    menu.remove();
    view.destroy();
    textarea.hidden = false;
  };
}
