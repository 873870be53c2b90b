// npm test: every check and every test, in stages. The commands of a stage run side by side (the
// machine has two cores, and each of these commands leaves time on them: linting waits on files,
// the browser tests on pages and the browser), each one's output printed whole when it ends (a
// stage of one command streams it); a stage starts only when the one before it has passed.
import { spawn } from "node:child_process";

const STAGES = [
  // Static checks and the production build the tests run against.
  ["npm run lint", "npm run format:check && npm run lint:deps && npm run typecheck && npm run content:check"],
  ["node scripts/ensure-browser.mjs && npm run build"],
  ["npm run test:unit"],
  // Both engines' integration tests beside the browser tests: the two use their own servers,
  // databases and ports.
  ["npm run test:integration", "npx playwright test"],
];

function run(command, stream) {
  return new Promise((resolve) => {
    const started = Date.now();
    if (stream) process.stdout.write(`\n▶ ${command}\n`);
    const child = spawn(command, {
      shell: true,
      stdio: ["ignore", stream ? "inherit" : "pipe", stream ? "inherit" : "pipe"],
    });
    let output = "";
    child.stdout?.on("data", (chunk) => (output += chunk));
    child.stderr?.on("data", (chunk) => (output += chunk));
    child.on("close", (code) => {
      const seconds = Math.round((Date.now() - started) / 1000);
      if (!stream) process.stdout.write(`\n▶ ${command}\n${output}`);
      process.stdout.write(`${code === 0 ? "✔" : "✘"} ${command} (${seconds} s)\n`);
      resolve(code === 0);
    });
  });
}

const began = Date.now();
for (const stage of STAGES) {
  const results = await Promise.all(stage.map((command) => run(command, stage.length === 1)));
  if (results.includes(false)) {
    console.log(`\nnpm test failed after ${Math.round((Date.now() - began) / 1000)} s.`);
    process.exit(1);
  }
}
console.log(`\nnpm test passed in ${Math.round((Date.now() - began) / 1000)} s.`);
