import { describe, expect, it } from "vitest";
import { hashNewPassword, newPasswordProblem, verifyPassword } from "~/features/auth/password.server";
import { Refusal } from "~/features/refusal";

const EMAIL = "priya.raman@example.com";

describe("a new password", () => {
  it("may not be one of the passwords attackers try first, in any case", async () => {
    for (const common of ["password", "12345678", "Password", "QWERTYUIOP", "iloveyou", "password123", "sunshine1"])
      expect(await newPasswordProblem(common, EMAIL), common).toMatch(/^This password is too common/);
  });

  it("may not be, or contain, the account's e-mail address or the name before its @", async () => {
    for (const own of [EMAIL, "PRIYA.RAMAN@example.com", "priya.raman", "priya.raman2024!", `x-${EMAIL}-y`])
      expect(await newPasswordProblem(own, EMAIL), own).toMatch(/contains your e-mail address/);
    // A short name is refused as the whole password only ("representative" contains "rep").
    expect(await newPasswordProblem("rep", "rep@example.com")).toMatch(/contains your e-mail address/);
    expect(await newPasswordProblem("a representative sentence", "rep@example.com")).toBeNull();
  });

  it("of the person's own making is accepted, and hashed", async () => {
    for (const fine of ["correct horse battery", "flywheel-demo", "Priya's 3 quiet questions"])
      expect(await newPasswordProblem(fine, EMAIL), fine).toBeNull();
    expect(await verifyPassword(await hashNewPassword("correct horse battery", EMAIL), "correct horse battery")).toBe(
      true,
    );
  });

  it("that is refused is a Refusal about the password field, with nothing hashed", async () => {
    const refusal = await hashNewPassword("12345678", EMAIL).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(Refusal);
    expect(refusal).toMatchObject({ status: 400, field: "password" });
  });
});
