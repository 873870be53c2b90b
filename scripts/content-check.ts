// npm run content:check — validates the lesson library; exits non-zero on any problem.
import { checkLibrary, formatContentError } from "~/features/content/check.server";

const { errors, summary } = checkLibrary();
for (const error of errors) console.error(formatContentError(error));
if (errors.length) console.error(`\n${errors.length} problem${errors.length === 1 ? "" : "s"} found.`);
console.log(
  `modules=${summary.modules} lessons=${summary.lessons} questions=${summary.questions} roleplays=${summary.roleplays}`,
);
process.exit(errors.length ? 1 : 0);
