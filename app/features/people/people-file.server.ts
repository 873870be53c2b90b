// Reading a people file (decision 029): CSV in UTF-8 with or without a BOM, comma- or
// semicolon-separated, one person a row under the header email, name, roles, team, manages. Every
// problem is reported with its line, all of them at once; a file that cannot be read at all (not
// text, too large, no header) is refused as a whole.
import { sha256 } from "@oslojs/crypto/sha2";
import { encodeHexLowerCase } from "@oslojs/encoding";
import { CsvError, parse } from "csv-parse/sync";
import { ROLES, type Role } from "~/db/model";
import { emailField } from "~/features/forms";
import { Refusal } from "~/features/refusal";
import { startsLikeFormula } from "~/shared/csv";

export const IMPORT_COLUMNS = ["email", "name", "roles", "team", "manages"] as const;
type Column = (typeof IMPORT_COLUMNS)[number];
const REQUIRED_COLUMNS: readonly Column[] = ["email", "name", "roles"];

/** The largest file the import takes (the route reads at most this much of the upload). */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
/** The most people in one file: far above a company's sales force, small enough to preview in a few seconds. */
export const MAX_IMPORT_ROWS = 50_000;
/** Fields a line may have before it is taken for a broken file rather than a person (the header has five). */
const MAX_FIELDS_PER_LINE = 1_000;
const MAX_NAME = 100;
const MAX_TEAM_NAME = 80;

/** The template the import page offers for download. */
export const IMPORT_TEMPLATE = [
  "email,name,roles,team,manages",
  "ana.rep@example.com,Ana Rep,rep,West,",
  "max.manager@example.com,Max Manager,manager,,West;East",
  "pat.coach@example.com,Pat Player-Coach,rep;manager,East,East",
  "",
].join("\r\n");

export type ImportRow = {
  line: number;
  email: string;
  name: string;
  roles: Role[];
  /** Teams the person is a member of; null when the file has no team column (left as they are). */
  team: string[] | null;
  /** Teams the person manages; null when the file has no manages column. */
  manages: string[] | null;
};

export type ImportProblem = { line: number; message: string };

export type PeopleFile = { hash: string; rows: ImportRow[]; problems: ImportProblem[] };

/** The words for any address that cannot be used: malformed, or (the planner says) taken elsewhere. */
export const unusableAddress = (line: number, email: string): ImportProblem => ({
  line,
  message: `Line ${line}: this address cannot be added (${shown(email)}).`,
});

/** A file's fingerprint: the dry run shows it and the apply must come with the same file. */
export function fileHash(bytes: Uint8Array): string {
  return encodeHexLowerCase(sha256(bytes));
}

/** A cell as a message quotes it: short, on one line. */
function shown(text: string): string {
  const line = text.replace(/\s+/g, " ");
  return line.length > 40 ? `${line.slice(0, 39)}…` : line;
}

function decodeText(bytes: Uint8Array): string {
  if (bytes.length === 0) throw new Refusal("The file is empty. Download the template and fill it in.", 422);
  // A zip container (.xlsx, .numbers, .ods) or any file with NUL bytes is not CSV text.
  const zip = bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
  if (zip)
    throw new Refusal(
      "This looks like a spreadsheet workbook (.xlsx), not a CSV file. In your spreadsheet, choose Save as → CSV UTF-8, then upload that file.",
      415,
    );
  if (bytes.includes(0))
    throw new Refusal(
      "This file is not text: it looks like a binary file. Upload a CSV file (Save as → CSV UTF-8 in your spreadsheet).",
      415,
    );
  try {
    // ignoreBOM false: a UTF-8 byte order mark is dropped.
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new Refusal(
      "This file is not UTF-8 text. In your spreadsheet, choose Save as → CSV UTF-8 (comma-delimited), then upload that file.",
      415,
    );
  }
}

/** Comma or semicolon: whichever the header line (outside quotes) has more of. */
function detectDelimiter(text: string): "," | ";" {
  const header = text.slice(0, text.search(/\r?\n|$/));
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (const char of header) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && char === ",") commas++;
    else if (!quoted && char === ";") semicolons++;
  }
  return semicolons > commas ? ";" : ",";
}

/** Refuses a line with absurdly many fields before the parser builds it (a broken or hostile file). */
function refuseRunawayLines(text: string, delimiter: string): void {
  let line = 1;
  let fields = 1;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === "\n") {
      line++;
      fields = 1;
    } else if (char === delimiter && ++fields > MAX_FIELDS_PER_LINE) {
      throw new Refusal(
        `Line ${line} has more than ${MAX_FIELDS_PER_LINE.toLocaleString("en-US")} fields; a person has five (${IMPORT_COLUMNS.join(", ")}). Check the file's delimiter and quotes.`,
        422,
      );
    }
  }
}

function csvErrorMessage(error: CsvError): string {
  const line = (error as CsvError & { lines?: number }).lines;
  const where = line ? `Line ${line}: ` : "";
  if (error.code === "CSV_QUOTE_NOT_CLOSED")
    return `${where}a quote (") opens a field that never closes. Check the quotes on that line.`;
  if (
    error.code === "INVALID_OPENING_QUOTE" ||
    error.code === "CSV_INVALID_CLOSING_QUOTE" ||
    error.code === "CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE"
  )
    return `${where}a quote (") is in the middle of a field. Put the whole field in quotes and double the quote inside ("").`;
  return `${where}the file could not be read as CSV (${error.message}).`;
}

/** A list cell ("West; East"): trimmed, empty parts dropped, the same name twice kept once. */
const listOf = (cell: string): string[] => [
  ...new Set(
    cell
      .split(";")
      .map((part) => part.trim())
      .filter(Boolean),
  ),
];

/**
 * Reads the file into rows and problems. Throws a Refusal for a file that cannot be read at all;
 * otherwise every row's problems are listed with its line, and rows with problems are left out.
 */
export function readPeopleFile(bytes: Uint8Array): PeopleFile {
  const text = decodeText(bytes);
  const delimiter = detectDelimiter(text);
  refuseRunawayLines(text, delimiter);
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, {
      delimiter,
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      to: MAX_IMPORT_ROWS + 2,
    }) as unknown as typeof records;
  } catch (error) {
    if (error instanceof CsvError) throw new Refusal(csvErrorMessage(error), 422);
    throw error;
  }
  const [header, ...body] = records;
  if (!header) throw new Refusal("The file is empty. Download the template and fill it in.", 422);
  if (body.length > MAX_IMPORT_ROWS)
    throw new Refusal(
      `The file has more than ${MAX_IMPORT_ROWS.toLocaleString("en-US")} people. Split it into several files and import them one after the other.`,
      413,
    );
  const headerLine = header.info.lines;
  const names = header.record.map((cell) => cell.trim().toLowerCase());
  const index = new Map<string, number>();
  const problems: ImportProblem[] = [];
  names.forEach((name, i) => {
    if (!(IMPORT_COLUMNS as readonly string[]).includes(name))
      problems.push({
        line: headerLine,
        message: `Line ${headerLine}: “${shown(header.record[i]!)}” is not a column of the import. The columns are ${IMPORT_COLUMNS.join(", ")}.`,
      });
    else if (index.has(name))
      problems.push({
        line: headerLine,
        message: `Line ${headerLine}: the column ${name} is there twice.`,
      });
    else index.set(name, i);
  });
  const missing = REQUIRED_COLUMNS.filter((column) => !index.has(column));
  if (missing.length)
    throw new Refusal(
      `The first line must name the columns: ${IMPORT_COLUMNS.join(", ")} (team and manages may be left out). Missing: ${missing.join(", ")}. Download the template to start from.`,
      422,
    );

  const rows: ImportRow[] = [];
  const firstLineOf = new Map<string, number>();
  for (const { record, info } of body) {
    // The parser counts to the record's last line; a quoted field may span several.
    const line = info.lines - record.reduce((n, field) => n + (field.match(/\n/g)?.length ?? 0), 0);
    const problemsBefore = problems.length;
    const report = (message: string) => problems.push({ line, message: `Line ${line}: ${message}` });
    if (record.length > names.length) {
      report(
        `it has ${record.length.toLocaleString("en-US")} fields, the header ${names.length}. Check the delimiter and the quotes on that line.`,
      );
      continue;
    }
    const cell = (column: Column) => {
      const i = index.get(column);
      return i === undefined ? "" : (record[i] ?? "").trim();
    };
    const formula = IMPORT_COLUMNS.find((column) => startsLikeFormula(cell(column)));
    if (formula) {
      report(
        `the ${formula} “${shown(cell(formula))}” starts with “${cell(formula)[0]}”, which a spreadsheet runs as a formula. Remove that sign and upload the file again.`,
      );
      continue;
    }
    const email = emailField.safeParse(cell("email"));
    const address = email.success ? email.data : cell("email").toLowerCase();
    if (!email.success || address.length > 254) problems.push(unusableAddress(line, cell("email")));
    else if (firstLineOf.has(address))
      report(`${address} is also on line ${firstLineOf.get(address)}: list each person once.`);
    else firstLineOf.set(address, line);

    const name = cell("name");
    if (!name) report("the name is missing.");
    else if (name.length > MAX_NAME) report(`the name is longer than ${MAX_NAME} characters.`);

    const roleNames = listOf(cell("roles").toLowerCase());
    const unknown = roleNames.filter((role) => !(ROLES as readonly string[]).includes(role));
    if (roleNames.length === 0) report(`no role: give at least one of ${ROLES.join(", ")}, separated by “;”.`);
    else if (unknown.length)
      report(`“${shown(unknown.join(";"))}” is not a role: use ${ROLES.join(", ")}, separated by “;”.`);
    const roles = roleNames as Role[];

    const team = index.has("team") ? listOf(cell("team")) : null;
    const manages = index.has("manages") ? listOf(cell("manages")) : null;
    const long = [...(team ?? []), ...(manages ?? [])].find((t) => t.length > MAX_TEAM_NAME);
    if (long) report(`the team name “${shown(long)}” is longer than ${MAX_TEAM_NAME} characters.`);
    if (team?.length && !roles.includes("rep"))
      report(
        `only reps are members of a team: add rep to the roles, or leave team empty (a manager's teams go under manages).`,
      );
    if (manages?.length && !roles.includes("manager"))
      report(`only managers manage a team: add manager to the roles, or leave manages empty.`);

    if (problems.length === problemsBefore) rows.push({ line, email: address, name, roles, team, manages });
  }
  return { hash: fileHash(bytes), rows, problems };
}
