// npm run content:check — validates the built-in lesson library; exits non-zero on any problem.
// The conventions that are only warnings for an organization's own lessons (headings, minutes,
// stages, spelling, names) are failures here: the built-in library is the model. Advice on quiz
// wording (the right answer the longest choice in most single-answer quizzes, a negative prompt
// without capitals, a right answer alone repeating the prompt's words) is printed as a warning
// and never fails the check ("all/none of the above" stays an error).
//   npm run content:check -- --dir path/to/folder   checks another folder of modules the same way.
import { parseArgs } from "node:util";
import { checkLibrary, formatContentError } from "~/features/content/check.server";

const { values } = parseArgs({ options: { dir: { type: "string" } } });
const { errors, warnings, advice, summary } = checkLibrary(values.dir);
const problems = [...errors, ...warnings];
for (const error of errors) console.error(formatContentError(error));
for (const warning of warnings) console.error(`${formatContentError(warning)}  (library convention)`);
for (const note of advice) console.warn(`${formatContentError(note)}  (warning: quiz wording)`);
if (problems.length) console.error(`\n${problems.length} problem${problems.length === 1 ? "" : "s"} found.`);
console.log(
  `modules=${summary.modules} lessons=${summary.lessons} questions=${summary.questions} roleplays=${summary.roleplays}`,
);
process.exit(problems.length ? 1 : 0);
