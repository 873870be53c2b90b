import { hasLessonFactory, registerLessonFactory, type LessonFactory } from "./lesson-component";

/** The server evaluates each compiled lesson once per hash and keeps the component. */
export function ensureLessonOnServer(hash: string, code: () => string): void {
  if (hasLessonFactory(hash)) return;
  registerLessonFactory(hash, new Function("React", "ReactDOM", "_jsx_runtime", code()) as LessonFactory);
}
