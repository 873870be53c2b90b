// The copy behind `npm run db:copy`. SQLite's stored values are already what PostgreSQL's
// columns accept (times as epoch milliseconds for bigint, 0/1 for boolean, JSON text for jsonb,
// buffers for bytea), so rows go across as they are, in batches, parents before children.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import Database from "better-sqlite3";
import pg from "pg";

/** Tables in an order where every foreign key points at a table copied before it. */
export const COPY_ORDER = [
  "organizations",
  "users",
  "user_roles",
  "teams",
  "team_members",
  "sessions",
  "known_devices",
  "invitations",
  "password_resets",
  "throttles",
  "form_submissions",
  "outbox",
  "modules",
  "lessons",
  "lesson_versions",
  "questions",
  "roleplays",
  "lesson_drafts",
  "content_images",
  "lesson_ratings",
  "lesson_progress",
  "attempts",
  "module_completions",
  "question_tallies",
  "choice_tallies",
  "credit_tallies",
  "recall_tallies",
  "statements",
  "daily_activity",
  "cards",
  "review_logs",
  "boosts",
  "parameter_trainings",
  "reminder_preferences",
  "vacations",
  "digest_sends",
  "answer_links",
  "server_keys",
  "push_subscriptions",
  "push_sends",
  "roleplay_submissions",
  "recordings",
  "notifications",
  "nudges",
  "assignments",
  "assignment_reps",
  "retention_snapshots",
  "lesson_search",
  "audit_events",
  "scim_tokens",
  "scim_users",
  "sso_connections",
  "sso_domains",
  "sso_identities",
  "sso_logins",
] as const;

// PostgreSQL takes at most 65,535 parameters in one statement.
const MAX_PARAMETERS = 60_000;

export type CopyReport = { tables: Array<{ table: string; rows: number }>; rows: number };

export async function copySqliteToPostgres(
  sourceFile: string,
  targetUrl: string,
  log: (line: string) => void = () => {},
): Promise<CopyReport> {
  if (!fs.existsSync(sourceFile))
    throw new Error(`There is no SQLite database at ${sourceFile}: pass --from with its path.`);
  const source = new Database(sourceFile, { readonly: true, fileMustExist: true });
  const sourceTables = new Set(
    (source.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[]).map(
      (t) => t.name,
    ),
  );
  const missing = COPY_ORDER.filter((t) => !sourceTables.has(t));
  if (missing.length)
    throw new Error(
      `${sourceFile} is not an up-to-date Flywheel database (no ${missing.join(", ")}): start Flywheel on it once to migrate it.`,
    );

  migratePostgres(targetUrl);
  const client = new pg.Client({ connectionString: targetUrl });
  await client.connect().catch((error: Error) => {
    throw new Error(`Could not connect to ${redacted(targetUrl)}: ${error.message}`);
  });
  const report: CopyReport = { tables: [], rows: 0 };
  try {
    await client.query("begin");
    for (const table of COPY_ORDER) {
      const existing = await client.query(`select count(*)::int as n from "${table}"`);
      if (existing.rows[0].n > 0 && table !== "lesson_search") {
        throw new Error(`The target already has rows in ${table}: db:copy moves a database into an empty one.`);
      }
    }
    // The search index is written by the target's own migrations only as an empty table.
    await client.query(`delete from "lesson_search"`);
    for (const table of COPY_ORDER) {
      const rows = await copyTable(source, client, table);
      report.tables.push({ table, rows });
      report.rows += rows;
      log(`${table}: ${rows}`);
    }
    for (const { table, rows } of report.tables) {
      const copied = await client.query(`select count(*)::int as n from "${table}"`);
      if (copied.rows[0].n !== rows)
        throw new Error(`${table}: ${rows} rows in SQLite but ${copied.rows[0].n} in PostgreSQL; nothing was copied.`);
    }
    await client.query("commit");
    // A bulk load leaves every row unchecked and no statistics: without this the first readers
    // pay for setting each row's visibility bits (and autovacuum does it later, under traffic),
    // index-only scans cannot be used and the planner guesses. It cannot run inside a transaction.
    await client.query("vacuum (analyze)");
    return report;
  } catch (error) {
    await client.query("rollback").catch(() => {});
    throw error;
  } finally {
    await client.end();
    source.close();
  }
}

async function copyTable(source: Database.Database, client: pg.Client, table: string): Promise<number> {
  // Generated columns (daily_activity.week) are computed by PostgreSQL itself.
  const columns = (
    source.prepare(`select name, hidden from pragma_table_xinfo(?)`).all(table) as { name: string; hidden: number }[]
  )
    .filter((c) => c.hidden === 0)
    .map((c) => c.name);
  const perBatch = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
  const names = columns.map((c) => `"${c}"`).join(", ");
  const read = source.prepare(`select ${names} from "${table}"`).raw(true);
  let batch: unknown[][] = [];
  let copied = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const values = batch
      .map((row, r) => `(${row.map((_, c) => `$${r * columns.length + c + 1}`).join(", ")})`)
      .join(", ");
    await client.query(`insert into "${table}" (${names}) values ${values}`, batch.flat());
    copied += batch.length;
    batch = [];
  };
  for (const row of read.iterate() as Iterable<unknown[]>) {
    batch.push(row.map((value) => (typeof value === "bigint" ? value.toString() : value)));
    if (batch.length >= perBatch) await flush();
  }
  await flush();
  return copied;
}

// The target's migrations run through the app's own start-up path, in a child process, because
// the engine is chosen when the app's modules load.
function migratePostgres(targetUrl: string): void {
  try {
    execFileSync(process.execPath, ["--import", "tsx", "scripts/migrate.ts"], {
      env: { ...process.env, DATABASE_URL: targetUrl, LOG_LEVEL: "silent" },
      stdio: "pipe",
    });
  } catch (error) {
    const output = (error as { stderr?: Buffer }).stderr?.toString().trim().split("\n")[0] ?? "";
    throw new Error(`Could not migrate ${redacted(targetUrl)}: ${output}`);
  }
}

function redacted(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:…@");
}
