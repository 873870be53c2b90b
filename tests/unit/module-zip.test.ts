// The checks a module zip passes before anything in it is read (decision 032): every entry's path
// stays in the one module folder, no link, no nested folder; the archive is a real zip; its
// unpacked size is counted while inflating; texts are UTF-8.
import { describe, expect, it } from "vitest";
import {
  crc32,
  entryPathProblem,
  isZipToolClutter,
  readModuleZip,
  writeModuleZip,
} from "~/features/content/module-zip.server";
import { Refusal } from "~/features/refusal";
import { symlink, validModuleZip, zipOf } from "../support/module-zips";

const file = (name: string) => entryPathProblem({ name, directory: name.endsWith("/"), symlink: false });

function refusal(read: () => unknown): Refusal {
  try {
    read();
  } catch (error) {
    if (error instanceof Refusal) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("a zip entry's path", () => {
  it("may be a file in the module folder, or that folder itself", () => {
    expect(file("negotiation/01-anchor.mdx")).toBeNull();
    expect(file("negotiation/module.json")).toBeNull();
    expect(file("negotiation/")).toBeNull();
  });

  it("may not climb out, start at the root, use backslashes or control characters", () => {
    expect(file("../01-anchor.mdx")).toMatch(/leaves the module folder/);
    expect(file("negotiation/../../etc/passwd")).toMatch(/leaves the module folder/);
    expect(file("negotiation/./01-anchor.mdx")).toMatch(/leaves the module folder/);
    expect(file("/negotiation/01-anchor.mdx")).toMatch(/absolute path/);
    expect(file("C:/negotiation/01-anchor.mdx")).toMatch(/absolute path/);
    expect(file("negotiation\\01-anchor.mdx")).toMatch(/backslashes/);
    expect(file("negotiation/01-\u0000.mdx")).toMatch(/control characters/);
  });

  it("may not be at the top without a folder, nor in a folder inside the module folder", () => {
    expect(file("01-anchor.mdx")).toMatch(/not in a module folder/);
    expect(file("negotiation/extra/01-anchor.mdx")).toMatch(/folder inside the module folder/);
    expect(file("negotiation/extra/")).toMatch(/folder inside the module folder/);
  });

  it("may not be a symbolic link, wherever it points", () => {
    expect(entryPathProblem({ name: "negotiation/01-anchor.mdx", directory: false, symlink: true })).toMatch(
      /symbolic link/,
    );
  });

  it("skips what zip tools add on their own", () => {
    expect(isZipToolClutter("__MACOSX/negotiation/._01-anchor.mdx")).toBe(true);
    expect(isZipToolClutter("negotiation/.DS_Store")).toBe(true);
    expect(isZipToolClutter("negotiation/01-anchor.mdx")).toBe(false);
  });
});

describe("reading a module zip", () => {
  it("gives the folder's slug and its files as text", () => {
    const read = readModuleZip(validModuleZip("objections"));
    expect(read.errors).toEqual([]);
    expect(read.slug).toBe("objections");
    expect(read.files.map((f) => [f.name, f.file])).toEqual([
      ["module.json", "objections/module.json"],
      ["01-first-steps.mdx", "objections/01-first-steps.mdx"],
      ["02-second-steps.mdx", "objections/02-second-steps.mdx"],
    ]);
    expect(read.files[1]!.text()).toContain("title: First steps");
  });

  it("reads back what the export writes, byte for byte the same each time", () => {
    const files = [
      { name: "module.json", text: "{}\n" },
      { name: "01-a.mdx", text: "Één lesson — with UTF-8 ✓\n" },
    ];
    const zip = writeModuleZip({ slug: "round", files });
    expect(writeModuleZip({ slug: "round", files })).toEqual(zip);
    const read = readModuleZip(zip);
    expect(read.files.map((f) => ({ name: f.name, text: f.text() }))).toEqual(files);
  });

  it("lists every bad path and inflates nothing", () => {
    const read = readModuleZip(
      zipOf({
        "m/module.json": "{}",
        "../escape.mdx": "x",
        "m/nested/01-a.mdx": "x",
        "m/02-link.mdx": symlink("/etc/passwd"),
        "other/01-b.mdx": "x",
      }),
    );
    expect(read.files).toEqual([]);
    expect(read.errors.map((e) => [e.file, e.message])).toEqual([
      ["../escape.mdx", expect.stringMatching(/^This entry leaves the module folder/)],
      ["m/nested/01-a.mdx", expect.stringMatching(/^This entry is in a folder inside the module folder/)],
      ["m/02-link.mdx", expect.stringMatching(/^This entry is a symbolic link/)],
      ["other/01-b.mdx", expect.stringMatching(/^This entry is in the folder “other”, but the zip's module is “m”/)],
    ]);
  });

  it("refuses a file that is not a zip, whatever its name", () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array(40).fill(0)]);
    expect(refusal(() => readModuleZip(png))).toMatchObject({
      status: 415,
      message: expect.stringMatching(/not a zip/),
    });
    expect(refusal(() => readModuleZip(new TextEncoder().encode("PK but not really a zip at all, no")))).toMatchObject({
      status: 415,
    });
  });

  it("stops a zip bomb while inflating, at the limit, not after", () => {
    const bomb = zipOf({ "bomb/module.json": "{}", "bomb/01-a.mdx": new Uint8Array(8 * 1024 * 1024) });
    expect(bomb.length).toBeLessThan(64 * 1024);
    const refused = refusal(() => readModuleZip(bomb, 4 * 1024 * 1024));
    expect(refused.status).toBe(413);
    expect(refused.message).toMatch(/unpacks to more than 4 MB/);
  });

  it("refuses a damaged entry and reports text that is not UTF-8 at its file", () => {
    const zip = validModuleZip("dmg");
    const broken = zip.slice();
    // Flip a byte of the first entry's compressed data (just after its 30-byte header and name).
    broken[30 + "dmg/module.json".length + 2]! ^= 0xff;
    expect(refusal(() => readModuleZip(broken)).message).toMatch(/damaged/);

    const latin1 = readModuleZip(
      zipOf({ "m/module.json": "{}", "m/01-a.mdx": new Uint8Array([0x63, 0x61, 0x66, 0xe9]) }),
    );
    expect(latin1.errors).toEqual([
      expect.objectContaining({ file: "m/01-a.mdx", message: expect.stringMatching(/not UTF-8 text/) }),
    ]);
  });

  it("computes the zip format's CRC-32", () => {
    expect(crc32(new TextEncoder().encode("123456789"))).toBe(0xcbf43926);
  });
});
