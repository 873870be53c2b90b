import type { ReactNode } from "react";
import { dayLabel } from "~/shared/date-formats";
import { ScrollArea } from "./scroll-area";

export type TableData = { title: string; columns: string[]; rows: Array<Array<string | number>> };

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A day in a table reads like every day on the page ("Mon, Nov 2"); the CSV keeps it as 2026-11-02. */
function shown(value: string | number, today: string): ReactNode {
  return typeof value === "string" && ISO_DAY.test(value) ? (
    <time dateTime={value}>{dayLabel(value, today)}</time>
  ) : (
    value
  );
}

/** A dashboard table with its CSV download (same scope and period as the page). */
export function DataTable({
  table,
  csvHref,
  today,
  hide = [],
  cell,
}: {
  table: TableData;
  csvHref: string;
  /** Columns left out on the page (the download keeps them). */
  hide?: string[];
  /** The organization's today, for the year of a day ("YYYY-MM-DD") shown in a cell. */
  today: string;
  /** A cell of its own (a link, a colour); undefined leaves the value as it is shown by default. */
  cell?: (value: string | number, row: number, column: number) => ReactNode | undefined;
}) {
  const shownColumns = table.columns.flatMap((c, i) => (hide.includes(c) ? [] : [i]));
  return (
    <div>
      <ScrollArea label={table.title}>
        <table className="w-full text-left text-sm">
          <caption className="sr-only">{table.title}</caption>
          <thead className="text-slate-600">
            <tr>
              {shownColumns.map((i) => (
                <th key={table.columns[i]} scope="col" className="whitespace-nowrap py-1.5 pr-3 font-medium">
                  {table.columns[i]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.length === 0 ? (
              <tr>
                <td colSpan={shownColumns.length} className="py-2 text-slate-600">
                  Nothing to show yet.
                </td>
              </tr>
            ) : null}
            {table.rows.map((row, r) => (
              <tr key={r} className="border-t border-slate-100">
                {shownColumns.map((c) => (
                  // Short values (names of teams, days, numbers) stay on one line; prose wraps.
                  <td key={c} className={`py-1.5 pr-3 ${String(row[c]).length <= 20 ? "whitespace-nowrap" : ""}`}>
                    {cell?.(row[c]!, r, c) ?? shown(row[c]!, today)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollArea>
      <a href={csvHref} className="mt-1 inline-block text-sm" download>
        Download CSV
      </a>
    </div>
  );
}

/**
 * A chart's table: the same numbers, closed until asked for ("Show table"). A <details>, so it
 * opens without JavaScript and screen readers find it; the download is inside with it.
 */
export function ChartTable(props: Parameters<typeof DataTable>[0]) {
  return (
    <details className="mt-2">
      <summary className="cursor-pointer text-sm font-medium text-brand-700">Show table</summary>
      <div className="mt-2">
        <DataTable {...props} />
      </div>
    </details>
  );
}

/** The short “how this is counted” under each metric. */
export function HowCounted({ children }: { children: ReactNode }) {
  return (
    <details className="mt-2 text-sm text-slate-600">
      <summary className="cursor-pointer">How this is counted</summary>
      <p className="mt-1">{children}</p>
    </details>
  );
}

/** A table whose first column names each row (a skill, a criterion): for the rep's own pages. */
export function RowTable({
  columns,
  rows,
}: {
  columns: string[];
  rows: Array<{ key: string; label: ReactNode; cells: ReactNode[] }>;
}) {
  return (
    <table className="w-full text-left text-sm">
      <thead className="text-slate-600">
        <tr>
          {columns.map((c) => (
            <th key={c} scope="col" className="py-2 pr-3">
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key} className="border-t border-slate-100">
            <th scope="row" className="py-2 pr-3 font-medium">
              {row.label}
            </th>
            {row.cells.map((cell, i) => (
              <td key={i} className="py-2 pr-3">
                {cell}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
