import { describe, expect, it } from "vitest";
import { db } from "~/db/connection.server";

describe("the database connection", () => {
  it("runs with WAL, foreign keys, a 5 s busy timeout and synchronous FULL", () => {
    const sqlite = db().$client;
    expect(sqlite.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(sqlite.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(sqlite.pragma("busy_timeout", { simple: true })).toBe(5000);
    expect(sqlite.pragma("synchronous", { simple: true })).toBe(2); // 2 = FULL
  });

  it("refuses rows that point at nothing", () => {
    expect(() => db().$client.prepare("insert into users (id, org_id, email, name) values ('u', 'no-such-org', 'a@b.c', 'A')").run()).toThrow(/FOREIGN KEY/);
  });
});
