// Finds Chromium for the end-to-end tests: CHROMIUM_PATH, else Debian's /usr/bin/chromium.
// Installs Debian's package when it can (root with apt); never downloads a browser build.
import { execSync } from "node:child_process";
import fs from "node:fs";

const wanted = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (fs.existsSync(wanted)) process.exit(0);

const isRoot = process.getuid?.() === 0;
const hasApt = fs.existsSync("/usr/bin/apt-get");
if (!process.env.CHROMIUM_PATH && isRoot && hasApt) {
  console.log("Chromium is missing: installing Debian's chromium package…");
  try {
    execSync("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium", {
      stdio: "inherit",
    });
    if (fs.existsSync(wanted)) process.exit(0);
  } catch {
    // fall through to the message
  }
}
console.error(
  [
    `The end-to-end tests need Chromium, and none was found at ${wanted}.`,
    "Install Debian's package as root:   apt-get install -y chromium",
    "or point CHROMIUM_PATH at a Chromium or Chrome binary:   CHROMIUM_PATH=/path/to/chrome npm test",
  ].join("\n"),
);
process.exit(1);
