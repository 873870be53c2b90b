// Issue 18's budget: the service worker adds no more than 10 KB gzip to a page's first load. That
// is the worker file and the page code that registers it and keeps answers offline (bundled and
// minified here as the build does), not the app code that was there before.
import fs from "node:fs";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const BUDGET_BYTES = 10 * 1024;

async function registrationCode(): Promise<Buffer> {
  const bundled = await build({
    entryPoints: ["app/features/offline/offline-copies.ts"],
    bundle: true,
    minify: true,
    format: "esm",
    write: false,
    tsconfig: "tsconfig.json",
    // Types only: React Router is on every page already.
    external: ["react-router"],
  });
  return Buffer.from(bundled.outputFiles[0]!.contents);
}

describe("the offline app's weight on a first load", () => {
  it("the service worker and its registration stay within 10 KB gzip", async () => {
    // The worker with the push handlers it takes in.
    const worker =
      gzipSync(fs.readFileSync("public/sw.js")).length + gzipSync(fs.readFileSync("public/push-handlers.js")).length;
    const registration = gzipSync(await registrationCode()).length;
    console.info(`service worker ${worker} B gzip, registration and answer queue ${registration} B gzip`);
    expect(registration).toBeGreaterThan(500); // the bundle holds the code, not an empty module
    expect(worker + registration).toBeLessThanOrEqual(BUDGET_BYTES);
  });
});
