// What every lesson rule works on: the parsed tree's node types, small readers for them, and the
// context a rule reports its findings into (and, for the extracting rules, adds what it found).
import type { Root, RootContent } from "mdast";
import type { MdxJsxAttribute, MdxJsxFlowElement, MdxJsxTextElement } from "mdast-util-mdx-jsx";
import type { StoredChoice, StoredCriterion, StoredTurn } from "~/db/schema";
import type { LessonFrontmatter } from "../frontmatter";

export type ContentError = { file: string; line: number; column: number; message: string };

/** A person in a lesson's scenes (a role-play persona, a dialogue's buyer), for the library-wide name rule. */
export type LessonPersona = { name: string; line: number; column: number };

export type ExtractedQuestion = {
  key: string;
  kind: "single" | "multiple";
  prompt: string;
  choices: StoredChoice[];
  position: number;
};
export type ExtractedRolePlay = {
  key: string;
  mode: "branching" | "open";
  title: string;
  persona: string;
  situation: string;
  goal: string;
  turns: StoredTurn[];
  rubric: StoredCriterion[];
};

export type AnalyzedLesson = {
  frontmatter: LessonFrontmatter | null;
  questions: ExtractedQuestion[];
  roleplays: ExtractedRolePlay[];
  keyPoints: string[];
  bodyText: string;
  wordCount: number;
  /** Every word a rep reads: prose, quiz prompts, choices and explanations, role-play settings and paths. */
  readingWords: number;
  /** The honest estimate: readingWords at 238 a minute, plus thinking time for open role-play turns. */
  readingMinutes: number;
  internalLinks: Array<{ url: string; line: number; column: number }>;
  personas: LessonPersona[];
  errors: ContentError[];
  /**
   * The library's conventions (headings, the length cue, minutes, stages, spelling…): warnings for
   * an organization's own lessons, which still load; `content:check` fails on them for `content/`.
   */
  warnings: ContentError[];
  /**
   * Authoring advice from item analysis (a negative prompt without capitals, a right answer that
   * alone repeats the prompt's words): shown to the author, never a failure, not even for content/.
   */
  advice: ContentError[];
};

export type JsxElement = MdxJsxFlowElement | MdxJsxTextElement;
export type AnyNode = Root | RootContent;
type Positioned = { position?: { start: { line: number; column: number } } };

/** One lesson being analyzed: rules report into `errors` and add what they extract to `result`. */
export type LessonContext = {
  file: string;
  result: AnalyzedLesson;
  errors: ContentError[];
  report: (node: Positioned | undefined, message: string) => void;
  /** A convention the lesson does not follow: the lesson still loads. */
  warn: (node: Positioned | undefined, message: string) => void;
  /** Advice on the wording of a quiz: shown, never a failure. */
  advise: (node: Positioned | undefined, message: string) => void;
  /** True for the built-in library (`content/`), whose lessons answer to its stricter conventions. */
  builtIn: boolean;
  /** Prose that counts toward the body text; words that count toward the reading time. */
  prose: string[];
  readWords: number;
  /** Turns of open role-plays: each adds thinking time to the estimate. */
  openTurns: number;
  questionKeys: Set<string>;
  roleplayKeys: Set<string>;
  /**
   * Checks nested content that a rule reads itself (quiz choices, replies) for the safe subset
   * only: its words are counted by that rule, not again.
   */
  checkNested: (node: AnyNode) => void;
  /** The https origins media may load from besides Flywheel's own (LESSON_MEDIA_ORIGINS). */
  mediaOrigins: readonly string[];
  /** The lesson's link definitions, for reference-style images. */
  definitions: Map<string, string>;
};

export function lessonContext(
  file: string,
  checkNested: (node: AnyNode) => void = () => {},
  mediaOrigins: readonly string[] = [],
  builtIn = false,
): LessonContext {
  const errors: ContentError[] = [];
  const warnings: ContentError[] = [];
  const advice: ContentError[] = [];
  const at = (node: Positioned | undefined, message: string): ContentError => ({
    file,
    line: node?.position?.start.line ?? 1,
    column: node?.position?.start.column ?? 1,
    message,
  });
  return {
    file,
    errors,
    builtIn,
    mediaOrigins,
    definitions: new Map(),
    result: {
      frontmatter: null,
      questions: [],
      roleplays: [],
      keyPoints: [],
      bodyText: "",
      wordCount: 0,
      readingWords: 0,
      readingMinutes: 0,
      internalLinks: [],
      personas: [],
      errors,
      warnings,
      advice,
    },
    report: (node, message) => errors.push(at(node, message)),
    warn: (node, message) => warnings.push(at(node, message)),
    advise: (node, message) => advice.push(at(node, message)),
    prose: [],
    readWords: 0,
    openTurns: 0,
    questionKeys: new Set(),
    roleplayKeys: new Set(),
    checkNested,
  };
}

export function text(node: AnyNode): string {
  if ("value" in node && typeof node.value === "string" && (node.type === "text" || node.type === "inlineCode"))
    return node.value;
  if ("children" in node) return (node.children as AnyNode[]).map(text).join(node.type === "paragraph" ? "" : " ");
  return "";
}

export function isJsx(node: AnyNode): node is JsxElement {
  return node.type === "mdxJsxFlowElement" || node.type === "mdxJsxTextElement";
}

/** Children that are components, looking through the paragraphs MDX wraps inline ones in. */
export function componentChildren(node: JsxElement): JsxElement[] {
  const out: JsxElement[] = [];
  for (const child of node.children as AnyNode[]) {
    if (isJsx(child)) out.push(child);
    else if (child.type === "paragraph")
      for (const inner of child.children as AnyNode[]) if (isJsx(inner)) out.push(inner);
  }
  return out;
}

/** A literal attribute's value; null for a bare flag; undefined when absent or an expression. */
export function attr(node: JsxElement, name: string): string | null | undefined {
  const found = node.attributes.find((a): a is MdxJsxAttribute => a.type === "mdxJsxAttribute" && a.name === name);
  if (!found) return undefined;
  return typeof found.value === "string" ? found.value : found.value === null ? null : undefined;
}

export function words(value: string): number {
  return value.split(/\s+/).filter(Boolean).length;
}
