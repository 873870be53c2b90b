import os from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "~": new URL("./app", import.meta.url).pathname } },
  test: {
    include: ["tests/unit/**/*.test.ts", "tests/integration/**/*.test.ts", "app/**/*.test.ts"],
    globalSetup: ["tests/support/global-setup.ts"],
    setupFiles: ["tests/support/per-file.ts"],
    env: { NODE_ENV: "test", LOG_LEVEL: "silent" },
    // Test files run in parallel worker processes, each on its own database: one per core. Vitest's
    // default is one fewer than the cores, a single worker on a two-core machine, which left the
    // second core idle while a file waited on the servers and databases it starts.
    pool: "forks",
    maxWorkers: os.availableParallelism(),
    // Several tests start a server of their own (each start syncs the library and may load the
    // demo); two files at once on a busy two-core machine can take most of a minute for that.
    testTimeout: 90_000,
    // A beforeAll that starts a server waits for its first start (tests/support/server.ts).
    hookTimeout: 150_000,
  },
});
