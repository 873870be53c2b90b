import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "~": new URL("./app", import.meta.url).pathname } },
  test: {
    include: ["tests/unit/**/*.test.ts", "tests/integration/**/*.test.ts", "app/**/*.test.ts"],
    globalSetup: ["tests/support/global-setup.ts"],
    setupFiles: ["tests/support/per-file.ts"],
    env: { NODE_ENV: "test", LOG_LEVEL: "silent" },
    // Test files run in parallel worker processes (one per core by default), each on its own database.
    pool: "forks",
    testTimeout: 30_000,
    // A beforeAll that starts a server waits for its first start (tests/support/server.ts).
    hookTimeout: 150_000,
  },
});
