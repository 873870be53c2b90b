import fs from "node:fs";
import path from "node:path";
import { count } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { closeDatabase, db } from "~/db/connection.server";
import { organizations, users } from "~/db/schema";
import { Client, startServer } from "../support/server";

function freshFile(name: string) {
  const file = path.join(process.env.FLYWHEEL_TEST_DIR!, `${name}-${crypto.randomUUID()}.db`);
  return file;
}

describe("start-up", () => {
  it("loads the demo into an empty database once, and a second start keeps the data", async () => {
    const file = freshFile("restart");
    const first = await startServer({ DATABASE_PATH: file, FLYWHEEL_DEMO: "1" });
    await first.stop();
    process.env.DATABASE_PATH = file;
    closeDatabase();
    const people = db().select({ n: count() }).from(users).get()!.n;
    expect(people).toBeGreaterThanOrEqual(20);
    const second = await startServer({ DATABASE_PATH: file, FLYWHEEL_DEMO: "1" });
    await second.stop();
    expect(db().select({ n: count() }).from(organizations).get()!.n).toBe(1);
    expect(db().select({ n: count() }).from(users).get()!.n).toBe(people);
    closeDatabase();
    expect(fs.existsSync(file)).toBe(true);
  });

  it("with the demo off, the first visit offers to create the organization and its admin", async () => {
    const server = await startServer({ DATABASE_PATH: freshFile("setup"), FLYWHEEL_DEMO: "0" });
    try {
      const client = new Client(server.url);
      const home = await client.request("/");
      expect(home.headers.get("location")).toBe("/setup");
      const bad = await client.post("/setup", { orgName: "Initech", timezone: "Mars/Olympus", name: "Pat", email: "pat@initech.test", password: "short" });
      expect(bad.status).toBe(400);
      const body = await bad.text();
      expect(body).toContain("Use a time zone such as");
      expect(body).toContain("Use at least 8 characters.");
      const ok = await client.post("/setup", { orgName: "Initech", timezone: "Europe/London", name: "Pat Lee", email: "pat@initech.test", password: "initech-admin-pw" });
      expect(ok.status).toBe(302);
      expect(ok.headers.get("location")).toBe("/admin");
      expect((await client.request("/admin/users")).status).toBe(200);
      // Once an organization exists, set-up is closed to everyone.
      const again = await new Client(server.url).request("/setup");
      expect(again.headers.get("location")).toBe("/login");
    } finally {
      await server.stop();
    }
  });
});
