// Automatic technique feedback on a rep's written reply, computed locally with no outside
// service: which sentences are questions, open or closed; leading and stacked questions;
// how much the rep talks compared with how much they ask; reflecting and summarizing.

import type { FoundQuestion, QuestionKind, TechniqueFeedback } from "~/lesson-kit/lesson-state";

// Words people put in front of a question without changing what it asks.
const SOFTENERS =
  /^(?:(?:so|and|okay|ok|well|now|right|alright|great|got it|thanks|thank you|just so i understand|just so i'm clear|just to be sure|just curious|out of curiosity|just out of interest|out of interest|quick question|one more thing|then|also|but|and then|if i may|i'm curious|i'm wondering|i wonder)[,:;]?\s+)+/i;

// Requests that ask the buyer to explain, with or without a question mark.
const OPEN_REQUESTS =
  /^(?:(?:could|can|would|will) you (?:please )?|would you mind |do you mind |i'd love (?:for you )?to |i'd like (?:you )?to |i'm keen to |please |let's )?(?:tell me|walk me through|talk me through|take me through|help me understand|describe|explain|share|give me (?:a sense|some background|some context|an overview|a picture|a feel)|paint (?:me )?a picture|expand on|say more|elaborate|unpack|go into|run me through|fill me in|hear (?:more )?(?:about|how|what|why)|understand (?:how|what|why)|explaining|describing|sharing|walking me through|telling me)\b\s*(?:(?:a bit|a little|more)\s+)?(?:about\s+)?/i;

// A question that asks for one fact: a number, a date, a name, a choice.
const FACT_OPENERS = /^(?:how (?:many|much|long|often|soon|big|old|far)|when|where|who|whom|whose|which)\b/i;
const AUXILIARY_OPENERS =
  /^(?:do|does|did|is|isn't|are|aren't|was|wasn't|were|weren't|can|can't|could|couldn't|would|wouldn't|will|won't|should|shouldn't|shall|have|haven't|has|hasn't|had|hadn't|may|might|am|any|anything|anyone|is there|are there)\b/i;
const OPEN_OPENERS = /^(?:what|how|why|in what way|to what extent)\b/i;
// "What's your budget?", "What CRM do you use?": a "what" that names the one fact it wants.
const WHAT_FACT =
  /^what(?:'s| is| are| was| were)? (?:(?:your|the|our) )?(?:budget|deadline|timeline|date|time|price|cost|name|title|role|number|headcount|size|term|renewal date|start date|go-live date|contract length|current (?:crm|vendor|provider|tool|system|plan)|crm|erp|plan|vendor|system|tool|platform|version|email|phone)\b[^,]*\??$|^what (?:crm|erp|system|tool|platform|vendor|provider|software|version|plan|day|date|time|month|year|quarter|size|tier)\b/i;
const TAG_QUESTION =
  /,\s*(?:right|correct|yes|no|isn't it|aren't they|don't you|didn't you|doesn't it|won't it|wouldn't it|can't you|isn't that so|true)\?$/i;
const LEADING =
  /\b(?:wouldn't you agree|don't you (?:think|agree|want|feel)|isn't it (?:true|fair)|you'd agree|surely|wouldn't it be (?:great|nice|better)|don't you want|you don't want|you wouldn't want|isn't that what|obviously)\b|,\s*(?:right|correct|isn't it|wouldn't it|don't you)\?$/i;
const LISTENING_CUES: Array<[RegExp, string]> = [
  [
    /\b(?:it sounds like|sounds like you|it seems like|it seems that)\b/i,
    "reflects what the buyer said (“it sounds like…”)",
  ],
  [
    /\b(?:what i'm hearing|what i hear|if i heard you right|if i'm hearing you|so you're saying|you're saying)\b/i,
    "reflects the buyer's words back",
  ],
  [
    /\b(?:so if i understand|let me make sure i(?:'ve| have) got|to make sure i understand|let me play (?:that|it) back|to summari[sz]e|in summary|so to recap|let me recap|in other words)\b/i,
    "summarizes before moving on",
  ],
  [/\b(?:you mentioned|you said|earlier you said|you told me)\b/i, "builds on something the buyer said"],
];

const WORD = /[\p{L}\p{N}'’]+/gu;
const countWords = (text: string) => text.match(WORD)?.length ?? 0;

/** Splits a reply into sentences, keeping each one's closing punctuation. */
export function sentences(reply: string): string[] {
  return reply
    .replace(/[’]/g, "'")
    .replace(/[“”]/g, '"')
    .split(/(?<=[.?!])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => countWords(s) > 0);
}

function core(sentence: string): string {
  return sentence
    .replace(/^["'(]+/, "")
    .replace(SOFTENERS, "")
    .trim();
}

export function isQuestion(sentence: string): boolean {
  return sentence.trim().endsWith("?") || OPEN_REQUESTS.test(core(sentence));
}

/** Open invites the buyer to explain; closed can be answered with yes/no or one fact. */
export function classifyQuestion(sentence: string): QuestionKind {
  const text = core(sentence);
  const request = OPEN_REQUESTS.exec(text);
  if (request) {
    // “Can you tell me how many users you have?” is a polite way to ask for one number.
    const asked = text.slice(request[0].length);
    return FACT_OPENERS.test(asked) || WHAT_FACT.test(asked) ? "closed" : "open";
  }
  if (TAG_QUESTION.test(text)) return "closed";
  if (WHAT_FACT.test(text)) return "closed";
  if (FACT_OPENERS.test(text)) return "closed";
  if (OPEN_OPENERS.test(text)) return "open";
  if (AUXILIARY_OPENERS.test(text)) return "closed";
  // A question that starts mid-thought ("And the board signed off on that?") is usually a check.
  const embedded = /\b(?:what|how|why)\b/i.exec(text);
  return embedded && embedded.index < 20 ? "open" : "closed";
}

const QUESTION_START = new RegExp(
  `^(?:${[OPEN_OPENERS, FACT_OPENERS, AUXILIARY_OPENERS, /wouldn't you|don't you|isn't it/i].map((r) => r.source.replace(/^\^/, "")).join("|")})`,
  "i",
);

/** A long statement that ends in a question: the pitch is talk, only the last clause asks. */
function splitPitch(sentence: string): { talk: string; question: string } {
  if (countWords(sentence) <= 18) return { talk: "", question: sentence };
  const clauses = sentence.split(/(?<=[,;:])\s+|\s+[—–-]\s+/);
  for (let i = clauses.length - 1; i > 0; i--) {
    const tail = clauses.slice(i).join(" ");
    if (QUESTION_START.test(core(tail))) return { talk: clauses.slice(0, i).join(" "), question: tail };
  }
  return { talk: "", question: sentence };
}

export function analyzeReply(reply: string): TechniqueFeedback {
  const parts = sentences(reply);
  const questions: FoundQuestion[] = [];
  let talkWords = 0;
  let askWords = 0;
  for (const sentence of parts) {
    if (isQuestion(sentence)) {
      const { talk, question } = splitPitch(sentence);
      questions.push({ text: sentence, kind: classifyQuestion(question), leading: LEADING.test(sentence) });
      talkWords += countWords(talk);
      askWords += countWords(question);
    } else {
      talkWords += countWords(sentence);
    }
  }
  const listening = [...new Set(LISTENING_CUES.filter(([pattern]) => pattern.test(reply)).map(([, label]) => label))];
  const leading = questions.filter((q) => q.leading).map((q) => q.text);
  const openCount = questions.filter((q) => q.kind === "open").length;
  const closedCount = questions.length - openCount;
  const stacked = questions.length >= 2;
  // Talking more than asking: a reply that is mostly statements, long enough to matter.
  const talksMoreThanAsks = talkWords >= 20 && talkWords > 2 * askWords;
  return {
    questions,
    openCount,
    closedCount,
    leading,
    stacked,
    talkWords,
    askWords,
    talksMoreThanAsks,
    listening,
    tips: tipsFor({ questions, openCount, closedCount, leading, stacked, talksMoreThanAsks, listening }),
  };
}

function tipsFor(
  f: Pick<
    TechniqueFeedback,
    "questions" | "openCount" | "closedCount" | "leading" | "stacked" | "talksMoreThanAsks" | "listening"
  >,
): string[] {
  const tips: string[] = [];
  if (f.questions.length === 0)
    tips.push(
      "You didn't ask anything. End with one open question, such as “What's driving that?”, so the buyer keeps talking.",
    );
  if (f.leading.length > 0)
    tips.push(`“${f.leading[0]}” steers the buyer toward your answer. Ask it neutrally: “How do you see it?”`);
  if (f.stacked)
    tips.push(
      `You asked ${f.questions.length} questions in one breath; the buyer will answer the easiest. Ask one, then stop and listen.`,
    );
  if (f.talksMoreThanAsks)
    tips.push(
      "You talked a lot before asking. Cut the explanation to one sentence and hand the conversation back with a question.",
    );
  if (f.closedCount > 0 && f.openCount === 0 && f.questions.length > 0) {
    tips.push(
      `“${f.questions[0]!.text}” can be answered in a word. To learn more, start with “what”, “how” or “walk me through”.`,
    );
  }
  if (f.listening.length === 0)
    tips.push(
      "Show you heard them before you move on: “It sounds like the delays are costing you weekend overtime. Is that right?”",
    );
  if (tips.length < 2 && f.openCount > 0)
    tips.push("Good open question. After the answer, go one layer deeper: “What does that cost you?”");
  if (tips.length < 2) tips.push("Keep it short: one reflection, one question, then let the buyer talk.");
  return tips.slice(0, 3);
}
