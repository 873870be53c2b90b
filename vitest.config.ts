import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "~": new URL("./app", import.meta.url).pathname } },
  test: {
    include: ["tests/unit/**/*.test.ts", "tests/integration/**/*.test.ts", "app/**/*.test.ts"],
    globalSetup: ["tests/support/global-setup.ts"],
    setupFiles: ["tests/support/per-file.ts"],
    env: { NODE_ENV: "test", LOG_LEVEL: "silent" },
    // Two cores: run files in parallel on both, each with its own database file.
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
