// Rule: each module has its own people. A rep who meets “Helen” as a CFO in one module and as a
// VP Finance in another mixes up the two stories, so a name (given name or surname) that appears
// in the scenes of one module (role-play personas, dialogue speakers) appears in no other.
import type { ContentError, JsxElement, LessonContext, LessonPersona } from "./context";

const NOT_NAMES = new Set(["dr", "mr", "mrs", "ms", "mx", "prof", "the", "a", "an", "head", "vp", "cfo", "ceo", "coo"]);

/** Records the person a component names: the text before the first comma or dash of `value`. */
export function notePersona(node: JsxElement, value: string | null | undefined, ctx: LessonContext): void {
  const name = (value ?? "").split(/,|\s[–—-]\s|\(/)[0]!.trim();
  if (!name) return;
  ctx.result.personas.push({
    name,
    line: node.position?.start.line ?? 1,
    column: node.position?.start.column ?? 1,
  });
}

/** The words of a name that identify someone: capitalised, not a title; none when it is a description. */
export function nameWords(name: string): string[] {
  const parts = name.split(/\s+/).filter(Boolean);
  if (parts.length > 4) return [];
  return parts
    .map((w) => w.replace(/[^\p{L}'’-]/gu, ""))
    .filter((w) => w.length > 1 && /^\p{Lu}/u.test(w) && !NOT_NAMES.has(w.toLowerCase()));
}

export type ModulePersonas = { module: string; lessons: Array<{ file: string; personas: LessonPersona[] }> };

/** Every use of a name in a module other than the first module (in library order) to use it. */
export function checkPersonaNames(modules: ModulePersonas[]): ContentError[] {
  const owner = new Map<string, { module: string; name: string; file: string }>();
  const reported = new Set<string>();
  const found: ContentError[] = [];
  for (const { module, lessons } of modules) {
    for (const { file, personas } of lessons) {
      for (const persona of personas) {
        for (const word of nameWords(persona.name)) {
          const key = word.toLowerCase();
          const first = owner.get(key);
          if (!first) owner.set(key, { module, name: persona.name, file });
          else if (first.module !== module && !reported.has(`${file}\n${key}`)) {
            reported.add(`${file}\n${key}`);
            found.push({
              file,
              line: persona.line,
              column: persona.column,
              message: `“${word}” (${persona.name}) already names someone in the ${first.module} module (${first.name}, ${first.file}). Give each module its own people, so a rep doesn't mix up their stories.`,
            });
          }
        }
      }
    }
  }
  return found;
}
