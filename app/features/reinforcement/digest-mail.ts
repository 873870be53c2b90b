// The daily digest, in one place: what it says, once, rendered as its plain-text and its HTML
// part, so the two always carry the same links (the answer links of decision 030 included).
import {
  escapeHtml,
  htmlButton,
  htmlDocument,
  htmlLink,
  htmlLinkLine,
  htmlList,
  htmlParagraph,
} from "~/features/mail/html";

export type DigestContent = {
  firstName: string;
  /** Questions left in today's boost (0 when it is done or nothing is due). */
  due: number;
  boostUrl: string;
  /** The first question of the day's boost with one link per choice, when answer links are on. */
  question: {
    lessonTitle: string;
    prompt: string;
    multiple: boolean;
    choices: Array<{ text: string; url: string }>;
  } | null;
  assignments: Array<{ title: string; when: string; url: string }>;
  remindersUrl: string;
  unsubscribeUrl: string;
};

export function digestMail(d: DigestContent): { subject: string; text: string; html: string } {
  const subject =
    d.due > 0
      ? `Your daily boost: ${d.due} question${d.due === 1 ? "" : "s"} due`
      : `Due soon: ${d.assignments[0]!.title}`;
  const greeting = `Hi ${d.firstName},`;
  const why = `${d.due} question${d.due === 1 ? " is" : "s are"} due for review today. Answering them now, just as you are about to forget, is what makes the training stick.`;
  const tap = d.question?.multiple
    ? "Tap one answer; you can add the others before you submit:"
    : "Tap your answer (nothing is recorded until you press Submit on the page it opens):";
  const from = d.question ? `Today's first question, from “${d.question.lessonTitle}”:` : "";

  const text = [
    greeting,
    "",
    ...(d.due > 0
      ? [
          why,
          "",
          ...(d.question
            ? [from, d.question.prompt, "", tap, ...d.question.choices.map((c) => `- ${c.text}: ${c.url}`), ""]
            : []),
          `${d.question ? "Or start" : "Start"} your boost: ${d.boostUrl}`,
        ]
      : []),
    ...(d.assignments.length
      ? ["", "Assigned to you:", ...d.assignments.map((a) => `- ${a.title}: ${a.when} (${a.url})`)]
      : []),
    "",
    `Going away? Set a vacation hold: ${d.remindersUrl}`,
    `Stop these e-mails: ${d.unsubscribeUrl}`,
  ].join("\n");

  const html = htmlDocument(
    subject,
    [
      htmlParagraph(greeting),
      ...(d.due > 0
        ? [
            htmlParagraph(why),
            ...(d.question
              ? [
                  htmlParagraph(from, "color:#475569;font-size:14px"),
                  htmlParagraph(d.question.prompt, "font-weight:bold;font-size:18px"),
                  htmlParagraph(tap, "color:#475569;font-size:14px"),
                  ...d.question.choices.map((c) => htmlButton(c.text, c.url)),
                ]
              : []),
            htmlLinkLine(d.question ? "Or start the whole boost:" : "Start your boost:", "Daily boost", d.boostUrl),
          ]
        : []),
      ...(d.assignments.length
        ? [
            htmlParagraph("Assigned to you:", "margin-top:16px;font-weight:bold"),
            htmlList(d.assignments.map((a) => `${htmlLink(a.title, a.url)}: ${escapeHtml(a.when)}`)),
          ]
        : []),
      htmlLinkLine("Going away?", "Set a vacation hold", d.remindersUrl),
      htmlLinkLine("Too many e-mails?", "Stop these e-mails", d.unsubscribeUrl),
    ].join(""),
  );
  return { subject, text, html };
}
