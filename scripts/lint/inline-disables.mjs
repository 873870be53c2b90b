// Counts the inline ESLint disables in the tracked source and fails unless each gives its reason
// (ESLint's `-- reason` syntax), so a rule switched off in one place stays visible and explained.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

const SOURCE = /\.(?:[cm]?[jt]sx?|mdx)$/;
// The directive at the start of a comment: line, block or JSX-block form.
const DIRECTIVE = /(?:\/\/|\/\*)\s*(eslint-disable(?:-next-line|-line)?)\b([^\n]*?)(?:\*\/|$)/gm;

const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
  encoding: "utf8",
})
  .split("\0")
  .filter((file) => SOURCE.test(file) && file !== "scripts/lint/inline-disables.mjs");

const found = [];
for (const file of files) {
  let text;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    continue; // listed by git but deleted in the work tree
  }
  for (const match of text.matchAll(DIRECTIVE)) {
    const line = text.slice(0, match.index).split("\n").length;
    const [rules, reason] = match[2].split(/\s-{2,}\s/, 2);
    found.push({ where: `${file}:${line}`, directive: match[1], rules: rules.trim(), reason: reason?.trim() ?? "" });
  }
}

const unexplained = found.filter((d) => d.reason === "" || d.rules === "");
for (const d of found) {
  const mark = unexplained.includes(d) ? "MISSING REASON" : d.reason;
  console.log(`${d.where}  ${d.directive} ${d.rules || "(all rules)"}  — ${mark}`);
}
console.log(`${found.length} inline eslint-disable comment(s), ${unexplained.length} without a named rule and reason.`);
if (unexplained.length > 0) {
  console.error("Each inline disable must name its rules and say why: // eslint-disable-next-line rule -- reason");
  process.exit(1);
}
