// npm run db:copy -- --to postgres://… [--from ./data/flywheel.db]
// Moves an installation from its SQLite file to PostgreSQL: migrates the target, then copies
// every row of every table (the search index included) in one transaction, and compares the
// row counts. The target must be empty: this is a move, not a merge.
import { parseArgs } from "node:util";
import { copySqliteToPostgres } from "./db-copy/copy";

const { values } = parseArgs({ options: { to: { type: "string" }, from: { type: "string" } } });
const target = values.to ?? "";
if (!/^postgres(ql)?:\/\//.test(target)) {
  console.error("Say where to copy to: npm run db:copy -- --to postgres://user:password@host:5432/flywheel");
  process.exit(2);
}
const source = values.from ?? process.env.DATABASE_PATH ?? "./data/flywheel.db";

try {
  const report = await copySqliteToPostgres(source, target, (line) => console.log(line));
  console.log(`Copied ${report.rows} rows in ${report.tables.length} tables; every count matches.`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
