// npm run content:check — validates the built-in lesson library; exits non-zero on any problem.
// The conventions that are only warnings for an organization's own lessons (headings, the length
// cue, minutes, stages, spelling, names) are failures here: the built-in library is the model.
import { checkLibrary, formatContentError } from "~/features/content/check.server";

const { errors, warnings, summary } = checkLibrary();
const problems = [...errors, ...warnings];
for (const error of errors) console.error(formatContentError(error));
for (const warning of warnings) console.error(`${formatContentError(warning)}  (library convention)`);
if (problems.length) console.error(`\n${problems.length} problem${problems.length === 1 ? "" : "s"} found.`);
console.log(
  `modules=${summary.modules} lessons=${summary.lessons} questions=${summary.questions} roleplays=${summary.roleplays}`,
);
process.exit(problems.length ? 1 : 0);
