// Validates the whole library: every module, lesson, question, role-play and internal link.
import { analyzeLesson, type AnalyzedLesson, type ContentError } from "./analyze.server";
import { readLibrary, type LessonFile, type ModuleFolder } from "./library-files.server";

export type CheckedLesson = LessonFile & { analysis: AnalyzedLesson };
export type LibraryCheck = {
  modules: Array<ModuleFolder & { checked: CheckedLesson[] }>;
  errors: ContentError[];
  summary: { modules: number; lessons: number; questions: number; roleplays: number };
};

export function checkLibrary(dir?: string): LibraryCheck {
  const { modules, errors } = readLibrary(dir);
  const checkedModules = modules.map((m) => ({
    ...m,
    checked: m.lessons.map((l) => ({ ...l, analysis: analyzeLesson(l.file, l.source) })),
  }));
  const known = new Set<string>();
  for (const m of checkedModules) {
    known.add(`/learn/${m.slug}`);
    for (const l of m.checked) known.add(`/learn/${m.slug}/${l.slug}`);
  }
  for (const m of checkedModules) {
    for (const l of m.checked) {
      errors.push(...l.analysis.errors);
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
  const all = checkedModules.flatMap((m) => m.checked);
  return {
    modules: checkedModules,
    errors: errors.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column),
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
