// Compiles a lesson with mdx-bundler into code that is safe to send to every rep's browser:
// the safe subset is asserted again, and every answer key is removed first.
import { sha256 } from "@oslojs/crypto/sha2";
import { encodeHexLowerCase } from "@oslojs/encoding";
import type { Root, RootContent } from "mdast";
import type { MdxJsxAttribute, MdxJsxFlowElement, MdxJsxTextElement } from "mdast-util-mdx-jsx";
import { bundleMDX } from "mdx-bundler";
import remarkGfm from "remark-gfm";
import { answerKeyAttributes, kitAttribute, kitComponent } from "~/lesson-kit/allow-list";
import { componentChildren, isAllowedMediaUrl, isSafeUrl, linkDefinitions } from "./analyze.server";
import { lessonMediaOrigins } from "./media-origins.server";
import { parseFrontmatterYaml } from "./rules/frontmatter";

// Bump when the compiler or the lesson kit's compiled shape changes: every lesson recompiles.
export const COMPILER_VERSION = "flywheel-mdx-1";

export function lessonHash(source: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(`${COMPILER_VERSION}\n${source}`)));
}

/** A compile that did not finish within its time limit (its late result is dropped). */
export class CompileTimedOut extends Error {
  constructor(readonly limitMs: number) {
    super(`The compile took longer than ${limitMs} ms.`);
  }
}

/**
 * How long a trainer's lesson (a preview, a publish, each lesson of an import) may take to compile:
 * STUDIO_COMPILE_TIMEOUT_MS, 4 s by default. The analyzer's limits (64 KB, nesting) bound the work
 * before it starts; this bounds the wait. esbuild runs in its own process; the MDX steps before it
 * run on the request's thread and are bounded by those limits only (decision 031).
 */
export function compileTimeLimitMs(): number {
  const configured = Number(process.env.STUDIO_COMPILE_TIMEOUT_MS);
  return Number.isFinite(configured) && configured > 0 ? configured : 4000;
}

/** A time limit as a trainer reads it: "4 s", "250 ms". */
export const limitLabel = (ms: number) => (ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`);

/** compileLesson, given up on after `limitMs` with CompileTimedOut. */
export async function compileWithin(source: string, limitMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CompileTimedOut(limitMs)), limitMs);
  });
  try {
    return await Promise.race([compileLesson(source), late]);
  } finally {
    clearTimeout(timer);
  }
}

type AnyNode = Root | RootContent;
type JsxElement = MdxJsxFlowElement | MdxJsxTextElement;

function isJsx(node: AnyNode): node is JsxElement {
  return node.type === "mdxJsxFlowElement" || node.type === "mdxJsxTextElement";
}

class UnsafeLessonError extends Error {}

/**
 * A remark plugin: refuses anything outside the safe subset (the analyzer reports these to
 * trainers with positions; this is the last line of defence), numbers quiz choices and
 * role-play replies, and removes correctness, explanations, points and feedback.
 */
export function stripAnswerKeys({ mediaOrigins }: { mediaOrigins: readonly string[] }) {
  return (tree: Root) => {
    const definitions = linkDefinitions(tree);
    const visit = (node: AnyNode) => {
      if (
        node.type === "mdxjsEsm" ||
        node.type === "mdxFlowExpression" ||
        node.type === "mdxTextExpression" ||
        node.type === "html"
      ) {
        throw new UnsafeLessonError(`refused ${node.type}`);
      }
      if ((node.type === "link" || node.type === "definition") && !isSafeUrl(node.url)) {
        throw new UnsafeLessonError("refused an unsafe URL");
      }
      const image =
        node.type === "image"
          ? node.url
          : node.type === "imageReference"
            ? definitions.get(node.identifier)
            : undefined;
      if (image !== undefined && !isAllowedMediaUrl(image, mediaOrigins))
        throw new UnsafeLessonError("refused media from a host that is not allowed");
      if (isJsx(node)) {
        const rule = node.name ? kitComponent(node.name) : undefined;
        if (!rule) throw new UnsafeLessonError(`refused <${node.name ?? "fragment"}>`);
        for (const a of node.attributes) {
          if (a.type === "mdxJsxAttribute" && a.name === "value" && (node.name === "Choice" || node.name === "Reply"))
            continue; // numbered below
          const attributeRule = a.type === "mdxJsxAttribute" ? kitAttribute(rule, a.name) : undefined;
          if (!attributeRule || (a.value !== null && typeof a.value !== "string")) {
            throw new UnsafeLessonError(`refused an attribute on <${node.name}>`);
          }
          if (attributeRule.media && typeof a.value === "string" && !isAllowedMediaUrl(a.value, mediaOrigins))
            throw new UnsafeLessonError("refused media from a host that is not allowed");
        }
        if (node.name === "Quiz" || node.name === "Turn") {
          // Number the choices/replies exactly as the analyzer did, and lift them out of the
          // paragraph MDX wraps them in.
          const items = componentChildren(node);
          items.forEach((item, i) => {
            const hidden = answerKeyAttributes(item.name ?? "");
            item.attributes = [
              ...item.attributes.filter((a) => a.type === "mdxJsxAttribute" && !hidden.includes(a.name)),
              {
                type: "mdxJsxAttribute",
                name: "value",
                value: `${node.name === "Quiz" ? "c" : "r"}${i + 1}`,
              } satisfies MdxJsxAttribute,
            ];
          });
          if (node.name === "Quiz") node.children = items as MdxJsxFlowElement["children"];
        }
      }
      if ("children" in node) for (const child of node.children as AnyNode[]) visit(child);
    };
    visit(tree);
  };
}

function refuseFrontmatterLanguage(): never {
  throw new UnsafeLessonError("refused frontmatter that is not YAML");
}

/** `mediaOrigins`: where media may load from besides Flywheel itself (LESSON_MEDIA_ORIGINS by default). */
export async function compileLesson(
  source: string,
  { mediaOrigins = lessonMediaOrigins() }: { mediaOrigins?: readonly string[] } = {},
): Promise<string> {
  const { code } = await bundleMDX({
    source,
    // No `files` and no `cwd`: lesson code resolves nothing from disk.
    grayMatterOptions: (options) => ({
      ...options,
      // The checker's YAML reader, so both accept the same frontmatter. gray-matter would
      // otherwise also read `---js` frontmatter by evaluating it as JavaScript.
      engines: {
        yaml: (text: string) => parseFrontmatterYaml(text) as object,
        javascript: refuseFrontmatterLanguage,
        json: refuseFrontmatterLanguage,
      },
    }),
    mdxOptions(options) {
      // First, before mdx-bundler's own plugins turn the frontmatter into an `export`.
      options.remarkPlugins = [[stripAnswerKeys, { mediaOrigins }], remarkGfm, ...(options.remarkPlugins ?? [])];
      return options;
    },
    esbuildOptions(options) {
      options.minify = true;
      options.logLevel = "silent";
      options.target = ["es2020"];
      return options;
    },
  });
  return code;
}
