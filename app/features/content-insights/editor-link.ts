// Where a flag sends the trainer to fix a question: the one place that link is made.
// Until the trainer studio's editor is merged this is the question on the lesson page itself
// (its quiz anchor); at that merge the studio's editor route, at the question's line (through
// "copy to my organization" for a built-in lesson), replaces the body of this function.

export type LinkedQuestion = { moduleSlug: string; lessonSlug: string; key: string };

export function editorLinkFor(question: LinkedQuestion): string {
  return `/learn/${encodeURIComponent(question.moduleSlug)}/${encodeURIComponent(question.lessonSlug)}#quiz-${encodeURIComponent(question.key)}`;
}
