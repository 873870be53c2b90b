// Where a lesson may load images, video, audio and captions from (decision 017): Flywheel's own
// origin (a path such as /media/clip.mp4, served from public/), and the https origins the
// installation's administrator lists in LESSON_MEDIA_ORIGINS (e.g. the company's media CDN).
// The checker, the compiler and the Content-Security-Policy all read this one list.

export class LessonMediaOriginsError extends Error {}

let cached: { value: string; origins: readonly string[] } | undefined;

/** The allowed https origins, from LESSON_MEDIA_ORIGINS (spaces or commas between them); none by default. */
export function lessonMediaOrigins(): readonly string[] {
  const value = process.env.LESSON_MEDIA_ORIGINS ?? "";
  if (cached?.value !== value) cached = { value, origins: parse(value) };
  return cached.origins;
}

function parse(value: string): readonly string[] {
  const origins: string[] = [];
  for (const entry of value.split(/[\s,]+/).filter(Boolean)) {
    let url: URL | null = null;
    try {
      url = new URL(entry);
    } catch {
      // reported below
    }
    if (
      !url ||
      url.protocol !== "https:" ||
      url.username ||
      url.password ||
      url.pathname !== "/" ||
      url.search ||
      url.hash
    )
      throw new LessonMediaOriginsError(
        `LESSON_MEDIA_ORIGINS lists https origins only, like https://media.example.com, separated by spaces (it contained "${entry}").`,
      );
    if (!origins.includes(url.origin)) origins.push(url.origin);
  }
  return origins;
}
