// Validates the whole library: every module, lesson, question, role-play and internal link, and
// the library's conventions (as warnings: see AnalyzedLesson.warnings).
import { analyzeLesson, checkPersonaNames, type AnalyzedLesson, type ContentError } from "./analyze.server";
import { readLibrary, type LessonFile, type ModuleFolder } from "./library-files.server";

export type CheckedLesson = LessonFile & { analysis: AnalyzedLesson };
export type LibraryCheck = {
  modules: Array<ModuleFolder & { checked: CheckedLesson[] }>;
  /** Problems that keep a lesson from loading. */
  errors: ContentError[];
  /** Conventions a lesson does not follow; it still loads. */
  warnings: ContentError[];
  /** Advice on quiz wording (rules/stem-cues.ts): printed, never a failure. */
  advice: ContentError[];
  summary: { modules: number; lessons: number; questions: number; roleplays: number };
};

/** `builtIn`: the folder is the built-in library (the default, `content/`), held to its 5-minute limit. */
export function checkLibrary(dir?: string, { builtIn = true }: { builtIn?: boolean } = {}): LibraryCheck {
  const { modules, errors } = readLibrary(dir);
  return checkModules(modules, errors, { builtIn });
}

/**
 * Checks modules already read (from disk, or from an imported zip) with the errors found reading
 * them. `knownLinks`: lesson and module paths (/learn/…) that exist besides the modules checked.
 */
export function checkModules(
  modules: ModuleFolder[],
  errors: ContentError[],
  { builtIn, knownLinks = [] }: { builtIn: boolean; knownLinks?: Iterable<string> },
): LibraryCheck {
  const warnings: ContentError[] = [];
  const advice: ContentError[] = [];
  const checkedModules = modules.map((m) => ({
    ...m,
    checked: m.lessons.map((l) => ({ ...l, analysis: analyzeLesson(l.file, l.source, { builtIn }) })),
  }));
  const known = new Set<string>(knownLinks);
  for (const m of checkedModules) {
    known.add(`/learn/${m.slug}`);
    for (const l of m.checked) known.add(`/learn/${m.slug}/${l.slug}`);
  }
  for (const m of checkedModules) {
    for (const l of m.checked) {
      errors.push(...l.analysis.errors);
      warnings.push(...l.analysis.warnings);
      advice.push(...l.analysis.advice);
      for (const link of l.analysis.internalLinks) {
        const target = link.url.split(/[?#]/)[0]!.replace(/\/$/, "");
        if (!known.has(target))
          errors.push({
            file: l.file,
            line: link.line,
            column: link.column,
            message: `The link ${link.url} points to no lesson or module. Check the module folder and the lesson slug (the file name without its number).`,
          });
      }
    }
  }
  warnings.push(
    ...checkPersonaNames(
      checkedModules.map((m) => ({
        module: m.slug,
        lessons: m.checked.map((l) => ({ file: l.file, personas: l.analysis.personas })),
      })),
    ),
  );
  const all = checkedModules.flatMap((m) => m.checked);
  const byPlace = (a: ContentError, b: ContentError) =>
    a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column;
  return {
    modules: checkedModules,
    errors: errors.sort(byPlace),
    warnings: warnings.sort(byPlace),
    advice: advice.sort(byPlace),
    summary: {
      modules: checkedModules.length,
      lessons: all.length,
      questions: all.reduce((n, l) => n + l.analysis.questions.length, 0),
      roleplays: all.reduce((n, l) => n + l.analysis.roleplays.length, 0),
    },
  };
}

export function formatContentError(error: ContentError): string {
  return `${error.file}:${error.line}:${error.column}  ${error.message}`;
}
