// A module as a .zip, in the folder format of content/ (decision 032): one folder named with the
// module's slug, holding module.json and NN-slug.mdx lessons. Written with fflate; read here from
// the archive's central directory, entry by entry, so that every name is checked before anything
// is inflated and the unpacked size is counted while inflating (a zip bomb stops at the limit, it
// is never unpacked whole). Only stored and deflated entries, never encrypted ones or ZIP64.
import { Inflate, zipSync } from "fflate";
import { Refusal } from "~/features/refusal";
import type { ContentError } from "./analyze.server";
import type { FolderFile } from "./library-files.server";

export const MAX_MODULE_ZIP_BYTES = 20 * 1024 * 1024;
export const MAX_MODULE_UNPACKED_BYTES = 50 * 1024 * 1024;
/** More entries than any module has lessons; a longer listing is refused before it is read. */
export const MAX_MODULE_ZIP_ENTRIES = 500;

const MB = 1024 * 1024;
// Inflated a little at a time: the most one push can produce is about a thousand times its size.
const INFLATE_SLICE = 4 * 1024;

/** A module's files for its zip: module.json and the lessons, by file name. */
export type ModuleFiles = { slug: string; files: Array<{ name: string; text: string }> };

/** The zip of one module folder. The same files always give the same bytes (a fixed date). */
export function writeModuleZip({ slug, files }: ModuleFiles): Uint8Array<ArrayBuffer> {
  const folder: Record<string, Uint8Array> = {};
  const encoder = new TextEncoder();
  for (const f of files) folder[f.name] = encoder.encode(f.text);
  return zipSync({ [slug]: folder }, { level: 9, mtime: new Date("2000-01-01T00:00:00Z") });
}

/** An entry of the archive's central directory, as far as the checks need it. */
export type ZipEntry = {
  name: string;
  directory: boolean;
  symlink: boolean;
  encrypted: boolean;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
};

/**
 * Why an entry's path may not be in a module zip, or null when it may. `folder` is the module
 * folder the first entry named: every other entry must be in the same one.
 */
export function entryPathProblem(entry: Pick<ZipEntry, "name" | "directory" | "symlink">): string | null {
  const { name } = entry;
  if (entry.symlink)
    return "is a symbolic link. A module zip holds only files: zip the folder itself, not links to it.";
  if (name === "" || [...name].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f))
    return "has an empty name or control characters in it.";
  if (name.includes("\\"))
    return "uses backslashes. Zip paths use “/”: make the zip again with the export or a zip tool.";
  if (name.startsWith("/") || /^[a-zA-Z]:/.test(name))
    return "is an absolute path. Paths in a module zip start at the module folder, like negotiation/01-anchor.mdx.";
  const parts = (entry.directory ? name.replace(/\/$/, "") : name).split("/");
  if (parts.some((p) => p === ".." || p === "." || p === ""))
    return "leaves the module folder (“..”, “.” or an empty folder name). Zip only the module folder.";
  if (entry.directory && parts.length > 1)
    return "is a folder inside the module folder. A module folder holds only module.json and its lessons.";
  if (!entry.directory && parts.length === 1)
    return "is not in a module folder. Put module.json and the lessons in one folder named with the module's slug, and zip that folder.";
  if (parts.length > 2)
    return "is in a folder inside the module folder. A module folder holds only module.json and its lessons.";
  return null;
}

/** Entries a zip tool adds on its own (macOS's resource forks, Finder's .DS_Store), skipped unread. */
export function isZipToolClutter(name: string): boolean {
  return name.startsWith("__MACOSX/") || (name.split("/").pop() ?? "").startsWith(".");
}

const notAZip = () =>
  new Refusal("This file is not a zip archive. Export a module, or zip a module folder, and choose that file.", 415);
const damaged = (why: string) =>
  new Refusal(`The zip archive is damaged (${why}). Make it again and choose the new file.`, 422);

/** The central directory's entries, or a refusal when the file is not a zip this reader takes. */
export function listZipEntries(zip: Uint8Array): ZipEntry[] {
  if (zip.length < 22 || zip[0] !== 0x50 || zip[1] !== 0x4b) throw notAZip();
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let end = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--)
    if (view.getUint32(i, true) === 0x06054b50) {
      end = i;
      break;
    }
  if (end < 0) throw notAZip();
  const count = view.getUint16(end + 10, true);
  const directorySize = view.getUint32(end + 12, true);
  const directoryStart = view.getUint32(end + 16, true);
  if (count === 0xffff || directoryStart === 0xffffffff)
    throw new Refusal(
      "This zip uses ZIP64, which a module never needs. Make it again with the export or a zip tool.",
      422,
    );
  if (count > MAX_MODULE_ZIP_ENTRIES)
    throw new Refusal(
      `The zip holds ${count} entries; a module zip holds at most ${MAX_MODULE_ZIP_ENTRIES}. Zip only the module folder.`,
      422,
    );
  if (directoryStart + directorySize > end) throw damaged("its table of contents is out of place");
  const names = new TextDecoder("utf-8", { fatal: true });
  const entries: ZipEntry[] = [];
  let at = directoryStart;
  for (let n = 0; n < count; n++) {
    if (at + 46 > end || view.getUint32(at, true) !== 0x02014b50) throw damaged("an entry of its table of contents");
    const madeBy = view.getUint16(at + 4, true);
    const flags = view.getUint16(at + 8, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const external = view.getUint32(at + 38, true);
    if (at + 46 + nameLength > end) throw damaged("an entry's name");
    let name: string;
    try {
      name = names.decode(zip.subarray(at + 46, at + 46 + nameLength));
    } catch {
      throw new Refusal(
        "A file name in the zip is not UTF-8. Rename the files with plain letters, digits and hyphens and zip again.",
        422,
      );
    }
    // Unix hosts keep the file's mode in the high half of the external attributes.
    const unixMode = madeBy >> 8 === 3 ? external >>> 16 : 0;
    entries.push({
      name,
      directory: name.endsWith("/") || (unixMode & 0o170000) === 0o040000 || (external & 0x10) !== 0,
      symlink: (unixMode & 0o170000) === 0o120000,
      encrypted: (flags & 1) !== 0,
      method: view.getUint16(at + 10, true),
      crc: view.getUint32(at + 16, true),
      compressedSize: view.getUint32(at + 20, true),
      size: view.getUint32(at + 24, true),
      localOffset: view.getUint32(at + 42, true),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Inflates one entry, adding its bytes to `budget.used` as they come and refusing past the limit. */
function unpackEntry(zip: Uint8Array, entry: ZipEntry, budget: { used: number; limit: number }): Uint8Array {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const local = entry.localOffset;
  if (local + 30 > zip.length || view.getUint32(local, true) !== 0x04034b50) throw damaged(`the entry ${entry.name}`);
  const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
  if (start + entry.compressedSize > zip.length) throw damaged(`the entry ${entry.name} is cut short`);
  const packed = zip.subarray(start, start + entry.compressedSize);
  const tooLarge = () =>
    new Refusal(
      `The zip unpacks to more than ${budget.limit / MB} MB. A module's lessons are text: check what else is in the zip.`,
      413,
    );
  const chunks: Uint8Array[] = [];
  let size = 0;
  const take = (chunk: Uint8Array) => {
    size += chunk.length;
    budget.used += chunk.length;
    if (budget.used > budget.limit) throw tooLarge();
    chunks.push(chunk);
  };
  if (entry.method === 0) take(packed);
  else if (entry.method === 8) {
    const inflate = new Inflate((chunk) => take(chunk));
    try {
      for (let i = 0; i < packed.length; i += INFLATE_SLICE)
        inflate.push(packed.subarray(i, i + INFLATE_SLICE), i + INFLATE_SLICE >= packed.length);
      if (packed.length === 0) inflate.push(new Uint8Array(0), true);
    } catch (error) {
      if (error instanceof Refusal) throw error;
      throw damaged(`the entry ${entry.name} does not inflate`);
    }
  } else
    throw new Refusal(
      `The entry ${entry.name} is compressed in a way module zips do not use (method ${entry.method}). Zip it again with the usual “deflate”.`,
      422,
    );
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    bytes.set(c, offset);
    offset += c.length;
  }
  if (size !== entry.size || crc32(bytes) !== entry.crc)
    throw damaged(`the entry ${entry.name} does not match its checksum`);
  return bytes;
}

/**
 * Reads a module zip: the module folder's slug and its files, each decoded as UTF-8, with every
 * problem in the names and texts as an error at its entry. A problem with the archive as a
 * whole (not a zip, too large unpacked, damaged, encrypted) is a Refusal.
 */
export function readModuleZip(
  zip: Uint8Array,
  limit = MAX_MODULE_UNPACKED_BYTES,
): { slug: string | null; files: FolderFile[]; errors: ContentError[] } {
  const entries = listZipEntries(zip);
  const errors: ContentError[] = [];
  const at = (file: string, message: string) => errors.push({ file, line: 1, column: 1, message });
  const kept: ZipEntry[] = [];
  const seen = new Set<string>();
  let slug: string | null = null;
  for (const entry of entries) {
    if (entry.encrypted)
      throw new Refusal("The zip is protected by a password. Zip the module folder again without one.", 422);
    const problem = entryPathProblem(entry);
    if (problem) {
      at(entry.name || "(unnamed entry)", `This entry ${problem}`);
      continue;
    }
    if (isZipToolClutter(entry.name)) continue;
    const folder = entry.name.split("/")[0]!;
    if (slug === null) slug = folder;
    else if (folder !== slug) {
      at(
        entry.name,
        `This entry is in the folder “${folder}”, but the zip's module is “${slug}”. A zip holds one module: zip each module folder on its own.`,
      );
      continue;
    }
    if (entry.directory) continue;
    if (seen.has(entry.name)) {
      at(entry.name, "This file is in the zip twice. Zip the module folder again.");
      continue;
    }
    seen.add(entry.name);
    kept.push(entry);
  }
  if (slug === null && errors.length === 0) at("(zip)", "The zip is empty. Export a module, or zip a module folder.");
  // Nothing is inflated while any name is wrong: a bad zip is refused from its listing alone.
  if (errors.length) return { slug, files: [], errors };

  const budget = { used: 0, limit };
  const text = new TextDecoder("utf-8", { fatal: true });
  const files: FolderFile[] = [];
  for (const entry of kept) {
    const name = entry.name.slice(slug!.length + 1);
    if (name !== "module.json" && !name.endsWith(".mdx") && !name.endsWith(".md")) {
      at(
        entry.name,
        "This file is not part of a module: a module zip holds module.json and lessons named like 01-open-and-closed.mdx. Upload images on the Images page instead.",
      );
      continue;
    }
    const bytes = unpackEntry(zip, entry, budget);
    let decoded: string;
    try {
      decoded = text.decode(bytes);
    } catch {
      at(entry.name, "This file is not UTF-8 text. Save it as UTF-8 in your editor and zip the folder again.");
      continue;
    }
    files.push({ name, file: entry.name, text: () => decoded });
  }
  return { slug, files, errors };
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** The zip format's CRC-32 of `bytes`. */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
