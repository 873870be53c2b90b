// The HTML part of a message, for mail clients: a table layout with inline styles, no scripts,
// no stylesheets, no images (Outlook, Gmail and Apple Mail all render this much the same way).
// Every piece of text goes through escapeHtml; the pieces below are the only markup a message uses.

export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

const FONT = "font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#0f172a";

/** A paragraph of plain text. */
export function htmlParagraph(text: string, style = ""): string {
  return `<p style="margin:0 0 16px 0;${FONT};${style}">${escapeHtml(text)}</p>`;
}

/** A line of text ending in a link. */
export function htmlLinkLine(text: string, label: string, href: string): string {
  return `<p style="margin:0 0 12px 0;${FONT}">${escapeHtml(text)} <a href="${escapeHtml(href)}" style="color:#4338ca">${escapeHtml(label)}</a></p>`;
}

/** A full-width button, one per row: big enough to tap on a phone. */
export function htmlButton(label: string, href: string): string {
  return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 10px 0"><tr><td style="border:1px solid #cbd5e1;border-radius:8px;background:#ffffff"><a href="${escapeHtml(href)}" style="display:block;padding:12px 16px;${FONT};color:#0f172a;text-decoration:none">${escapeHtml(label)}</a></td></tr></table>`;
}

/** A bulleted list of lines (already HTML). */
export function htmlList(items: string[]): string {
  return `<ul style="margin:0 0 16px 0;padding-left:20px;${FONT}">${items.map((item) => `<li style="margin:0 0 6px 0">${item}</li>`).join("")}</ul>`;
}

export function htmlLink(label: string, href: string): string {
  return `<a href="${escapeHtml(href)}" style="color:#4338ca">${escapeHtml(label)}</a>`;
}

/** The whole document: one centred column, at most 560 px wide, the body given as HTML. */
export function htmlDocument(title: string, body: string): string {
  return [
    "<!DOCTYPE html>",
    `<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head>`,
    `<body style="margin:0;padding:0;background:#f1f5f9">`,
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#f1f5f9"><tr><td align="center" style="padding:16px 8px">`,
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:560px;background:#ffffff;border-radius:12px"><tr><td style="padding:24px 20px">`,
    body,
    "</td></tr></table>",
    "</td></tr></table>",
    "</body></html>",
  ].join("");
}
