// Runs the integration tests on SQLite and again on a throw-away PostgreSQL (started by the
// test setup, or TEST_DATABASE_URL's server), then prints both counts and fails unless they
// are equal: no test may be skipped on one engine.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const out = path.resolve(".tmp/vitest");
fs.mkdirSync(out, { recursive: true });
const extra = process.argv.slice(2);

function run(engine) {
  const report = path.join(out, `${engine}.json`);
  fs.rmSync(report, { force: true });
  const args = [
    "vitest",
    "run",
    "tests/integration",
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${report}`,
    ...extra,
  ];
  const result = spawnSync("npx", args, { stdio: "inherit", env: { ...process.env, FLYWHEEL_TEST_ENGINE: engine } });
  const counts = fs.existsSync(report) ? JSON.parse(fs.readFileSync(report, "utf8")) : {};
  return {
    engine,
    ok: result.status === 0,
    passed: counts.numPassedTests ?? 0,
    failed: counts.numFailedTests ?? 0,
    skipped: (counts.numPendingTests ?? 0) + (counts.numTodoTests ?? 0),
    total: counts.numTotalTests ?? 0,
  };
}

const results = ["sqlite", "postgres"].map(run);
for (const r of results)
  console.log(`integration on ${r.engine.padEnd(8)}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`);
const [sqlite, postgres] = results;
const equal = sqlite.total === postgres.total && sqlite.passed === postgres.passed;
if (!equal) console.log(`The engines ran different numbers of tests (${sqlite.total} against ${postgres.total}).`);
const skipped = results.some((r) => r.skipped > 0);
if (skipped) console.log("A test was skipped: every integration test runs on both engines.");
process.exit(results.every((r) => r.ok) && equal && !skipped && sqlite.total > 0 ? 0 : 1);
