// Where a flag sends the trainer to fix a question: the one place that link is made. An
// organization's own lesson opens in the studio's editor at the question's line; a built-in one
// is shown on /content beside "Copy to my organization", since only a copy can be edited, and the
// copy then opens in the editor at the same question.
import { LIBRARY_OWNER } from "~/db/model";

export type LinkedQuestion = { lessonId: string; owner: string; key: string };

export function editorLinkFor(question: LinkedQuestion): string {
  if (question.owner === LIBRARY_OWNER)
    return `/content?${new URLSearchParams({ lesson: question.lessonId, question: question.key })}#library-lesson-${encodeURIComponent(question.lessonId)}`;
  return `/content/lessons/${encodeURIComponent(question.lessonId)}?question=${encodeURIComponent(question.key)}`;
}
