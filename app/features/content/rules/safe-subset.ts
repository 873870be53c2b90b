// Rules: nothing in a lesson runs code — no import/export, no {expressions}, no raw HTML — every
// link uses a safe scheme, and media (images, video, audio, captions) load only from Flywheel
// itself or an origin the administrator allows (decision 017). Internal links are collected for
// the library check.
import type { AnyNode, LessonContext } from "./context";

/** Lower-cased, with the characters browsers ignore inside URLs removed, so `JaVa\tScript:` is caught. */
export function urlScheme(url: string): string | null {
  // Browsers drop ASCII tab and newlines anywhere in a URL, and leading C0 controls and spaces.
  // The class keeps printable ASCII and everything above DEL, so controls, space and DEL go.
  const cleaned = url.replace(/[^\x21-\x7e\u0080-\uffff]/g, "").toLowerCase();
  const match = /^([a-z][a-z0-9+.-]*):/.exec(cleaned);
  return match ? match[1]! : null;
}

export function isSafeUrl(url: string): boolean {
  const scheme = urlScheme(url);
  return scheme === null || scheme === "http" || scheme === "https" || scheme === "mailto";
}

// Stands for Flywheel's own origin when a lesson's media path is resolved: whatever the real one is,
// a path stays on it, and anything that leaves it (`//host/x.png`, `https://host`) does not.
const OWN_ORIGIN = "https://flywheel.invalid";

/** The origin a media URL loads from; null for Flywheel's own (a path), undefined when it is not a URL at all. */
export function mediaOrigin(url: string): string | null | undefined {
  try {
    const { origin } = new URL(url, `${OWN_ORIGIN}/learn/module/lesson`);
    return origin === OWN_ORIGIN ? null : origin;
  } catch {
    return undefined;
  }
}

/** A media URL a lesson may load: a safe scheme, and Flywheel's own origin or one of `allowed`. */
export function isAllowedMediaUrl(url: string, allowed: readonly string[]): boolean {
  if (!isSafeUrl(url)) return false;
  const origin = mediaOrigin(url);
  return origin === null || (origin !== undefined && allowed.includes(origin));
}

/** Why a lesson may not load `url` as media, for the trainer; null when it may. */
export function mediaUrlProblem(url: string, allowed: readonly string[]): string | null {
  if (isAllowedMediaUrl(url, allowed)) return null;
  if (!isSafeUrl(url))
    return `“${url}” uses the scheme “${urlScheme(url)}:”, which lessons may not use. Use a path such as /media/clip.mp4.`;
  const origin = mediaOrigin(url);
  const where = origin ? `is loaded from ${origin}` : "is not a valid address";
  const list = allowed.length ? `now: ${allowed.join(", ")}` : "none is allowed now";
  return `“${url}” ${where}. Lessons load images, video, audio and captions only from Flywheel itself (a path such as /media/clip.mp4, a file in public/media/) or from an origin the administrator lists in LESSON_MEDIA_ORIGINS (${list}).`;
}

/** Where an organization's uploaded images are served: /content/images/<content hash>.<type> (decision 032). */
export const ORGANIZATION_IMAGE_PATH = "/content/images/";
export const ORGANIZATION_IMAGE_NAME = /^[0-9a-f]{32}\.(png|jpg|webp|gif)$/;

/**
 * An uploaded image belongs to one organization and is served only to its people, so the
 * built-in library, which every organization reads, may not use one; and its name is the one
 * the Images page gives.
 */
function imageUrlProblem(url: string, ctx: LessonContext): string | null {
  if (!url.startsWith(ORGANIZATION_IMAGE_PATH)) return null;
  if (ctx.builtIn)
    return `“${url}” is an organization's uploaded image, which the built-in library cannot use: put the file in public/media/ and write /media/<file>.`;
  const name = url.slice(ORGANIZATION_IMAGE_PATH.length);
  if (!ORGANIZATION_IMAGE_NAME.test(name))
    return `“${url}” is not the address of an uploaded image. Copy the snippet from the Images page (/content/images).`;
  return null;
}

/** Reports code in any form; true when the node was code (and must not be looked into). */
export function refuseCode(node: AnyNode, ctx: LessonContext): boolean {
  switch (node.type) {
    case "mdxjsEsm":
      ctx.report(
        node,
        "`import` and `export` are not allowed in lessons: they run code. Use the lesson-kit components, which need no import.",
      );
      return true;
    case "mdxFlowExpression":
    case "mdxTextExpression":
      ctx.report(
        node,
        "Curly braces `{…}` are code in MDX and are not allowed. Write the text itself, or escape a literal brace as `\\{`.",
      );
      return true;
    case "html":
      ctx.report(node, "Raw HTML is not allowed in lessons. Use Markdown or a lesson-kit component.");
      return true;
    default:
      return false;
  }
}

/**
 * Links and link definitions: a safe scheme, and internal links remembered. Images, including
 * reference-style ones (`![x][ref]`, through their definition): an allowed media origin.
 */
export function checkLink(node: AnyNode, ctx: LessonContext): void {
  if (node.type === "image" || node.type === "imageReference") {
    const url = node.type === "image" ? node.url : ctx.definitions.get(node.identifier);
    const problem = url === undefined ? null : (mediaUrlProblem(url, ctx.mediaOrigins) ?? imageUrlProblem(url, ctx));
    if (problem) ctx.report(node, `The image ${problem}`);
    if (!node.alt?.trim())
      ctx.report(
        node,
        "This image has no alt text. Say in the brackets what it shows, for reps who cannot see it: ![The pricing page with the discount field circled](/content/images/…).",
      );
    return;
  }
  if (node.type !== "link" && node.type !== "definition") return;
  if (!isSafeUrl(node.url)) {
    ctx.report(
      node,
      `The link “${node.url}” uses the scheme “${urlScheme(node.url)}:”, which lessons may not use. Use an https:// address, a mailto: address or a path such as /learn/questioning/open-and-closed.`,
    );
  } else if (node.url.startsWith("/learn/")) {
    ctx.result.internalLinks.push({
      url: node.url,
      line: node.position?.start.line ?? 1,
      column: node.position?.start.column ?? 1,
    });
  }
}

/** The link definitions of a lesson by identifier, for its reference-style images. */
export function linkDefinitions(tree: AnyNode): Map<string, string> {
  const found = new Map<string, string>();
  const visit = (node: AnyNode) => {
    // The first definition of an identifier wins, as in CommonMark.
    if (node.type === "definition" && !found.has(node.identifier)) found.set(node.identifier, node.url);
    if ("children" in node) for (const child of node.children as AnyNode[]) visit(child);
  };
  visit(tree);
  return found;
}
