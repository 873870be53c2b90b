// Module zips for tests, good and hostile: built with fflate from entry names as given (so a name
// may climb out with "../" or be a symbolic link), with the test lessons of ./content.
import { zipSync, type ZipAttributes } from "fflate";
import { lessonSource } from "./content";

export type ZipEntryInput = string | Uint8Array | [data: string | Uint8Array, attributes: ZipAttributes];

const bytes = (data: string | Uint8Array) => (typeof data === "string" ? new TextEncoder().encode(data) : data);

/** A zip of exactly these entries, names untouched. */
export function zipOf(entries: Record<string, ZipEntryInput>): Uint8Array {
  const files: Record<string, [Uint8Array, ZipAttributes]> = {};
  for (const [name, entry] of Object.entries(entries))
    files[name] = Array.isArray(entry) ? [bytes(entry[0]), entry[1]] : [bytes(entry), {}];
  return zipSync(files, { level: 6 });
}

/** A Unix symbolic link entry pointing at `target`. */
export const symlink = (target: string): ZipEntryInput => [target, { os: 3, attrs: (0o120777 << 16) >>> 0 }];

export const moduleJson = (title = "Imported module") =>
  `${JSON.stringify({ title, summary: "A module a test imports from a zip.", skill: "questioning", order: 3 }, null, 2)}\n`;

/** A valid module folder `slug` with two lessons, the first with a quiz. */
export function validModuleZip(slug = "imported", extra: Record<string, ZipEntryInput> = {}): Uint8Array {
  return zipOf({
    [`${slug}/module.json`]: moduleJson(),
    [`${slug}/01-first-steps.mdx`]: lessonSource("First steps", [
      {
        id: "opening",
        choices: [
          ["Ask an open question", true],
          ["Pitch at once", false],
        ],
      },
    ]),
    [`${slug}/02-second-steps.mdx`]: lessonSource("Second steps"),
    ...extra,
  });
}
