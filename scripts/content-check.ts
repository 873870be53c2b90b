// npm run content:check — validates the built-in lesson library; exits non-zero on any problem.
// The conventions that are only warnings for an organization's own lessons (headings, the length
// cue, minutes, stages, spelling, names) are failures here: the built-in library is the model.
// Advice on quiz wording (a negative prompt without capitals, a right answer alone repeating the
// prompt's words) is printed as a warning and never fails the check.
import { checkLibrary, formatContentError } from "~/features/content/check.server";

const { errors, warnings, advice, summary } = checkLibrary();
const problems = [...errors, ...warnings];
for (const error of errors) console.error(formatContentError(error));
for (const warning of warnings) console.error(`${formatContentError(warning)}  (library convention)`);
for (const note of advice) console.warn(`${formatContentError(note)}  (warning: quiz wording)`);
if (problems.length) console.error(`\n${problems.length} problem${problems.length === 1 ? "" : "s"} found.`);
console.log(
  `modules=${summary.modules} lessons=${summary.lessons} questions=${summary.questions} roleplays=${summary.roleplays}`,
);
process.exit(problems.length ? 1 : 0);
