import { lessonMediaOrigins } from "~/features/content/media-origins.server";

/** Headers for every HTML page (server.mjs adds nosniff to every response). Scripts run only with this response's nonce. */
export function securityHeaders(headers: Headers, nonce: string): void {
  // Vite's dev server injects its own scripts; the policy applies to production builds.
  if (process.env.NODE_ENV !== "production") return;
  // Images and media only from here and the origins allowed for lessons (decision 017): no page
  // can be made to load, or send data to, any other host through an image.
  const media = ["'self'", ...lessonMediaOrigins()].join(" ");
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    // React sets style attributes (e.g. widths of progress bars); style attributes cannot
    // carry a nonce, so inline styles are allowed. Scripts are not.
    "style-src 'self' 'unsafe-inline'",
    `img-src ${media}`,
    // blob: is the rep's own recording, played back in the page before it is uploaded.
    `media-src ${media} blob:`,
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
  headers.set("Content-Security-Policy", csp);
  headers.set("Referrer-Policy", "same-origin");
  headers.set("X-Frame-Options", "DENY");
  headers.set("Permissions-Policy", "camera=(), geolocation=(), microphone=(self)");
}
