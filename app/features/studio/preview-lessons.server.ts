// The server renders a preview like a lesson, from its compiled code registered by hash. Previews
// are many and differ at every keystroke, so only the latest few stay registered in a process.
import { ensureLessonOnServer } from "~/features/content/lesson-component.server";
import { forgetLesson } from "~/lesson-kit/lesson-component";

const KEPT = 32;
const recent: string[] = [];

export async function ensurePreviewOnServer(hash: string, code: () => Promise<string>): Promise<void> {
  await ensureLessonOnServer(hash, code);
  const at = recent.indexOf(hash);
  if (at >= 0) recent.splice(at, 1);
  recent.push(hash);
  while (recent.length > KEPT) forgetLesson(recent.shift()!);
}
