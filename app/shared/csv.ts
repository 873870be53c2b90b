// CSV as Flywheel writes it (downloads) and the one rule for text a spreadsheet would run as a
// formula, which imports refuse and exports defuse.

/** A cell a spreadsheet would read as a formula (=, +, -, @, or a tab or carriage return first). */
export function startsLikeFormula(text: string): boolean {
  return /^[=+\-@\t\r]/.test(text);
}

/** One cell: text that would run as a formula gets a leading ', and what needs quoting is quoted. */
export function csvCell(value: string | number | null): string {
  if (value === null) return "";
  const text = String(value);
  const safe = typeof value === "string" && startsLikeFormula(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Rows as CSV text: comma-separated, CRLF line ends (RFC 4180). */
export function toCsvText(rows: ReadonlyArray<ReadonlyArray<string | number | null>>): string {
  return rows.map((row) => row.map(csvCell).join(",")).join("\r\n") + "\r\n";
}
