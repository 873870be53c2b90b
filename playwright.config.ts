import { defineConfig, devices } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT ?? 3210);

export default defineConfig({
  testDir: "tests/e2e",
  outputDir: ".tmp/test-results",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  // The integration tests run beside these (scripts/test/all.mjs): a long flow on two shared cores
  // can pass 30 s without anything being wrong.
  timeout: 90_000,
  // CI shares two cores between the server, Chromium and the runner: allow slow steps, not retries.
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    // Recording a trace of every test (kept only for failures) cost a tenth of the browser tests'
    // time, and CI shows only the output: record one when looking into a failure with
    // `npx playwright test … --trace on`.
    trace: "off",
    // The service worker saves a rep's pages in the background after each page load (decision 035):
    // requests no other test expects. tests/e2e/offline.spec.ts allows it.
    serviceWorkers: "block",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      // Debian's Chromium as root, on a machine with no outside network; a fake microphone
      // (a tone) that needs no permission prompt, so the role-play recorder can be driven.
      args: [
        "--no-sandbox",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-gpu",
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
      ],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], channel: undefined } }],
  webServer: {
    // The production build on a throw-away database with the demo organization.
    command: "node scripts/e2e-server.mjs",
    url: `http://127.0.0.1:${PORT}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    env: { PORT: String(PORT), HOST: "127.0.0.1" },
  },
});
