import { describe, expect, it } from "vitest";
import { withStatementName } from "~/db/postgres.server";

type Named = { text: string; name?: string; rowMode?: string };
const named = (config: Named, values: unknown[] = [1]) => withStatementName(config, values) as Named;

describe("PostgreSQL statement names (decision 018)", () => {
  it("gives a parameterised query a name that depends on its text alone", () => {
    const text = 'select "id" from "users" where "users"."org_id" = $1';
    const first = named({ text, rowMode: "array" });
    const again = named({ text }, ["another value"]);
    const other = named({ text: `${text} limit $2` }, [1, 2]);
    expect(first.name).toMatch(/^q_[\w-]{24}$/);
    expect(again.name).toBe(first.name);
    expect(other.name).not.toBe(first.name);
    // The driver's other settings travel with it; the caller's object is not changed.
    expect(first.rowMode).toBe("array");
  });

  it("leaves a query unnamed when naming it would not pay or could clash", () => {
    const text = "select 1 where $1::int = 1";
    // Already named by the code (a drizzle prepared query): kept as it is.
    expect(named({ text, name: "sessions_by_id" }).name).toBe("sessions_by_id");
    // No parameters: migrations and one-off statements, which may hold several commands.
    expect(named({ text: "create table t (a int); create index on t (a)" }, []).name).toBeUndefined();
    // A list written out as one parameter per item: a text per length, not worth keeping.
    const many = Array.from({ length: 65 }, (_, i) => `$${i + 1}`).join(", ");
    expect(
      named(
        { text: `select ${many}` },
        Array.from({ length: 65 }, () => 1),
      ).name,
    ).toBeUndefined();
    // A plain string query (BEGIN, COMMIT) passes through untouched.
    expect(withStatementName("begin", undefined)).toBe("begin");
  });

  it("takes the values from the query itself when they are not passed beside it", () => {
    const config = { text: "select $1::int as a", values: [1] };
    expect((withStatementName(config, undefined) as Named).name).toMatch(/^q_/);
  });
});
