// Automatic technique feedback on a rep's written reply, computed locally with no outside
// service: which sentences are questions, open or closed; leading and stacked questions;
// how much the rep talks compared with how much they ask; reflecting and summarizing. Tips are
// right or silent (decision 025): each quotes the reply or the buyer's turn it answers, and a rule
// that finds nothing there to point at gives no tip.

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

// Check questions that close a reflection ("Is that right?"): part of listening, not a second question.
const CHECK_QUESTION =
  /^(?:is that (?:right|fair|true|it)|did i get (?:that|it) right|have i got (?:that|it) right|am i right|does that sound right|is that a fair summary|fair)\?$/i;

// What makes part of a buyer's turn worth playing back: numbers, feelings, and objections.
const NUMBER =
  /\b(?:\d[\d,.%]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred|thousand|half|dozen)\b/i;
const FEELING =
  /\b(?:rough|brutal|chaos|chaotic|hated?|nervous|worr(?:y|ied|ies)|stretched|buried|frustrat\w*|stress\w*|pressure|tough|painful|scared|afraid|annoyed|tired|overwhelmed|apologi[sz]\w*|complain\w*|struggl\w*|mess|nightmare|burn(?:ed|t) out|quit|notice)\b/i;
const OBJECTION =
  /\b(?:not sure|no(?:t a)? priority|isn't a priority|right time|too (?:expensive|much|busy)|higher than|cheaper|price|budget|already (?:have|use)|vendor|contract|send me|not interested|no time)\b/i;

const STOP_WORDS = new Set(
  "about above after again also been before being below between both cannot could does doing down during each from further have having here into just more most much must only other ought over same should some such than that their theirs them then there these they this those through under until very were what when where which while with would your yours yourself really thing things know think want going said says okay look well sure good great right like".split(
    " ",
  ),
);

/** The words that carry meaning, lower-cased and without a plural s, for matching the rep's words to the buyer's. */
function contentWords(text: string): Set<string> {
  return new Set(
    (text.toLowerCase().replace(/[’]/g, "'").match(WORD) ?? [])
      .map((w) => w.replace(/'s$/, ""))
      .filter((w) => (w.length >= 4 || /^\d+$/.test(w)) && !STOP_WORDS.has(w))
      .map((w) => (w.length > 4 && w.endsWith("s") ? w.slice(0, -1) : w)),
  );
}

/**
 * The stretch of the buyer's turn most worth playing back, if any: a number or a feeling (facts and
 * feelings are what a reflection names), or, with `objections`, an objection too.
 */
export function salientPhrase(buyer: string, { objections = false } = {}): string | null {
  const clauses = sentences(buyer).flatMap((sentence) =>
    sentence
      .split(/,\s+|;\s+|\s+(?:and|but)\s+/i)
      .map((c) =>
        c
          .replace(/^(?:and|but|so|honestly|look|well|before we start)[,\s]+/i, "")
          .replace(/[.?!]+$/, "")
          .trim(),
      )
      .filter((c) => countWords(c) >= 3),
  );
  let best: { text: string; score: number } | null = null;
  for (const text of clauses) {
    const score =
      (NUMBER.test(text) ? 2 : 0) + (FEELING.test(text) ? 2 : 0) + (objections && OBJECTION.test(text) ? 2 : 0);
    if (score < 2) continue;
    if (!best || score > best.score || (score === best.score && text.length < best.text.length)) best = { text, score };
  }
  if (!best) return null;
  const words = best.text.split(/\s+/);
  return words.length > 14 ? `${words.slice(0, 14).join(" ")}…` : best.text;
}

// A next step is asked for with a closed question on purpose ("Does Thursday at 8:30 work?"), and so
// is a choice between what the buyer raised ("Which matters more, the timing or the price?").
const NEXT_STEP =
  /\b(?:monday|tuesday|wednesday|thursday|friday|tomorrow|next week|\d{1,2}(?::\d{2})?\s?(?:am|pm)|\d{1,2}:\d{2}|book|schedule|calendar|diary|invite|meet|meeting|demo|minutes)\b/i;
const CHOICE = /^which\b.*\bor\b/i;

const shorten = (text: string, words = 12) => {
  const all = text.split(/\s+/);
  return all.length > words ? `${all.slice(0, words).join(" ")}…` : text;
};

/**
 * Technique feedback on one reply. `buyer` is the buyer's turn it answers, when known: tips about
 * listening quote it, and without it none is given. Every tip quotes only the rep's reply or the
 * buyer's turn (decision 025): a tip that cannot be grounded in them is not given.
 */
export function analyzeReply(reply: string, buyer?: string): TechniqueFeedback {
  const parts = sentences(reply);
  const questions: FoundQuestion[] = [];
  let talkWords = 0;
  let askWords = 0;
  let statements = 0;
  // Statements before the first question: the talking the buyer sits through before being asked.
  let before = { sentences: 0, words: 0 };
  for (const sentence of parts) {
    if (isQuestion(sentence)) {
      const { talk, question } = splitPitch(sentence);
      if (questions.length === 0 && talk)
        before = { sentences: before.sentences + 1, words: before.words + countWords(talk) };
      questions.push({ text: sentence, kind: classifyQuestion(question), leading: LEADING.test(sentence) });
      talkWords += countWords(talk);
      askWords += countWords(question);
    } else {
      statements++;
      talkWords += countWords(sentence);
      if (questions.length === 0)
        before = { sentences: before.sentences + 1, words: before.words + countWords(sentence) };
    }
  }
  const listening = [...new Set(LISTENING_CUES.filter(([pattern]) => pattern.test(reply)).map(([, label]) => label))];
  // Picking up the buyer's own words is listening too, cue or no cue.
  const echoed = buyer ? [...contentWords(reply)].filter((w) => contentWords(buyer).has(w)) : [];
  // Two of the buyer's words, or one from what most needed playing back.
  const keyWords = buyer ? contentWords(salientPhrase(buyer, { objections: true }) ?? "") : new Set<string>();
  if (echoed.length >= 2 || echoed.some((w) => keyWords.has(w)))
    listening.push(`picks up the buyer's own words (${echoed.slice(0, 3).join(", ")})`);
  const leading = questions.filter((q) => q.leading).map((q) => q.text);
  const openCount = questions.filter((q) => q.kind === "open").length;
  const closedCount = questions.length - openCount;
  const substantive = questions.filter((q) => !CHECK_QUESTION.test(core(q.text)));
  const stacked = substantive.length >= 2;
  // Talking more than asking: at least three sentences, two of them statements, long enough to
  // matter. A reply of one or two sentences is never told it talked a lot.
  const talksMoreThanAsks = parts.length >= 3 && statements >= 2 && talkWords >= 25 && talkWords > 2 * askWords;
  const f = { questions, substantive, openCount, closedCount, leading, stacked, talksMoreThanAsks, listening, before };
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
    tips: parts.length === 0 ? [] : tipsFor(reply, buyer, f),
  };
}

function tipsFor(
  reply: string,
  buyer: string | undefined,
  f: Pick<
    TechniqueFeedback,
    "questions" | "openCount" | "closedCount" | "leading" | "stacked" | "talksMoreThanAsks" | "listening"
  > & { substantive: FoundQuestion[]; before: { sentences: number; words: number } },
): string[] {
  const tips: string[] = [];
  const worthPlayingBack = buyer ? salientPhrase(buyer) : null;
  const worthAskingAbout = buyer ? salientPhrase(buyer, { objections: true }) : null;
  if (f.questions.length === 0)
    tips.push(
      worthAskingAbout
        ? `You didn't ask anything. End with one open question about what the buyer said, such as “${worthAskingAbout}”, so they keep talking.`
        : "You didn't ask anything. End with one open question, one that starts with what or how, so the buyer keeps talking.",
    );
  if (f.leading.length > 0)
    tips.push(
      `“${shorten(f.leading[0]!)}” steers the buyer toward your answer. Ask it neutrally, for instance: How do you see it?`,
    );
  if (f.stacked)
    tips.push(
      `You asked ${f.substantive.length} questions in one go (“${shorten(f.substantive[0]!.text, 8)}” and “${shorten(f.substantive[1]!.text, 8)}”); the buyer will answer the easiest. Ask the one that matters most, then stop.`,
    );
  if (f.talksMoreThanAsks && f.questions.length > 0 && f.before.sentences >= 2)
    tips.push(
      `You spoke ${f.before.sentences} sentences (${f.before.words} words) before your question. Keep the one that matters to the buyer and ask sooner.`,
    );
  const closed = f.questions.filter(
    (q) => q.kind === "closed" && !NEXT_STEP.test(q.text) && !CHOICE.test(core(q.text)),
  );
  if (closed.length > 0 && f.openCount === 0 && f.leading.length === 0)
    tips.push(`“${shorten(closed[0]!.text)}” can be answered in a word. To hear more, ask it with what or how.`);
  // Only when the buyer said something worth playing back and the reply shows no sign of it.
  if (worthPlayingBack && f.listening.length === 0 && f.questions.length > 0)
    tips.push(`Show you heard them before you move on: play back “${worthPlayingBack}” in a sentence of your own.`);
  const we = (reply.match(/\b(?:we|we're|we've|our|ours|us)\b/gi) ?? []).length;
  const you = (reply.match(/\b(?:you|you're|you've|your|yours)\b/gi) ?? []).length;
  if (we >= 4 && we > 2 * you)
    tips.push(
      `Your reply is mostly about you: we, our or us ${we} times, you or your ${you === 0 ? "not once" : you === 1 ? "once" : `${you} times`}. Make it about the buyer.`,
    );
  return tips.slice(0, 3);
}
