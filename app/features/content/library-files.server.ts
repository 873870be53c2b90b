// The built-in library on disk: content/<module>/module.json and content/<module>/NN-slug.mdx.
import fs from "node:fs";
import path from "node:path";
import type { ContentError } from "./analyze.server";
import { describeZodIssues, moduleMetaSchema, SLUG, type ModuleMeta } from "./frontmatter";

export type LessonFile = { moduleSlug: string; slug: string; position: number; file: string; source: string };
export type ModuleFolder = { slug: string; file: string; meta: ModuleMeta | null; lessons: LessonFile[] };

const LESSON_FILE = /^(\d+)-([a-z0-9]+(?:-[a-z0-9]+)*)\.mdx$/;

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
    const metaFile = path.join(folder, "module.json");
    const module: ModuleFolder = { slug: entry.name, file: rel(metaFile), meta: null, lessons: [] };
    if (!SLUG.test(entry.name))
      errors.push({
        file: rel(folder),
        line: 1,
        column: 1,
        message: `Module folder “${entry.name}” must be lower-case words joined by hyphens; it becomes the URL.`,
      });
    if (!fs.existsSync(metaFile)) {
      errors.push({
        file: rel(metaFile),
        line: 1,
        column: 1,
        message: 'Each module folder needs a module.json: { "title", "summary", "skill", "order" }.',
      });
    } else {
      try {
        const parsed = moduleMetaSchema.safeParse(JSON.parse(fs.readFileSync(metaFile, "utf8")));
        if (parsed.success) module.meta = parsed.data;
        else
          for (const issue of describeZodIssues(parsed.error))
            errors.push({ file: rel(metaFile), line: 1, column: 1, message: `module.json ${issue}` });
      } catch (error) {
        errors.push({
          file: rel(metaFile),
          line: 1,
          column: 1,
          message: `module.json is not valid JSON: ${(error as Error).message}`,
        });
      }
    }
    const slugs = new Map<string, string>();
    for (const name of fs.readdirSync(folder).sort()) {
      if (name === "module.json" || name.startsWith(".")) continue;
      const file = path.join(folder, name);
      const match = LESSON_FILE.exec(name);
      if (!match) {
        if (name.endsWith(".mdx") || name.endsWith(".md"))
          errors.push({
            file: rel(file),
            line: 1,
            column: 1,
            message: `Name lesson files with a number and a slug, like 01-open-and-closed.mdx.`,
          });
        continue;
      }
      const slug = match[2]!;
      if (slugs.has(slug))
        errors.push({
          file: rel(file),
          line: 1,
          column: 1,
          message: `Two lessons in “${entry.name}” have the slug “${slug}” (also ${slugs.get(slug)}). Rename one.`,
        });
      slugs.set(slug, name);
      let source: string;
      try {
        source = fs.readFileSync(file, "utf8");
      } catch (error) {
        // One unreadable entry (a folder named like a lesson, a broken link) is reported, not fatal.
        errors.push({
          file: rel(file),
          line: 1,
          column: 1,
          message: `The lesson file could not be read: ${(error as Error).message}`,
        });
        continue;
      }
      module.lessons.push({ moduleSlug: entry.name, slug, position: Number(match[1]), file: rel(file), source });
    }
    if (module.lessons.length === 0)
      errors.push({ file: rel(folder), line: 1, column: 1, message: "This module has no lessons yet." });
    modules.push(module);
  }
  return { modules, errors };
}
