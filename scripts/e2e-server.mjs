// Starts the production server on a fresh throw-away database for the end-to-end tests.
import cluster from "node:cluster";
import fs from "node:fs";
import path from "node:path";

const dir = path.resolve(".tmp/e2e");
// server.mjs forks workers that run this file again: only the primary starts afresh.
if (cluster.isPrimary) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
}
process.env.DATABASE_PATH = path.join(dir, "flywheel.db");
process.env.FLYWHEEL_DEMO = "1";
process.env.WEB_CONCURRENCY ??= "2";
// Digests go to the outbox the tests read; whether one goes out depends on the hour the run
// starts. The digest itself is tested in tests/integration/reinforcement.test.ts.
process.env.FLYWHEEL_DIGESTS ??= "0";
process.env.LOG_LEVEL ??= "warn";
// The single sign-on spec starts its own OpenID provider on http://127.0.0.1 (decision 033):
// plain http is allowed for a loopback issuer only with this test-only switch.
process.env.FLYWHEEL_SSO_HTTP_LOCALHOST ??= "1";
await import("../server.mjs");
