// Rule: a <RolePlay> has a unique slug id, turns that fit its mode, a rubric of 3 to 5 weighted
// criteria each described at every score, and (when branching) paths that all end. What a rep
// plays and how it is scored are extracted for the database.
import type { StoredCriterion, StoredTurn } from "~/db/schema";
import { checkElement } from "./components";
import { checkId } from "./ids";
import { notePersona } from "./persona-names";
import { attr, componentChildren, text, words, type AnyNode, type JsxElement, type LessonContext } from "./context";

export function extractRolePlay(roleplay: JsxElement, ctx: LessonContext): void {
  const key = attr(roleplay, "id") ?? "";
  const mode = attr(roleplay, "mode") === "open" ? "open" : "branching";
  checkId(roleplay, "RolePlay", key, "renewal-call", ctx);
  if (key && ctx.roleplayKeys.has(key))
    ctx.report(roleplay, `Another role-play in this lesson already has id="${key}".`);
  ctx.roleplayKeys.add(key);
  const turns: StoredTurn[] = [];
  const rubric: StoredCriterion[] = [];
  let rubricNode: JsxElement | null = null;
  const turnNodes = new Map<string, JsxElement>();

  for (const child of componentChildren(roleplay)) {
    if (!checkElement(child, ["RolePlay"], ctx)) continue;
    if (child.name === "Turn") {
      const turn = readTurn(child, mode, ctx);
      if (turnNodes.has(turn.id)) ctx.report(child, `Two turns share id="${turn.id}". Give each turn its own id.`);
      turnNodes.set(turn.id, child);
      turns.push(turn);
    } else if (child.name === "Rubric") {
      if (rubricNode) ctx.report(child, "A role-play has one <Rubric>.");
      rubricNode = child;
      rubric.push(...readRubric(child, ctx));
    } else {
      ctx.report(child, `<${child.name}> does not belong inside <RolePlay>; use <Turn> and <Rubric>.`);
    }
  }

  if (turns.length === 0) ctx.report(roleplay, `Role-play “${key}” has no <Turn>.`);
  if (!rubricNode) ctx.report(roleplay, `Role-play “${key}” needs a <Rubric> with 3 to 5 criteria.`);
  else checkRubric(rubricNode, rubric, ctx);
  if (mode === "branching" && turns.length > 0) checkBranches(roleplay, key, turns, turnNodes, ctx);
  const setting = {
    title: attr(roleplay, "title") ?? "",
    persona: attr(roleplay, "persona") ?? "",
    situation: attr(roleplay, "situation") ?? "",
    goal: attr(roleplay, "goal") ?? "",
  };
  // The rep reads the setting, then one path; every turn of an open role-play needs thinking.
  ctx.readWords += words(Object.values(setting).join(" ")) + roleplayReadingWords(turns);
  if (mode === "open") ctx.openTurns += turns.length;
  notePersona(roleplay, setting.persona, ctx);
  ctx.result.roleplays.push({ key, mode, ...setting, turns, rubric });
}

/** A <Turn> and its <Reply>s, numbered r1, r2… as the compiler numbers them. */
function readTurn(node: JsxElement, mode: "branching" | "open", ctx: LessonContext): StoredTurn {
  const id = attr(node, "id") ?? "";
  checkId(node, "Turn", id, "opening", ctx);
  const replies = componentChildren(node).flatMap((reply, i) => {
    if (!checkElement(reply, ["Turn"], ctx)) return [];
    for (const grandchild of reply.children as AnyNode[]) ctx.checkNested(grandchild);
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
  if (mode === "branching" && (replies.length < 2 || replies.length > 4))
    ctx.report(
      node,
      `In a branching role-play each turn offers 2 to 4 <Reply> choices; turn “${id}” has ${replies.length}.`,
    );
  if (mode === "open" && replies.length > 0)
    ctx.report(
      node,
      `Open role-plays have no <Reply> choices: the rep writes their own reply. Remove them, or use mode="branching".`,
    );
  return { id, buyer: attr(node, "buyer") ?? "", hint: attr(node, "hint") ?? null, replies };
}

/** The rubric's criteria, each with the description of every score from 1 to 5. */
function readRubric(node: JsxElement, ctx: LessonContext): StoredCriterion[] {
  const rubric: StoredCriterion[] = [];
  for (const criterion of componentChildren(node)) {
    if (!checkElement(criterion, ["Rubric"], ctx)) continue;
    checkId(criterion, "Criterion", attr(criterion, "id") ?? "", "asks-open-questions", ctx);
    const levels: string[] = [];
    const seen = new Set<number>();
    for (const level of componentChildren(criterion)) {
      if (!checkElement(level, ["Criterion"], ctx)) continue;
      const score = Number(attr(level, "score"));
      if (seen.has(score))
        ctx.report(level, `Score ${score} is described twice in criterion “${attr(criterion, "name")}”.`);
      seen.add(score);
      levels[score - 1] = text(level).trim();
    }
    if ([1, 2, 3, 4, 5].some((s) => !seen.has(s)))
      ctx.report(
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
  return rubric;
}

function checkRubric(node: JsxElement, rubric: StoredCriterion[], ctx: LessonContext): void {
  if (rubric.length < 3 || rubric.length > 5) ctx.report(node, `The rubric has ${rubric.length} criteria; use 3 to 5.`);
  const total = rubric.reduce((sum, c) => sum + c.weight, 0);
  if (total !== 100) ctx.report(node, `The rubric's weights add up to ${total}; make them add up to 100.`);
  const ids = new Set<string>();
  for (const c of rubric) {
    if (ids.has(c.id)) ctx.report(node, `Two criteria share id="${c.id}".`);
    ids.add(c.id);
  }
}

/** Every reply leads to a turn that exists, no path loops, and every turn can be reached. */
export function checkBranches(
  node: JsxElement,
  key: string,
  turns: StoredTurn[],
  turnNodes: Map<string, JsxElement>,
  ctx: LessonContext,
): void {
  const byId = new Map(turns.map((t) => [t.id, t]));
  for (const turn of turns) {
    for (const reply of turn.replies) {
      if (reply.next !== null && !byId.has(reply.next))
        ctx.report(
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
  if (loops(turns[0]!.id))
    ctx.report(node, `Role-play “${key}” can loop back to an earlier turn; every path must end.`);
  const reachable = new Set<string>();
  const visit = (id: string) => {
    if (reachable.has(id) || !byId.has(id)) return;
    reachable.add(id);
    for (const r of byId.get(id)!.replies) if (r.next) visit(r.next);
  };
  visit(turns[0]!.id);
  for (const turn of turns)
    if (!reachable.has(turn.id))
      ctx.report(turnNodes.get(turn.id), `Turn “${turn.id}” cannot be reached from the first turn.`);
}

/** A rep reads one path through a branching role-play (its longest), every turn of an open one. */
export function roleplayReadingWords(turns: StoredTurn[]): number {
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
