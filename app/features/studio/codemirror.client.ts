// CodeMirror 6 over the studio's textarea (loaded by a lazy import on the editor only). The
// textarea stays in the form, hidden and kept equal to the editor, so the form posts as without
// JavaScript. Problems come from the server's analyzer (the same rules as content/), asked a
// moment after typing stops; the draft is autosaved every few seconds and copied to
// localStorage on every change, so a reload or a lost connection loses nothing.
import { markdown } from "@codemirror/lang-markdown";
import { linter, lintGutter, type Diagnostic } from "@codemirror/lint";
import { EditorView, basicSetup } from "codemirror";
import { SKELETONS } from "./skeletons";
import type { DraftProblem } from "./draft-source";

const AUTOSAVE_MS = 4000;

type Options = {
  textarea: HTMLTextAreaElement;
  revisionInput: HTMLInputElement;
  lessonId: string;
  lint: DraftProblem[];
  focusLine: number | null;
  onStatus: (status: string) => void;
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

export function enhanceEditor({ textarea, revisionInput, lessonId, lint, focusLine, onStatus }: Options): () => void {
  const form = textarea.form!;
  const api = `/content/lessons/${lessonId}/draft`;
  const backupKey = `flywheel-draft-${lessonId}`;
  let dirty = false;
  let stopped = false;
  // The text the page came with, whose problems the page already has.
  const loaded = textarea.value;

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
        dirty = true;
        try {
          localStorage.setItem(
            backupKey,
            JSON.stringify({ body: textarea.value, revision: Number(revisionInput.value) }),
          );
        } catch {
          // Storage full or switched off: the autosave still runs.
        }
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

  // Text typed before a reload that never reached the server comes back from this browser.
  try {
    const saved = JSON.parse(localStorage.getItem(backupKey) ?? "null") as { body: string; revision: number } | null;
    if (saved && saved.revision === Number(revisionInput.value) && saved.body !== textarea.value) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: saved.body } });
      onStatus("Restored the text you typed before the page was reloaded; it is saved in a moment.");
    }
  } catch {
    // A broken backup is ignored.
  }

  const save = async () => {
    if (!dirty || stopped) return;
    dirty = false;
    try {
      const { status, json } = await post("autosave");
      if (status === 200) {
        revisionInput.value = String(json.revision);
        localStorage.setItem(backupKey, JSON.stringify({ body: textarea.value, revision: json.revision }));
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

  return () => {
    clearInterval(autosave);
    form.removeEventListener("submit", submitted);
    menu.remove();
    view.destroy();
    textarea.hidden = false;
  };
}
