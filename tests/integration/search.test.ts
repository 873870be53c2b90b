// Searching the library: any of the words, stemmed, ranked, saying what matched, the same on
// both engines. Runs on this file's own database with the real library synced into it.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db/connection.server";
import { ftsQuery, searchLessons } from "~/features/content/catalog.server";
import { syncLibrary } from "~/features/content/sync.server";
import { lessonSource, makeContentDir } from "../support/content";
import { makeOrg, makeUser } from "../support/people";

let reader: { id: string; orgId: string };
beforeAll(async () => {
  await syncLibrary(db());
  const org = await makeOrg();
  reader = await makeUser(org.id, ["rep"]);
  // The organization's own module: three lessons of the same length, with one, the other or both
  // of two rare words.
  const dir = makeContentDir(
    {
      "01-both.mdx": lessonSource("Zephyr and quokka together", [], "The zephyr met the quokka."),
      "02-first.mdx": lessonSource("Zephyr alone here now", [], "The zephyr met the wind."),
      "03-second.mdx": lessonSource("Quokka alone here now", [], "The quokka met the wind."),
    },
    "search-test",
  );
  await syncLibrary(db(), { dir, owner: org.id });
});

const titles = async (q: string) =>
  (await searchLessons(db(), reader, q)).map((hit) => hit.title.replace(/[\u{E000}\u{E001}]/gu, ""));

describe("library search", () => {
  it("finds a lesson by any of the words: “price objection” finds “Your price is too high”", async () => {
    const found = await titles("price objection");
    // With every word required it found nothing: the lesson never says "objection".
    // Title words weigh most: it is among the first few (lessons about objections, a rarer word, come first).
    expect(found.slice(0, 5)).toContain("“Your price is too high”");
  });

  it("stems: a plural or another form of a word finds the lesson", async () => {
    expect(await titles("objections")).toEqual(await titles("objection"));
    expect((await titles("anchors")).length).toBeGreaterThan(0);
  });

  it("ranks a lesson with more of the words above those with one of them", async () => {
    const hits = await titles("zephyr quokka");
    expect(hits).toHaveLength(3);
    expect(hits[0]).toBe("Zephyr and quokka together");
  });

  it("says what matched, as written in the lesson", async () => {
    const hits = await searchLessons(db(), reader, "price objections");
    const plain = (title: string) => title.replace(/[\u{E000}\u{E001}]/gu, "");
    const price = hits.find((h) => plain(h.title).includes("price is too high"))!;
    expect(price.matched.map((w) => w.toLowerCase())).toContain("price");
    expect(price.title).toContain("\u{E000}price\u{E001}");
    const behind = hits.find((h) => plain(h.title).includes("behind the"))!;
    // Stemmed: "objections" marks the title's "objection", shown as the lesson writes it.
    expect(behind.matched).toContain("objection");
  });

  it("leaves out words too common to find anything by, and finds nothing for them alone", async () => {
    expect(ftsQuery("how to handle the price objection")).toEqual(["handle", "price", "objection"]);
    expect(ftsQuery("the and of")).toBeNull();
    expect(await searchLessons(db(), reader, "the of and")).toEqual([]);
  });
});
