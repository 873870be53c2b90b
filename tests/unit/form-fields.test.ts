import { describe, expect, it } from "vitest";
import { z } from "zod";
import { isCalendarDay } from "~/shared/days";
import { dueDayField, handleForm, succeeded, uniqueList } from "~/features/forms";
import { Refusal } from "~/features/refusal";

describe("isCalendarDay", () => {
  it("accepts real days, leap days in leap years only, and nothing else", () => {
    for (const day of ["2026-01-01", "2026-12-31", "2028-02-29", "2000-02-29"])
      expect(isCalendarDay(day), day).toBe(true);
    for (const day of [
      "2027-02-29",
      "1900-02-29",
      "2027-02-30",
      "2099-13-45",
      "9999-99-99",
      "2026-00-10",
      "2026-1-1",
      "2026-01-01T00:00",
      "",
    ])
      expect(isCalendarDay(day), day).toBe(false);
  });
});

describe("dueDayField", () => {
  const field = dueDayField("2026-12-02");
  it("takes today up to two years ahead", () => {
    expect(field.safeParse("2026-12-02").success).toBe(true);
    expect(field.safeParse("2028-12-02").success).toBe(true);
  });
  it("says which rule a day breaks", () => {
    const message = (day: string) => field.safeParse(day).error?.issues[0]?.message;
    expect(message("2026-12-01")).toBe("Pick a due date from today on.");
    expect(message("2027-02-30")).toMatch(/on the calendar/);
    expect(message("2029-12-31")).toBe("Pick a due date within the next two years.");
  });
});

describe("uniqueList", () => {
  const roles = uniqueList(z.enum(["rep", "manager"]), 2, "roles");
  it("collapses repeats and refuses more than the cap", () => {
    expect(roles.parse(["rep", "rep", "manager", "rep"])).toEqual(["rep", "manager"]);
    expect(roles.parse(undefined)).toEqual([]);
    expect(roles.parse("rep")).toEqual(["rep"]);
    const ids = uniqueList(z.string(), 3, "teams");
    expect(ids.safeParse(["a", "b", "c", "d"]).error?.issues[0]?.message).toBe("Pick at most 3 teams.");
  });
});

describe("handleForm", () => {
  const schema = z.object({
    name: z.string({ error: "Name the team." }).trim().min(1, { error: "Name the team." }),
    size: z.coerce.number().int({ error: "Give a whole number." }),
  });
  const post = (fields: Record<string, string>) =>
    new Request("http://localhost/admin/teams", { method: "POST", body: new URLSearchParams(fields) });
  // A failure comes back as data(result, { status }); a success as the plain result.
  const unwrap = (answer: unknown) => {
    const wrapped = answer as { data?: unknown; init?: ResponseInit | null };
    return wrapped.init ? { status: wrapped.init.status, result: wrapped.data } : { status: 200, result: answer };
  };

  it("answers a form that does not parse with each field's message and 400, without running", async () => {
    let ran = false;
    const answer = await handleForm(post({ name: " ", size: "2.5" }), schema, async () => {
      ran = true;
      return succeeded("Saved.");
    });
    expect(ran).toBe(false);
    expect(unwrap(answer)).toEqual({
      status: 400,
      result: {
        ok: false,
        message: null,
        formError: null,
        fieldErrors: { name: "Name the team.", size: "Give a whole number." },
        detail: undefined,
      },
    });
  });

  it("puts the first message above the form when the page shows one message", async () => {
    const answer = await handleForm(post({ name: "", size: "1" }), schema, async () => succeeded(), {
      oneMessage: true,
    });
    expect(unwrap(answer).result).toMatchObject({ ok: false, formError: "Name the team." });
  });

  it("turns a refusal into the form's error with the refusal's status, and one about a field under it", async () => {
    const whole = await handleForm(post({ name: "Inside", size: "3" }), schema, async () => {
      throw new Refusal("We couldn't find that assignment.", 404);
    });
    expect(unwrap(whole)).toMatchObject({
      status: 404,
      result: { ok: false, formError: "We couldn't find that assignment.", fieldErrors: {} },
    });
    const field = await handleForm(post({ name: "Inside", size: "3" }), schema, async () => {
      throw new Refusal("There is already a team called “Inside”.", 400, "name");
    });
    expect(unwrap(field)).toMatchObject({
      status: 400,
      result: { formError: null, fieldErrors: { name: "There is already a team called “Inside”." } },
    });
  });

  it("runs with the parsed input and answers with what the run returns; other errors are not swallowed", async () => {
    const answer = await handleForm(post({ name: "  Inside Sales ", size: "4" }), schema, async (input) =>
      succeeded(`${input.name} has ${input.size + 1} seats.`),
    );
    expect(unwrap(answer)).toEqual({
      status: 200,
      result: { ok: true, message: "Inside Sales has 5 seats.", formError: null, fieldErrors: {}, detail: undefined },
    });
    await expect(
      handleForm(post({ name: "x", size: "1" }), schema, async () => {
        throw new Error("database down");
      }),
    ).rejects.toThrow("database down");
  });

  it("answers a body that is not a form with a 400", async () => {
    const request = new Request("http://localhost/x", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "{}",
    });
    await expect(handleForm(request, schema, async () => succeeded())).rejects.toMatchObject({ init: { status: 400 } });
  });
});
