// The studio's files over real HTTP against the production build (decision 032): a module exported
// as a zip and imported into another organization compiles to the same versions; every bad zip,
// bad image and hostile lesson is refused with its message and changes nothing; images are served
// to their organization only, with their caching headers; only trainers and admins get in.
import { and, asc, count, eq, inArray } from "drizzle-orm";
import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, first } from "~/db/connection.server";
import { newId } from "~/db/ids";
import { contentImages, lessons, lessonVersions, modules, questions, statements, type Role } from "~/db/schema";
import { VERBS } from "~/features/activity/statements.server";
import { syncLibrary } from "~/features/content/sync.server";
import { lessonFrontmatter, lessonSource, makeContentDir } from "../support/content";
import { solidPng } from "../support/images";
import { moduleJson, symlink, validModuleZip, zipOf } from "../support/module-zips";
import { makeOrg, makeUser, TEST_PASSWORD } from "../support/people";
import { Client, startServer, type TestServer } from "../support/server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ FLYWHEEL_DEMO: "0" });
});
afterAll(() => server?.stop());

async function signedIn(roles: Role[], orgId: string): Promise<Client> {
  const person = await makeUser(orgId, roles);
  const client = new Client(server.url);
  expect((await client.login(person.email, TEST_PASSWORD)).status).toBe(302);
  return client;
}

async function organization() {
  const org = await makeOrg();
  return {
    org,
    trainer: await signedIn(["trainer"], org.id),
    rep: await signedIn(["rep"], org.id),
    manager: await signedIn(["manager"], org.id),
  };
}

/** Posts a zip to the import page as a browser without JavaScript does. */
function importZip(client: Client, zip: Uint8Array, slug = "") {
  const form = new FormData();
  form.set("slug", slug);
  form.set("file", new Blob([new Uint8Array(zip)], { type: "application/zip" }), "module.zip");
  return client.request("/content/import", { method: "POST", body: form });
}

function uploadImage(client: Client, bytes: Uint8Array, alt = "A chart of the quarter's pipeline", type = "image/png") {
  const form = new FormData();
  form.set("alt", alt);
  form.set("file", new Blob([new Uint8Array(bytes)], { type }), "picture.png");
  return client.request("/content/images", { method: "POST", body: form });
}

const organizationNames = async (orgId: string) =>
  (await db().select({ name: contentImages.name }).from(contentImages).where(eq(contentImages.orgId, orgId))).map(
    (r) => r.name,
  );

/** The page's words as a person reads them. */
const text = (html: string) =>
  html
    .replace(/<!-- -->/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/\s+/g, " ");

const moduleCount = async (orgId: string) =>
  (await first(db().select({ n: count() }).from(modules).where(eq(modules.owner, orgId))))!.n;

const PNG = new Uint8Array(solidPng(1, 1));

async function versionsOf(orgId: string, slug: string) {
  return db()
    .select({
      slug: lessons.slug,
      position: lessons.position,
      hash: lessonVersions.hash,
      code: lessonVersions.code,
      source: lessonVersions.source,
    })
    .from(lessons)
    .innerJoin(modules, eq(modules.id, lessons.moduleId))
    .innerJoin(lessonVersions, eq(lessonVersions.id, lessons.currentVersionId))
    .where(and(eq(modules.owner, orgId), eq(modules.slug, slug)))
    .orderBy(asc(lessons.position));
}

describe("a module's round trip", () => {
  it("exports a module as its folder and imports it into another organization with the same versions", async () => {
    const a = await organization();
    const quiz = [{ id: "why", choices: [["Because", true] as [string, boolean], ["No", false] as [string, boolean]] }];
    await syncLibrary(db(), {
      dir: makeContentDir(
        { "01-first.mdx": lessonSource("First", quiz), "02-second.mdx": lessonSource("Second") },
        "discovery-calls",
      ),
      owner: a.org.id,
    });
    const moduleId = (await first(
      db()
        .select({ id: modules.id })
        .from(modules)
        .where(and(eq(modules.owner, a.org.id), eq(modules.slug, "discovery-calls"))),
    ))!.id;

    const exported = await a.trainer.request(`/content/modules/${moduleId}/export.zip`);
    expect(exported.status).toBe(200);
    expect(exported.headers.get("content-type")).toBe("application/zip");
    expect(exported.headers.get("content-disposition")).toBe('attachment; filename="discovery-calls.zip"');
    const zip = new Uint8Array(await exported.arrayBuffer());
    const files = unzipSync(zip);
    expect(Object.keys(files).sort()).toEqual([
      "discovery-calls/",
      "discovery-calls/01-first.mdx",
      "discovery-calls/02-second.mdx",
      "discovery-calls/module.json",
    ]);
    expect(JSON.parse(new TextDecoder().decode(files["discovery-calls/module.json"]))).toEqual({
      title: "Testing module",
      summary: "A module that tests write.",
      skill: "questioning",
      order: 1,
    });

    const b = await organization();
    const imported = await importZip(b.trainer, zip);
    const page = text(await imported.text());
    expect(imported.status, page.slice(0, 600)).toBe(200);
    expect(page).toContain("Imported “Testing module”: 2 lessons published to your reps.");
    const original = await versionsOf(a.org.id, "discovery-calls");
    const copy = await versionsOf(b.org.id, "discovery-calls");
    expect(copy).toEqual(original);
    expect(copy).toHaveLength(2);
    // Questions extracted as by the sync, and the rep of the new organization reads the lesson.
    const lessonId = (await first(
      db()
        .select({ id: lessons.id })
        .from(lessons)
        .where(and(eq(lessons.owner, b.org.id), eq(lessons.slug, "first"))),
    ))!.id;
    expect(await db().select({ key: questions.key }).from(questions).where(eq(questions.lessonId, lessonId))).toEqual([
      { key: "why" },
    ]);
    const lessonPage = await b.rep.request("/learn/discovery-calls/first");
    expect(lessonPage.status).toBe(200);
    const lessonText = text(await lessonPage.text());
    expect(lessonText).toContain("Some words about First");
    // The importer is credited and recorded, as for lessons published in the editor.
    expect(lessonText).toMatch(/By Person \S+ · this version published/);
    const recorded = await db()
      .select({ verb: statements.verb, type: statements.objectType, actor: statements.actorId })
      .from(statements)
      .where(and(eq(statements.orgId, b.org.id), inArray(statements.verb, [VERBS.authored, VERBS.published])));
    expect(recorded.map((r) => `${r.verb} ${r.type}`).sort()).toEqual([
      `${VERBS.authored} module`,
      `${VERBS.published} lesson`,
      `${VERBS.published} lesson`,
    ]);
    expect(new Set(recorded.map((r) => r.actor)).size).toBe(1);

    // Exported again from the copy: the same bytes.
    const copyId = (await first(
      db()
        .select({ id: modules.id })
        .from(modules)
        .where(and(eq(modules.owner, b.org.id), eq(modules.slug, "discovery-calls"))),
    ))!.id;
    const again = await b.trainer.request(`/content/modules/${copyId}/export.zip`);
    expect(new Uint8Array(await again.arrayBuffer())).toEqual(zip);
  });

  it("refuses a module whose slug the organization uses, offers a free one, and imports under it", async () => {
    const { org, trainer } = await organization();
    expect((await importZip(trainer, validModuleZip("objections"))).status).toBe(200);
    const before = await moduleCount(org.id);

    const twice = await importZip(trainer, validModuleZip("objections"));
    expect(twice.status).toBe(422);
    const html = await twice.text();
    expect(text(html)).toContain(
      "Your organization already has a module at “objections” (Imported module); nothing was imported. Import this one under another address, such as “objections-2”.",
    );
    expect(html).toMatch(/name="slug"[^>]*value="objections-2"/);
    expect(await moduleCount(org.id)).toBe(before);

    const renamed = await importZip(trainer, validModuleZip("objections"), "objections-2");
    expect(renamed.status).toBe(200);
    expect((await versionsOf(org.id, "objections-2")).map((v) => v.slug)).toEqual(["first-steps", "second-steps"]);
  });
});

describe("a bad zip changes nothing", () => {
  const cases: Array<[what: string, zip: () => Uint8Array, status: number, message: string]> = [
    [
      "a PNG named .zip",
      () => PNG,
      415,
      "This file is not a zip archive. Export a module, or zip a module folder, and choose that file.",
    ],
    [
      "a zip with ../ paths",
      () => zipOf({ "m/module.json": moduleJson(), "m/../../evil.mdx": lessonSource("Evil") }),
      422,
      "m/../../evil.mdx:1:1 This entry leaves the module folder",
    ],
    [
      "a zip with a symbolic link",
      () => zipOf({ "m/module.json": moduleJson(), "m/01-link.mdx": symlink("/etc/passwd") }),
      422,
      "m/01-link.mdx:1:1 This entry is a symbolic link",
    ],
    [
      "a zip with a nested folder",
      () => zipOf({ "m/module.json": moduleJson(), "m/more/01-a.mdx": lessonSource("A") }),
      422,
      "m/more/01-a.mdx:1:1 This entry is in a folder inside the module folder",
    ],
    [
      "a zip bomb",
      () => zipOf({ "bomb/module.json": moduleJson(), "bomb/01-a.mdx": new Uint8Array(60 * 1024 * 1024) }),
      413,
      "The zip unpacks to more than 50 MB.",
    ],
    [
      "a lesson that is not UTF-8",
      () => zipOf({ "m/module.json": moduleJson(), "m/01-a.mdx": new Uint8Array([0x63, 0x61, 0x66, 0xe9]) }),
      422,
      "m/01-a.mdx:1:1 This file is not UTF-8 text.",
    ],
    [
      "a module.json that breaks its schema",
      () => zipOf({ "m/module.json": '{ "title": "T" }', "m/01-a.mdx": lessonSource("A") }),
      422,
      "m/module.json:1:1 module.json title:",
    ],
  ];
  for (const [what, zip, status, message] of cases)
    it(`refuses ${what} with its message`, async () => {
      const { org, trainer } = await organization();
      const response = await importZip(trainer, zip());
      const page = text(await response.text());
      expect(response.status, page.slice(0, 800)).toBe(status);
      expect(page).toContain(message);
      expect(await moduleCount(org.id)).toBe(0);
    });

  it("refuses an import whose lesson takes longer than STUDIO_COMPILE_TIMEOUT_MS to compile, naming the file", async () => {
    // A server whose trainers' compiles may take 1 ms: no real compile finishes in time.
    const strict = await startServer({ FLYWHEEL_DEMO: "0", STUDIO_COMPILE_TIMEOUT_MS: "1" });
    try {
      const org = await makeOrg();
      const person = await makeUser(org.id, ["trainer"]);
      const trainer = new Client(strict.url);
      expect((await trainer.login(person.email, TEST_PASSWORD)).status).toBe(302);
      const response = await importZip(trainer, validModuleZip("slow"));
      const page = text(await response.text());
      expect(response.status, page.slice(0, 800)).toBe(422);
      expect(page).toMatch(/slow\/01-[a-z0-9-]+\.mdx took longer than 1 ms to compile\. .*Nothing was imported\./);
      expect(await moduleCount(org.id)).toBe(0);
    } finally {
      await strict.stop();
    }
  });

  it("lists every hostile line of every lesson with its file, line and column, and imports none of them", async () => {
    const { org, trainer } = await organization();
    const body = (extra: string) => `${lessonFrontmatter("Hostile")}\nWords for the reader.\n\n${extra}\n`;
    const zip = zipOf({
      "h/module.json": moduleJson(),
      "h/01-ok.mdx": lessonSource("Fine"),
      "h/02-import.mdx": body('import x from "fs"'),
      "h/03-script.mdx": body("<script>alert(1)</script>"),
      "h/04-handler.mdx": body('<KeyPoint onClick="steal()">\n\n- Point.\n\n</KeyPoint>'),
      "h/05-link.mdx": body("[Click](javascript:alert(1))"),
      "h/06-image.mdx": body(`![](/content/images/${"a".repeat(32)}.png)`),
    });
    const response = await importZip(trainer, zip);
    const page = text(await response.text());
    expect(response.status).toBe(422);
    // Ten lines of frontmatter, a blank line, a line of words, a blank line: the hostile line is the 14th.
    expect(page).toContain("h/02-import.mdx:14:1 `import` and `export` are not allowed in lessons");
    expect(page).toContain("h/03-script.mdx:14:1 <script> is not allowed in lessons");
    expect(page).toContain("h/04-handler.mdx:14:11 Event handlers such as onClick are not allowed");
    expect(page).toContain("h/05-link.mdx:14:1 The link “javascript:alert(1)” uses the scheme “javascript:”");
    expect(page).toContain("h/06-image.mdx:14:1 This image has no alt text");
    expect(page).not.toContain("h/01-ok.mdx:");
    expect(await moduleCount(org.id)).toBe(0);
  });

  it("answers a 60 MB upload with 413 and its message, before reading it", async () => {
    const { org, trainer } = await organization();
    const response = await importZip(trainer, new Uint8Array(60 * 1024 * 1024));
    expect(response.status).toBe(413);
    expect(await response.text()).toContain("That file is larger than 20 MB.");
    expect(await moduleCount(org.id)).toBe(0);
  });

  it("asks for a file when none is chosen", async () => {
    const { trainer } = await organization();
    const form = new FormData();
    form.set("slug", "");
    const response = await trainer.request("/content/import", { method: "POST", body: form });
    expect(response.status).toBe(400);
    expect(text(await response.text())).toContain("Choose a module's .zip file to import.");
  });
});

describe("images", () => {
  it("are uploaded, listed with their snippet, and served to their organization with caching headers", async () => {
    const { org, trainer, rep } = await organization();
    const uploaded = await uploadImage(trainer, PNG, "One clear pixel", "application/octet-stream");
    expect(uploaded.status).toBe(200);
    const row = (await first(
      db()
        .select({ name: contentImages.name, bytes: contentImages.bytes })
        .from(contentImages)
        .where(eq(contentImages.orgId, org.id)),
    ))!;
    expect(row.name).toMatch(/^[0-9a-f]{32}\.png$/);
    const url = `/content/images/${row.name}`;
    const listing = await trainer.request("/content/images");
    expect(text(await listing.text())).toContain(`![One clear pixel](${url})`);

    const served = await rep.request(url);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(served.headers.get("cache-control")).toBe("private, max-age=31536000, immutable");
    expect(served.headers.get("x-content-type-options")).toBe("nosniff");
    const etag = served.headers.get("etag");
    expect(etag).toBe(`"${row.name}"`);
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(PNG);
    const revalidated = await rep.request(url, { headers: { "if-none-match": etag! } });
    expect(revalidated.status).toBe(304);

    // The same picture again is the same image.
    expect((await uploadImage(trainer, PNG, "The same pixel")).status).toBe(200);
    expect(
      (await first(db().select({ n: count() }).from(contentImages).where(eq(contentImages.orgId, org.id))))!.n,
    ).toBe(1);

    // In a published lesson, a rep of the organization sees it.
    const lesson = lessonSource("Pictured", [], `\n\n![The pipeline chart](${url})\n`);
    expect(
      (await importZip(trainer, zipOf({ "pics/module.json": moduleJson(), "pics/01-pictured.mdx": lesson }))).status,
    ).toBe(200);
    const page = await rep.request("/learn/pics/pictured");
    expect(await page.text()).toMatch(new RegExp(`<img[^>]*src="${url}"`));

    // A lesson shows it: deleting it is refused, naming the lesson; an image no lesson shows goes.
    const refused = await trainer.post("/content/images", { intent: "delete", name: row.name });
    expect(refused.status).toBe(409);
    expect(text(await refused.text())).toContain("That image is still in “Pictured”.");
    expect((await rep.request(url)).status).toBe(200);
    const gif = new Uint8Array([...new TextEncoder().encode("GIF89a"), 1, 0, 1, 0, 0, 0, 0, 0x3b]);
    expect((await uploadImage(trainer, gif, "A spare picture", "image/gif")).status).toBe(200);
    const spare = (await organizationNames(org.id)).find((name) => name.endsWith(".gif"))!;
    const deleted = await trainer.post("/content/images", { intent: "delete", name: spare });
    expect(deleted.status).toBe(200);
    expect(text(await deleted.text())).toContain("Deleted the image.");
    expect(await organizationNames(org.id)).toEqual([row.name]);
    expect((await rep.request(`/content/images/${spare}`)).status).toBe(404);
    expect((await trainer.post("/content/images", { intent: "delete", name: spare })).status).toBe(404);
  });

  it("refuses what is not an image, an image over 2 MB and one without a description, storing nothing", async () => {
    const { org, trainer } = await organization();
    const html = new TextEncoder().encode("<html><script>alert(1)</script></html>");
    const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>');
    for (const fake of [html, svg]) {
      const response = await uploadImage(trainer, fake, "Looks like a picture", "image/png");
      expect(response.status).toBe(415);
      expect(text(await response.text())).toContain("That file is not a PNG, JPEG, WebP or GIF image");
    }
    const big = new Uint8Array(3 * 1024 * 1024);
    big.set(PNG);
    const tooBig = await uploadImage(trainer, big);
    expect(tooBig.status).toBe(413);
    expect(text(await tooBig.text())).toContain("That image is larger than 2 MB.");
    const noAlt = await uploadImage(trainer, PNG, "");
    expect(noAlt.status).toBe(400);
    expect(text(await noAlt.text())).toContain("Say what the image shows");
    expect(
      (await first(db().select({ n: count() }).from(contentImages).where(eq(contentImages.orgId, org.id))))!.n,
    ).toBe(0);
  });
});

describe("who may", () => {
  it("keeps reps and managers out of the studio's files, and every organization out of another's", async () => {
    const a = await organization();
    const b = await organization();
    await importZip(a.trainer, validModuleZip("secret-module"));
    const moduleId = (await first(db().select({ id: modules.id }).from(modules).where(eq(modules.owner, a.org.id))))!
      .id;
    await uploadImage(a.trainer, PNG);
    const image = (await first(
      db().select({ name: contentImages.name }).from(contentImages).where(eq(contentImages.orgId, a.org.id)),
    ))!;

    for (const outsider of [a.rep, a.manager]) {
      expect((await outsider.request("/content/import")).status).toBe(403);
      expect((await outsider.request("/content/images")).status).toBe(403);
      expect((await outsider.request(`/content/modules/${moduleId}/export.zip`)).status).toBe(403);
      expect((await importZip(outsider, validModuleZip("sneaky"))).status).toBe(403);
      expect((await uploadImage(outsider, PNG)).status).toBe(403);
      expect((await outsider.post("/content/images", { intent: "delete", name: image.name })).status).toBe(403);
    }
    expect(await moduleCount(a.org.id)).toBe(1);

    // Another organization's trainer and rep: not found.
    expect((await b.trainer.request(`/content/modules/${moduleId}/export.zip`)).status).toBe(404);
    expect((await b.trainer.request(`/content/modules/${newId()}/export.zip`)).status).toBe(404);
    expect((await b.rep.request(`/content/images/${image.name}`)).status).toBe(404);
    expect((await b.trainer.request(`/content/images/${image.name}`)).status).toBe(404);
    expect((await b.trainer.post("/content/images", { intent: "delete", name: image.name })).status).toBe(404);
    expect(await organizationNames(a.org.id)).toEqual([image.name]);
    expect((await a.rep.request(`/content/images/${"0".repeat(32)}.png`)).status).toBe(404);
    expect((await a.rep.request(`/content/images/${image.name}`)).status).toBe(200);

    // Signed out: to the sign-in page.
    const visitor = new Client(server.url);
    for (const path of [
      `/content/images/${image.name}`,
      `/content/modules/${moduleId}/export.zip`,
      "/content/import",
    ]) {
      const response = await visitor.request(path);
      expect(response.status).toBe(302);
      expect(response.headers.get("location")).toMatch(/^\/login/);
    }
  });
});
