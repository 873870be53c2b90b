import { hasLessonFactory, registerLessonFactory, type LessonFactory } from "~/lesson-kit/lesson-component";

/** The server evaluates each compiled lesson once per hash and keeps the component. */
export async function ensureLessonOnServer(hash: string, code: () => Promise<string>): Promise<void> {
  if (hasLessonFactory(hash)) return;
  registerLessonFactory(hash, new Function("React", "ReactDOM", "_jsx_runtime", await code()) as LessonFactory);
}
