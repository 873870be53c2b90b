// A signed-in person who is refused a page, or asks for one that does not exist, gets a styled
// page inside the signed-in shell: the navigation and "Sign out" stay, and the way out never
// leads back to the page that refused.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, startServer, type TestServer } from "../support/server";
import { makeOrg, makeTeam, makeUser, TEST_PASSWORD } from "../support/people";

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ FLYWHEEL_DEMO: "0" });
});
afterAll(() => server?.stop());

async function signedIn(roles: Parameters<typeof makeUser>[1]) {
  const org = await makeOrg();
  const person = await makeUser(org.id, roles);
  const client = new Client(server.url);
  expect((await client.login(person.email, TEST_PASSWORD)).status).toBe(302);
  return client;
}

const homeLink = (html: string) => /<a href="([^"]*)" class="btn">/.exec(html)?.[1];

describe("refusals inside the signed-in shell", () => {
  it("a rep refused /admin, /admin/users and /insights sees a page with the navigation, not raw JSON", async () => {
    const rep = await signedIn(["rep"]);
    for (const path of ["/admin", "/admin/users", "/admin/settings", "/insights", "/content"]) {
      const response = await rep.request(path, { headers: { accept: "text/html" } });
      expect(response.status, path).toBe(403);
      expect(response.headers.get("content-type"), path).toContain("text/html");
      const html = await response.text();
      expect(html, path).toContain("Not for you, sorry");
      expect(html, path).toContain('aria-label="Main"');
      expect(html, path).toContain("Sign out");
      expect(html, path).toContain('href="/today"');
      expect(html, path).not.toContain('{"message"');
      // The admin frame (its tabs) is the admin layout's, and a refused rep never sees it.
      expect(html, path).not.toContain('aria-label="Admin"');
    }
  });

  it("the admin frame's own loader refuses a rep, even when asked for alone", async () => {
    const rep = await signedIn(["rep"]);
    // Single fetch runs just the routes named in _routes: the layout must check on its own.
    const response = await rep.request("/admin/users.data?_routes=routes%2Fadmin%2Flayout");
    const body = await response.text();
    expect(response.status, body).toBe(403);
    expect(body).toContain("You do not have access to this page.");
  });

  it("a page that does not exist inside the app keeps the navigation too", async () => {
    const rep = await signedIn(["rep"]);
    const response = await rep.request("/learn/no-such-module/no-such-lesson");
    expect(response.status).toBe(404);
    const html = await response.text();
    expect(html).toContain("Sign out");
    expect(html).toContain('aria-label="Main"');
  });

  it("a manager with no team yet, refused their home page, is offered a way out that is not that page", async () => {
    const manager = await signedIn(["manager"]);
    const home = await manager.request("/");
    expect(home.headers.get("location")).toBe("/insights");
    const response = await manager.request("/insights");
    expect(response.status).toBe(403);
    const html = await response.text();
    expect(html).toContain("You don't manage a team yet");
    expect(html).toContain("Sign out");
    expect(homeLink(html)).toBe("/library");
    expect((await manager.request("/library")).status).toBe(200);
  });
});

describe("a refused or mistaken form keeps the signed-in shell", () => {
  // A form posted to a page that refuses it (or has no form) used to render the bare error page:
  // no navigation, no "Sign out", and a way out to "/" that could lead back to a refusal.
  it("a rep who posts an admin or manager form sees the navigation, Sign out and a way to their home page", async () => {
    const rep = await signedIn(["rep"]);
    for (const path of ["/admin/users", "/admin/settings", "/admin/teams", "/coach/assignments"]) {
      const response = await rep.post(path, { intent: "create", email: "x@test.example" });
      expect(response.status, path).toBe(403);
      const html = await response.text();
      expect(html, path).toContain("Not for you, sorry");
      expect(html, path).toContain('aria-label="Main"');
      expect(html, path).toContain("Sign out");
      expect(homeLink(html), path).toBe("/");
    }
  });

  it("a form posted to a page that takes none says so, inside the shell", async () => {
    const rep = await signedIn(["rep"]);
    const response = await rep.post("/today", { anything: "1" });
    expect(response.status).toBe(405);
    const html = await response.text();
    expect(html).toContain("That page doesn&#x27;t take a form");
    expect(html).toContain("Nothing was changed.");
    // The router's message for developers stays out of what the page says.
    expect(html.split("<main")[1]!.split("</main>")[0]).not.toContain("did not provide an `action`");
    expect(html).not.toContain("Something went wrong on our side");
    expect(html).toContain("Sign out");
    expect(html).toContain('aria-label="Main"');
  });
});

describe("the navigation and the pages agree", () => {
  const places = ["/today", "/library", "/progress", "/coach", "/insights", "/content", "/admin/users"];
  const navLinks = (html: string) =>
    [...(/<nav aria-label="Main"[^>]*>(.*?)<\/nav>/s.exec(html)?.[1] ?? "").matchAll(/href="([^"]+)"/g)].map(
      (m) => m[1],
    );

  it("each role's navigation links exactly the places its pages let it in", async () => {
    for (const roles of [["rep"], ["manager"], ["trainer"], ["admin"], ["manager", "trainer"]] as const) {
      const org = await makeOrg();
      const person = await makeUser(org.id, [...roles]);
      // A manager's pages need a team to manage.
      if (roles.includes("manager" as never)) await makeTeam(org.id, "Team", [{ userId: person.id, role: "manager" }]);
      const client = new Client(server.url);
      await client.login(person.email, TEST_PASSWORD);
      const shown = navLinks(await (await client.request("/library")).text());
      expect(shown.length, roles.join("+")).toBeGreaterThan(0);
      for (const place of places) {
        const status = (await client.request(place)).status;
        const linked = shown.some((to) => place === to || place.startsWith(`${to}/`));
        expect(status === 200, `${roles.join("+")} ${place}: ${status}, ${linked ? "linked" : "not linked"}`).toBe(
          linked,
        );
      }
    }
  });
});
