import { afterEach, describe, expect, it } from "vitest";
import {
  appOrigin,
  AppOriginError,
  appUrl,
  configuredOrigin,
  isKnownHost,
  safeRedirectPath,
} from "~/shared/app-origin.server";

const saved = { APP_ORIGIN: process.env.APP_ORIGIN, HOST: process.env.HOST, PORT: process.env.PORT };
function environment(values: { APP_ORIGIN?: string; HOST?: string; PORT?: string }) {
  for (const key of ["APP_ORIGIN", "HOST", "PORT"] as const) {
    if (values[key] === undefined) delete process.env[key];
    else process.env[key] = values[key];
  }
}
afterEach(() => environment(saved));

describe("the app's origin", () => {
  it("without APP_ORIGIN is the address the server prints, from HOST and PORT", () => {
    environment({});
    expect(appOrigin()).toBe("http://localhost:3000");
    environment({ HOST: "127.0.0.1", PORT: "4100" });
    expect(appOrigin()).toBe("http://127.0.0.1:4100");
    environment({ HOST: "::", PORT: "4100" });
    expect(appOrigin()).toBe("http://localhost:4100");
    expect(configuredOrigin()).toBeNull();
    expect(isKnownHost("anything.example")).toBe(true);
  });

  it("is APP_ORIGIN when set, and only its host (in any case, with or without the default port) is known", () => {
    environment({ APP_ORIGIN: "https://Flywheel.Example.com/" });
    expect(appOrigin()).toBe("https://flywheel.example.com");
    expect(appUrl("/reset-password/abc")).toBe("https://flywheel.example.com/reset-password/abc");
    expect(isKnownHost("flywheel.example.com")).toBe(true);
    expect(isKnownHost("FLYWHEEL.example.com:443")).toBe(true);
    expect(isKnownHost("flywheel.example.com:8443")).toBe(false);
    expect(isKnownHost("evil.example")).toBe(false);
    expect(isKnownHost(null)).toBe(false);
  });

  it("refuses an APP_ORIGIN that is not a bare http(s) origin, saying what to write", () => {
    for (const bad of ["flywheel.example.com", "ftp://flywheel.example.com", "https://flywheel.example.com/app"]) {
      environment({ APP_ORIGIN: bad });
      expect(() => appOrigin(), bad).toThrow(AppOriginError);
      expect(() => appOrigin(), bad).toThrow(/https:\/\/flywheel\.example\.com/);
    }
  });
});

describe("redirect targets", () => {
  it("keep a path of this site, with its query and fragment", () => {
    environment({ APP_ORIGIN: "https://flywheel.example.com" });
    expect(safeRedirectPath("/insights?period=30d#teams")).toBe("/insights?period=30d#teams");
    expect(safeRedirectPath("https://flywheel.example.com/today")).toBe("/today");
    expect(safeRedirectPath("/ok?next=//evil.example")).toBe("/ok?next=//evil.example");
  });

  it("send anything that would leave the site, or is not ours, to the fallback", () => {
    environment({ APP_ORIGIN: "https://flywheel.example.com" });
    for (const target of [
      "//evil.example",
      "///evil.example",
      "/\\evil.example",
      "\\\\evil.example",
      "/\t/evil.example/",
      "/\n/evil.example",
      "/.//evil.example",
      "/a/..//evil.example",
      "https://flywheel.example.com//evil.example",
      "https://evil.example/",
      "http://flywheel.example.com/today",
      "javascript:alert(1)",
      "data:text/html,hi",
      "/" + "a".repeat(3000),
      "",
      null,
      undefined,
    ])
      expect(safeRedirectPath(target, "/home"), JSON.stringify(target)).toBe("/home");
  });
});
