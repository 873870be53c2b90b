// The built-in library on disk: content/<module>/module.json and content/<module>/NN-slug.mdx.
// The same folder, read from a module's zip (module-zip.server.ts), goes through readModuleFolder.
import fs from "node:fs";
import path from "node:path";
import type { ContentError } from "./analyze.server";
import { describeZodIssues, moduleMetaSchema, SLUG, type ModuleMeta } from "./frontmatter";

export type LessonFile = { moduleSlug: string; slug: string; position: number; file: string; source: string };
export type ModuleFolder = { slug: string; file: string; meta: ModuleMeta | null; lessons: LessonFile[] };

/** One file of a module folder: its name, and its text (read when asked; reading may throw). */
export type FolderFile = { name: string; file: string; text: () => string };

export const LESSON_FILE = /^(\d+)-([a-z0-9]+(?:-[a-z0-9]+)*)\.mdx$/;

export function contentDirectory(): string {
  return path.resolve(process.env.CONTENT_DIR ?? "content");
}

export function readLibrary(dir = contentDirectory()): { modules: ModuleFolder[]; errors: ContentError[] } {
  const errors: ContentError[] = [];
  const modules: ModuleFolder[] = [];
  const rel = (p: string) => path.relative(process.cwd(), p) || p;
  if (!fs.existsSync(dir))
    return { modules, errors: [{ file: rel(dir), line: 1, column: 1, message: "The content folder does not exist." }] };

  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.isDirectory() || entry.name.startsWith(".") || entry.name.startsWith("_")) continue;
    const folder = path.join(dir, entry.name);
    const files: FolderFile[] = fs
      .readdirSync(folder)
      .sort()
      .map((name) => ({
        name,
        file: rel(path.join(folder, name)),
        text: () => fs.readFileSync(path.join(folder, name), "utf8"),
      }));
    const read = readModuleFolder(entry.name, rel(folder), files);
    modules.push(read.module);
    errors.push(...read.errors);
  }
  return { modules, errors };
}

/**
 * One module folder, from disk or from a zip: its module.json and its lessons, with every problem
 * (a bad folder name, a missing or invalid module.json, a misnamed lesson file, two lessons with
 * one slug, an empty module) as an error at the file it concerns.
 */
export function readModuleFolder(
  slug: string,
  folder: string,
  files: FolderFile[],
): { module: ModuleFolder; errors: ContentError[] } {
  const errors: ContentError[] = [];
  const at = (file: string, message: string) => errors.push({ file, line: 1, column: 1, message });
  const metaFile = files.find((f) => f.name === "module.json");
  const module: ModuleFolder = { slug, file: metaFile?.file ?? `${folder}/module.json`, meta: null, lessons: [] };
  if (!SLUG.test(slug))
    at(folder, `Module folder “${slug}” must be lower-case words joined by hyphens; it becomes the URL.`);
  if (!metaFile) {
    at(module.file, 'Each module folder needs a module.json: { "title", "summary", "skill", "order" }.');
  } else {
    try {
      const parsed = moduleMetaSchema.safeParse(JSON.parse(metaFile.text()));
      if (parsed.success) module.meta = parsed.data;
      else for (const issue of describeZodIssues(parsed.error)) at(metaFile.file, `module.json ${issue}`);
    } catch (error) {
      at(metaFile.file, `module.json is not valid JSON: ${(error as Error).message}`);
    }
  }
  const slugs = new Map<string, string>();
  for (const { name, file, text } of files) {
    if (name === "module.json" || name.startsWith(".")) continue;
    const match = LESSON_FILE.exec(name);
    if (!match) {
      if (name.endsWith(".mdx") || name.endsWith(".md"))
        at(file, `Name lesson files with a number and a slug, like 01-open-and-closed.mdx.`);
      continue;
    }
    const lessonSlug = match[2]!;
    if (slugs.has(lessonSlug))
      at(file, `Two lessons in “${slug}” have the slug “${lessonSlug}” (also ${slugs.get(lessonSlug)}). Rename one.`);
    slugs.set(lessonSlug, name);
    let source: string;
    try {
      source = text();
    } catch (error) {
      // One unreadable entry (a folder named like a lesson, a broken link) is reported, not fatal.
      at(file, `The lesson file could not be read: ${(error as Error).message}`);
      continue;
    }
    module.lessons.push({ moduleSlug: slug, slug: lessonSlug, position: Number(match[1]), file, source });
  }
  if (module.lessons.length === 0) at(folder, "This module has no lessons yet.");
  return { module, errors };
}
