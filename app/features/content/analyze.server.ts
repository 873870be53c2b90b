// Reads one lesson's MDX: enforces the safe subset and the lesson kit's rules, and extracts
// what the database keeps (questions with their keys, role-plays, key points, search text).
// Every problem is reported with its line and column and what to write instead; nothing is
// silently dropped.
import type { Root, RootContent } from "mdast";
import type {
  MdxJsxAttribute,
  MdxJsxExpressionAttribute,
  MdxJsxFlowElement,
  MdxJsxTextElement,
} from "mdast-util-mdx-jsx";
import remarkFrontmatter from "remark-frontmatter";
import remarkGfm from "remark-gfm";
import remarkMdx from "remark-mdx";
import remarkParse from "remark-parse";
import { unified } from "unified";
import { parse as parseYaml } from "yaml";
import type { StoredChoice, StoredCriterion, StoredTurn } from "~/db/schema";
import { LESSON_KIT } from "~/lesson-kit/allow-list";
import { describeZodIssues, lessonFrontmatterSchema, SLUG, type LessonFrontmatter } from "./frontmatter";

export type ContentError = { file: string; line: number; column: number; message: string };

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
  readingMinutes: number;
  internalLinks: Array<{ url: string; line: number; column: number }>;
  errors: ContentError[];
};

type JsxElement = MdxJsxFlowElement | MdxJsxTextElement;
type AnyNode = Root | RootContent;

// Adults read non-fiction silently at about 238 words a minute (Brysbaert, 2019).
export const READING_WORDS_PER_MINUTE = 238;
export const MAX_READING_MINUTES = 7;

const parser = unified().use(remarkParse).use(remarkMdx).use(remarkFrontmatter).use(remarkGfm);

export function parseLesson(source: string): Root {
  return parser.parse(source);
}

/** Lower-cased, with the characters browsers ignore inside URLs removed, so `JaVa\tScript:` is caught. */
export function urlScheme(url: string): string | null {
  // Browsers drop ASCII tab and newlines anywhere in a URL, and leading C0 controls and spaces.
  // The class keeps printable ASCII and everything above DEL, so controls, space and DEL go.
  const cleaned = url.replace(/[^\x21-\x7e\u0080-\uffff]/g, "").toLowerCase();
  const match = /^([a-z][a-z0-9+.-]*):/.exec(cleaned);
  return match ? match[1]! : null;
}

export function isSafeUrl(url: string): boolean {
  const scheme = urlScheme(url);
  return scheme === null || scheme === "http" || scheme === "https" || scheme === "mailto";
}

function text(node: AnyNode): string {
  if ("value" in node && typeof node.value === "string" && (node.type === "text" || node.type === "inlineCode"))
    return node.value;
  if ("children" in node) return (node.children as AnyNode[]).map(text).join(node.type === "paragraph" ? "" : " ");
  return "";
}

function isJsx(node: AnyNode): node is JsxElement {
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

function attr(node: JsxElement, name: string): string | null | undefined {
  const found = node.attributes.find((a): a is MdxJsxAttribute => a.type === "mdxJsxAttribute" && a.name === name);
  if (!found) return undefined;
  return typeof found.value === "string" ? found.value : found.value === null ? null : undefined;
}

function words(value: string): number {
  return value.split(/\s+/).filter(Boolean).length;
}

export function analyzeLesson(file: string, source: string): AnalyzedLesson {
  const errors: ContentError[] = [];
  const report = (node: { position?: { start: { line: number; column: number } } } | undefined, message: string) =>
    errors.push({ file, line: node?.position?.start.line ?? 1, column: node?.position?.start.column ?? 1, message });

  const result: AnalyzedLesson = {
    frontmatter: null,
    questions: [],
    roleplays: [],
    keyPoints: [],
    bodyText: "",
    wordCount: 0,
    readingMinutes: 0,
    internalLinks: [],
    errors,
  };

  let tree: Root;
  try {
    tree = parseLesson(source);
  } catch (error) {
    const place = error as { line?: number; column?: number; reason?: string; message?: string };
    errors.push({
      file,
      line: place.line ?? 1,
      column: place.column ?? 1,
      message: `This is not valid MDX: ${place.reason ?? place.message}. Check for an unclosed tag, a stray “<” (write &lt;) or a “{” (write \\{).`,
    });
    return result;
  }

  // Frontmatter.
  const yamlNode = tree.children.find((n) => n.type === "yaml");
  if (!yamlNode || yamlNode.type !== "yaml") {
    report(
      tree.children[0],
      "The lesson has no frontmatter. Start the file with a --- block holding title, summary, objective, skill, stages, minutes, level and tags.",
    );
  } else {
    let data: unknown;
    try {
      data = parseYaml(yamlNode.value);
    } catch (error) {
      report(yamlNode, `The frontmatter is not valid YAML: ${(error as Error).message.split("\n")[0]}`);
    }
    if (data !== undefined) {
      const parsed = lessonFrontmatterSchema.safeParse(data);
      if (parsed.success) result.frontmatter = parsed.data;
      else for (const issue of describeZodIssues(parsed.error)) report(yamlNode, `Frontmatter ${issue}`);
    }
  }

  const prose: string[] = [];
  let readWords = 0;
  const questionKeys = new Set<string>();
  const roleplayKeys = new Set<string>();

  const walk = (node: AnyNode, parents: string[], counted = true) => {
    switch (node.type) {
      case "mdxjsEsm":
        report(
          node,
          "`import` and `export` are not allowed in lessons: they run code. Use the lesson-kit components, which need no import.",
        );
        return;
      case "mdxFlowExpression":
      case "mdxTextExpression":
        report(
          node,
          "Curly braces `{…}` are code in MDX and are not allowed. Write the text itself, or escape a literal brace as `\\{`.",
        );
        return;
      case "html":
        report(node, "Raw HTML is not allowed in lessons. Use Markdown or a lesson-kit component.");
        return;
      case "link":
      case "image":
      case "definition":
        if (!isSafeUrl(node.url)) {
          report(
            node,
            `The link “${node.url}” uses the scheme “${urlScheme(node.url)}:”, which lessons may not use. Use an https:// address, a mailto: address or a path such as /learn/questioning/open-and-closed.`,
          );
        } else if (node.url.startsWith("/learn/")) {
          result.internalLinks.push({
            url: node.url,
            line: node.position?.start.line ?? 1,
            column: node.position?.start.column ?? 1,
          });
        }
        break;
    }

    if (isJsx(node)) {
      if (!checkElement(node, parents)) return;
      const name = node.name!;
      if (name === "Quiz") {
        extractQuiz(node);
        return;
      }
      if (name === "RolePlay") {
        extractRolePlay(node);
        return;
      }
      if (name === "KeyPoint") {
        for (const child of node.children as AnyNode[]) {
          if (child.type === "list") for (const item of child.children) result.keyPoints.push(text(item).trim());
          else if (child.type === "paragraph") result.keyPoints.push(text(child).trim());
        }
      }
      if (name === "Example" || name === "Dialogue") {
        // Their text is part of the lesson, but their children are checked below too.
      }
    } else if (counted && (node.type === "text" || node.type === "inlineCode")) {
      prose.push(node.value);
      readWords += words(node.value);
    }

    if ("children" in node) {
      const nextParents = isJsx(node) ? [...parents, node.name!] : parents;
      for (const child of node.children as AnyNode[]) walk(child, nextParents, counted);
    }
  };

  /** Checks the component's name, place and attributes; false when it must not be looked into. */
  const checkElement = (node: JsxElement, parents: string[]): boolean => {
    const name = node.name;
    if (!name) {
      report(node, "Fragments `<>…</>` are not part of the lesson kit. Remove them; Markdown needs no wrapper.");
      return false;
    }
    const lower = name.toLowerCase();
    if (lower === "script" || lower === "iframe" || lower === "style" || lower === "object" || lower === "embed") {
      report(
        node,
        `<${name}> is not allowed in lessons: it can run code or change the page. Use Markdown, or Video and Audio for media.`,
      );
      return false;
    }
    const rule = LESSON_KIT[name];
    if (!rule) {
      report(
        node,
        `<${name}> is not a lesson-kit component. Use Markdown or one of: ${Object.keys(LESSON_KIT)
          .filter((n) => !LESSON_KIT[n]!.parents)
          .join(", ")}.`,
      );
      return false;
    }
    if (rule.parents) {
      const parent = parents[parents.length - 1];
      if (!parent || !rule.parents.includes(parent))
        report(node, `<${name}> belongs directly inside <${rule.parents.join("> or <")}>.`);
    }
    for (const attribute of node.attributes) checkAttribute(node, name, attribute);
    for (const [attrName, attrRule] of Object.entries(rule.attributes)) {
      if (
        attrRule.required &&
        attr(node, attrName) === undefined &&
        !node.attributes.some((a) => a.type === "mdxJsxAttribute" && a.name === attrName)
      ) {
        report(node, `<${name}> needs a ${attrName}="…" attribute.`);
      }
    }
    return true;
  };

  const checkAttribute = (node: JsxElement, name: string, attribute: MdxJsxAttribute | MdxJsxExpressionAttribute) => {
    if (attribute.type === "mdxJsxExpressionAttribute") {
      report(
        attribute.position ? attribute : node,
        `Spread attributes like \`{...props}\` are code and are not allowed on <${name}>. Write each attribute as name="value".`,
      );
      return;
    }
    const where = attribute.position ? attribute : node;
    if (/^on/i.test(attribute.name)) {
      report(where, `Event handlers such as ${attribute.name} are not allowed: they run code. Remove the attribute.`);
      return;
    }
    const rule = LESSON_KIT[name]!.attributes[attribute.name];
    if (!rule) {
      const known = Object.keys(LESSON_KIT[name]!.attributes);
      report(
        where,
        `<${name}> has no attribute “${attribute.name}”.${known.length ? ` Use: ${known.join(", ")}.` : " It takes no attributes."}`,
      );
      return;
    }
    const value = attribute.value;
    if (value !== null && typeof value === "object") {
      report(
        where,
        `The value of ${attribute.name} on <${name}> is an expression \`{…}\`, which is code. Write a literal: ${attribute.name}="…".`,
      );
      return;
    }
    if (rule.boolean) {
      if (value !== null)
        report(
          where,
          `${attribute.name} on <${name}> is a yes/no flag: write it bare, as \`${attribute.name}\`, with no value.`,
        );
      return;
    }
    if (typeof value !== "string") {
      report(where, `${attribute.name} on <${name}> needs a value: ${attribute.name}="…".`);
      return;
    }
    if (rule.oneOf && !rule.oneOf.includes(value))
      report(where, `${attribute.name}="${value}" on <${name}> must be one of: ${rule.oneOf.join(", ")}.`);
    if (rule.integer) {
      const [min, max] = rule.integer;
      if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max)
        report(
          where,
          `${attribute.name} on <${name}> must be a whole number from ${min} to ${max}, like ${attribute.name}="${min}".`,
        );
    }
    if (rule.url && !isSafeUrl(value)) {
      report(
        where,
        `${attribute.name}="${value}" on <${name}> uses the scheme “${urlScheme(value)}:”, which lessons may not use. Use an https:// address or a path such as /media/clip.mp4.`,
      );
    }
  };

  const extractQuiz = (quiz: JsxElement) => {
    const key = attr(quiz, "id") ?? "";
    const prompt = attr(quiz, "prompt") ?? "";
    const kind = attr(quiz, "multiple") === null ? "multiple" : "single";
    if (key && !SLUG.test(key))
      report(quiz, `Quiz id “${key}” must be lower-case words joined by hyphens, like id="timing-question".`);
    if (key && questionKeys.has(key))
      report(quiz, `Another quiz in this lesson already has id="${key}". Give each quiz its own id.`);
    questionKeys.add(key);
    const choices: StoredChoice[] = [];
    for (const child of quiz.children as AnyNode[]) {
      const inner = child.type === "paragraph" ? (child.children as AnyNode[]) : [child];
      for (const node of inner) {
        if (isJsx(node)) {
          if (node.name !== "Choice") {
            report(node, `Only <Choice> elements belong inside <Quiz>; <${node.name}> does not.`);
            continue;
          }
          checkElement(node, ["Quiz"]);
          for (const grandchild of node.children as AnyNode[]) walkForbiddenOnly(grandchild);
          choices.push({
            id: `c${choices.length + 1}`,
            text: text(node).trim(),
            correct: attr(node, "correct") === null,
            explanation: attr(node, "explanation") ?? "",
          });
        } else if (node.type === "text" && node.value.trim() === "") {
          continue;
        } else {
          walkForbiddenOnly(node);
          if (text(node).trim())
            report(
              node,
              'Put the question in the quiz\'s prompt="…" and each answer in a <Choice>; loose text inside <Quiz> is not shown.',
            );
        }
      }
    }
    if (choices.length < 2 || choices.length > 6)
      report(quiz, `Quiz “${key}” has ${choices.length} choice(s); give it 2 to 6.`);
    const correct = choices.filter((c) => c.correct).length;
    if (kind === "single" && correct !== 1)
      report(
        quiz,
        `Quiz “${key}” has ${correct} correct choices. A single-answer quiz has exactly one; add \`multiple\` to the Quiz if several are right.`,
      );
    if (kind === "multiple" && correct < 2)
      report(
        quiz,
        `Quiz “${key}” is multiple-answer but has ${correct} correct choice(s); mark at least two, or remove \`multiple\`.`,
      );
    for (const [i, choice] of choices.entries()) {
      if (!choice.text) report(quiz, `Choice ${i + 1} of quiz “${key}” has no text.`);
      if (/\b(all|none) of the above\b/i.test(choice.text))
        report(quiz, `Quiz “${key}” uses “${choice.text}”. Write a real option instead of “all/none of the above”.`);
    }
    readWords += words(prompt) + choices.reduce((n, c) => n + words(c.text), 0);
    result.questions.push({ key, kind, prompt, choices, position: result.questions.length });
  };

  const extractRolePlay = (roleplay: JsxElement) => {
    const key = attr(roleplay, "id") ?? "";
    const mode = attr(roleplay, "mode") === "open" ? "open" : "branching";
    if (key && !SLUG.test(key)) report(roleplay, `RolePlay id “${key}” must be lower-case words joined by hyphens.`);
    if (key && roleplayKeys.has(key)) report(roleplay, `Another role-play in this lesson already has id="${key}".`);
    roleplayKeys.add(key);
    const turns: StoredTurn[] = [];
    const rubric: StoredCriterion[] = [];
    let rubricNode: JsxElement | null = null;
    const turnNodes = new Map<string, JsxElement>();

    for (const child of componentChildren(roleplay)) {
      if (!checkElement(child, ["RolePlay"])) continue;
      if (child.name === "Turn") {
        const id = attr(child, "id") ?? "";
        if (turnNodes.has(id)) report(child, `Two turns share id="${id}". Give each turn its own id.`);
        turnNodes.set(id, child);
        const replies = componentChildren(child).flatMap((reply, i) => {
          if (!checkElement(reply, ["Turn"])) return [];
          for (const grandchild of reply.children as AnyNode[]) walkForbiddenOnly(grandchild);
          return [
            {
              id: `r${i + 1}`,
              text: text(reply).trim(),
              points: Number(attr(reply, "points") ?? 0),
              feedback: attr(reply, "feedback") ?? "",
              next: attr(reply, "next") ?? null,
            },
          ];
        });
        const buyer = attr(child, "buyer") ?? "";
        turns.push({ id, buyer, hint: attr(child, "hint") ?? null, replies });
        if (mode === "branching" && (replies.length < 2 || replies.length > 4))
          report(
            child,
            `In a branching role-play each turn offers 2 to 4 <Reply> choices; turn “${id}” has ${replies.length}.`,
          );
        if (mode === "open" && replies.length > 0)
          report(
            child,
            `Open role-plays have no <Reply> choices: the rep writes their own reply. Remove them, or use mode="branching".`,
          );
      } else if (child.name === "Rubric") {
        if (rubricNode) report(child, "A role-play has one <Rubric>.");
        rubricNode = child;
        for (const criterion of componentChildren(child)) {
          if (!checkElement(criterion, ["Rubric"])) continue;
          const levels: string[] = [];
          const seen = new Set<number>();
          for (const level of componentChildren(criterion)) {
            if (!checkElement(level, ["Criterion"])) continue;
            const score = Number(attr(level, "score"));
            if (seen.has(score))
              report(level, `Score ${score} is described twice in criterion “${attr(criterion, "name")}”.`);
            seen.add(score);
            levels[score - 1] = text(level).trim();
          }
          if ([1, 2, 3, 4, 5].some((s) => !seen.has(s)))
            report(
              criterion,
              `Criterion “${attr(criterion, "name")}” needs one <Level score="…"> for each score from 1 to 5.`,
            );
          rubric.push({
            id: attr(criterion, "id") ?? "",
            name: attr(criterion, "name") ?? "",
            weight: Number(attr(criterion, "weight") ?? 0),
            levels,
          });
        }
      } else {
        report(child, `<${child.name}> does not belong inside <RolePlay>; use <Turn> and <Rubric>.`);
      }
    }

    if (turns.length === 0) report(roleplay, `Role-play “${key}” has no <Turn>.`);
    if (!rubricNode) report(roleplay, `Role-play “${key}” needs a <Rubric> with 3 to 5 criteria.`);
    else {
      if (rubric.length < 3 || rubric.length > 5)
        report(rubricNode, `The rubric has ${rubric.length} criteria; use 3 to 5.`);
      const total = rubric.reduce((sum, c) => sum + c.weight, 0);
      if (total !== 100) report(rubricNode, `The rubric's weights add up to ${total}; make them add up to 100.`);
      const ids = new Set<string>();
      for (const c of rubric) {
        if (ids.has(c.id)) report(rubricNode, `Two criteria share id="${c.id}".`);
        ids.add(c.id);
      }
    }
    if (mode === "branching" && turns.length > 0) checkBranches(roleplay, key, turns, turnNodes);
    readWords += roleplayReadingWords(turns);
    result.roleplays.push({
      key,
      mode,
      title: attr(roleplay, "title") ?? "",
      persona: attr(roleplay, "persona") ?? "",
      situation: attr(roleplay, "situation") ?? "",
      goal: attr(roleplay, "goal") ?? "",
      turns,
      rubric,
    });
  };

  const checkBranches = (node: JsxElement, key: string, turns: StoredTurn[], turnNodes: Map<string, JsxElement>) => {
    const byId = new Map(turns.map((t) => [t.id, t]));
    for (const turn of turns) {
      for (const reply of turn.replies) {
        if (reply.next !== null && !byId.has(reply.next))
          report(
            turnNodes.get(turn.id),
            `A reply in turn “${turn.id}” leads to next="${reply.next}", but no turn has that id.`,
          );
      }
    }
    // The turns must form a tree-like path with no way back (a loop would never end).
    const state = new Map<string, "visiting" | "done">();
    const loops = (id: string): boolean => {
      if (state.get(id) === "done") return false;
      if (state.get(id) === "visiting") return true;
      state.set(id, "visiting");
      const found = (byId.get(id)?.replies ?? []).some((r) => r.next !== null && byId.has(r.next) && loops(r.next));
      state.set(id, "done");
      return found;
    };
    if (loops(turns[0]!.id)) report(node, `Role-play “${key}” can loop back to an earlier turn; every path must end.`);
    const reachable = new Set<string>();
    const visit = (id: string) => {
      if (reachable.has(id) || !byId.has(id)) return;
      reachable.add(id);
      for (const r of byId.get(id)!.replies) if (r.next) visit(r.next);
    };
    visit(turns[0]!.id);
    for (const turn of turns)
      if (!reachable.has(turn.id))
        report(turnNodes.get(turn.id), `Turn “${turn.id}” cannot be reached from the first turn.`);
  };

  /** Inside quiz choices and replies (counted separately) code is still refused. */
  const walkForbiddenOnly = (node: AnyNode) => walk(node, ["(inline)"], false);

  for (const child of tree.children) walk(child, []);

  result.bodyText = prose.join(" ").replace(/\s+/g, " ").trim();
  result.wordCount = words(result.bodyText);
  result.readingMinutes = Math.ceil(readWords / READING_WORDS_PER_MINUTE);
  if (result.readingMinutes > MAX_READING_MINUTES) {
    report(
      tree.children[0],
      `The lesson takes about ${result.readingMinutes} minutes to read (${readWords} words); keep it to ${MAX_READING_MINUTES} minutes or split it into two lessons.`,
    );
  }
  if (result.keyPoints.length === 0)
    report(tree.children[0], "Every lesson ends with a <KeyPoint> summary of what to remember.");
  return result;
}

/** A rep reads one path through a branching role-play (its longest), every turn of an open one. */
function roleplayReadingWords(turns: StoredTurn[]): number {
  const byId = new Map(turns.map((t) => [t.id, t]));
  const turnWords = (t: StoredTurn) =>
    words(t.buyer) +
    words(t.hint ?? "") +
    t.replies.reduce((n, r) => n + words(r.text), 0) +
    Math.max(0, ...t.replies.map((r) => words(r.feedback)));
  if (turns.every((t) => t.replies.length === 0)) return turns.reduce((n, t) => n + turnWords(t), 0);
  const memo = new Map<string, number>();
  const longest = (id: string, depth: number): number => {
    const turn = byId.get(id);
    if (!turn || depth > turns.length) return 0;
    if (memo.has(id)) return memo.get(id)!;
    const rest = Math.max(0, ...turn.replies.map((r) => (r.next ? longest(r.next, depth + 1) : 0)));
    memo.set(id, turnWords(turn) + rest);
    return memo.get(id)!;
  };
  return longest(turns[0]!.id, 0);
}
