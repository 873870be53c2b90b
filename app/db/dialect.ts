// Every piece of SQL that differs between SQLite and PostgreSQL, in one place. Feature code
// builds its queries from these and never asks which engine it runs on.
import { sql, type AnyColumn, type SQL, type SQLWrapper } from "drizzle-orm";
import { ENGINE } from "./engine";

const pg = ENGINE === "postgres";

/**
 * A placeholder for a prepared query whose value is already in the driver's form (a time as
 * milliseconds, a boolean as 0/1, JSON as text). It skips the column's encoder, which would
 * store a null boolean as 0 and a null JSON value as the text "null". PostgreSQL reads 0/1 and
 * JSON text into boolean and jsonb columns itself.
 */
export const driverParam = (name: string) => sql`${sql.placeholder(name)}`;

/**
 * `column` is one of a list passed to a prepared query as a JSON array (`JSON.stringify(ids)`):
 * the SQL text stays the same whatever the list's length. On PostgreSQL the list becomes an
 * array first (`= any(array(…))`), so the planner probes the column's index for each value; an
 * `in (select …)` over the JSON had it guess a hundred rows and scan the table.
 */
export const inJsonList = (column: SQLWrapper, name: string) =>
  pg
    ? sql`${column} = any(array(select jsonb_array_elements_text(cast(${sql.placeholder(name)} as jsonb))))`
    : sql`${column} in (select value from json_each(${sql.placeholder(name)}))`;

/** `column` is one of `list`, sent as one JSON array parameter (inJsonList, for a query built on the spot). */
export const inList = (column: SQLWrapper, list: readonly string[]) =>
  pg
    ? sql`${column} = any(array(select jsonb_array_elements_text(cast(${JSON.stringify(list)} as jsonb))))`
    : sql`${column} in (select value from json_each(${JSON.stringify(list)}))`;

/**
 * A list passed as one JSON array parameter, read as a table of one column, `value`: for one
 * query that looks something up per item (`select value, (select … where id = value) from …`).
 */
export const jsonListTable = (list: readonly string[]) =>
  pg
    ? sql`jsonb_array_elements_text(cast(${JSON.stringify(list)} as jsonb)) as list(value)`
    : sql`json_each(${JSON.stringify(list)})`;

/**
 * A column written so that SQLite will not pick its index (`+column`): where a query should be
 * driven by another, more selective key (decision 008). PostgreSQL's planner needs no hint.
 */
export const withoutIndex = (column: SQLWrapper) => (pg ? sql`${column}` : sql`+${column}`);

/**
 * A list of records passed as one JSON array parameter, read as a table named `alias` with typed
 * columns: for a bulk `update … from` (both engines have it) of many rows in one statement.
 */
export function jsonRecords(
  list: ReadonlyArray<Record<string, string | number | null>>,
  columns: Record<string, "text" | "bigint" | "integer" | "real">,
  alias: string,
): SQL {
  const json = JSON.stringify(list);
  const names = Object.entries(columns);
  if (pg) {
    const types = { text: "text", bigint: "bigint", integer: "integer", real: "double precision" } as const;
    const definition = names.map(([name, type]) => `${name} ${types[type]}`).join(", ");
    return sql`jsonb_to_recordset(cast(${json} as jsonb)) as ${sql.raw(`${alias}(${definition})`)}`;
  }
  const picks = names.map(([name]) => `json_extract(value, '$.${name}') as ${name}`).join(", ");
  return sql`(select ${sql.raw(picks)} from json_each(${json})) as ${sql.raw(alias)}`;
}

/**
 * What ends a `select` of queue rows that a worker is about to claim: on PostgreSQL the rows are
 * locked, and rows another transaction holds are skipped rather than waited for, so workers on
 * several servers claim different rows. SQLite has one writer at a time: the claiming `update`
 * itself is the lock, and nothing needs adding.
 */
export const skipLockedRows = () => (pg ? sql` for update skip locked` : sql``);

/** The larger of two numbers (SQLite's two-argument max). */
export const greatest = (a: SQLWrapper | number, b: SQLWrapper | number) =>
  pg ? sql`greatest(${a}, ${b})` : sql`max(${a}, ${b})`;

/** The smaller of two numbers. */
export const least = (a: SQLWrapper | number, b: SQLWrapper | number) =>
  pg ? sql`least(${a}, ${b})` : sql`min(${a}, ${b})`;

/** a raised to the power b, as a floating-point number. */
export const power = (a: SQLWrapper, b: SQLWrapper | number) =>
  pg ? sql`power(cast(${a} as double precision), ${b})` : sql`pow(${a}, ${b})`;

/** Whole days from `from` to `to`, both 'YYYY-MM-DD' texts (column or parameter). */
export const daysBetween = (from: SQLWrapper, to: SQLWrapper) =>
  pg
    ? sql<number>`(cast(${to} as date) - cast(${from} as date))`
    : sql<number>`cast(julianday(${to}) - julianday(${from}) as integer)`;

/** The values of a column joined with commas (no particular order). */
export const commaList = (column: AnyColumn | SQL) =>
  pg ? sql<string | null>`string_agg(${column}, ',')` : sql<string | null>`group_concat(${column})`;

/** A count of rows as a number on both engines. */
export const countRows = () => sql<number>`count(*)`.mapWith(Number);

/** 1 where a boolean expression holds, else 0: for sums and averages of yes/no columns. */
export const oneIf = (condition: SQLWrapper) => sql<number>`(case when ${condition} then 1 else 0 end)`;

// ---------------------------------------------------------------------------- full-text search

/** What highlighted words are wrapped in, in titles and snippets (the page turns them into <mark>). */
export type Marks = { start: string; end: string };

/**
 * Lessons matching a search, best first: any of the words, stemmed (English), the last may be a
 * prefix (of three letters or more); a lesson with more of the words ranks higher, and title
 * words weigh most, then the summary, then the body (FTS5's bm25
 * on SQLite, ts_rank with the same proportions on PostgreSQL). On SQLite a title that holds one of
 * the words comes first: bm25 weighs a word by its rarity, and one found in more than half the
 * lessons ("price") weighs almost nothing, even in a title. Each hit has its title and a
 * short snippet of the body with the matched words marked. `words` are letters and digits only.
 */
export function lessonSearch(words: string[], owners: string[], marks: Marks, limit: number): SQL {
  const ownerList = JSON.stringify(owners);
  const prefix = (word: string, i: number) => i === words.length - 1 && word.length >= 3;
  if (pg) {
    // Any of the words, stemmed ("objections" finds "objection"); lessons with more of them rank first.
    const query = sql`to_tsquery('english', ${words.map((w, i) => (prefix(w, i) ? `${w}:*` : w)).join(" | ")})`;
    const titleOptions = `StartSel=${marks.start}, StopSel=${marks.end}, HighlightAll=true`;
    const snippetOptions = `StartSel=${marks.start}, StopSel=${marks.end}, MaxWords=24, MinWords=8, MaxFragments=1, FragmentDelimiter=…`;
    return sql`
      select lesson_id as "lessonId",
             ts_headline('english', title, ${query}, ${titleOptions}) as title,
             ts_headline('english', body, ${query}, ${snippetOptions}) as snippet
      from lesson_search
      where document @@ ${query}
        and owner in (select jsonb_array_elements_text(cast(${ownerList} as jsonb)))
      order by ts_rank('{0.125, 0, 0.5, 1}', document, ${query}) desc, lesson_id
      limit ${limit}`;
  }
  const match = words.map((w, i) => `"${w}"${prefix(w, i) ? "*" : ""}`).join(" OR ");
  return sql`
    select lesson_id as lessonId,
           highlight(lesson_search, 2, ${marks.start}, ${marks.end}) as title,
           snippet(lesson_search, -1, ${marks.start}, ${marks.end}, '…', 24) as snippet
    from lesson_search
    where lesson_search match ${match}
      and owner in (select value from json_each(${ownerList}))
    order by instr(highlight(lesson_search, 2, ${marks.start}, ${marks.end}), ${marks.start}) = 0,
             bm25(lesson_search, 0, 0, 8, 4, 1), lesson_id
    limit ${limit}`;
}

/** The statements that put one lesson's current text into the search index. */
export function indexLessonText(lesson: {
  lessonId: string;
  owner: string;
  title: string;
  summary: string;
  body: string;
}): SQL[] {
  return [
    sql`delete from lesson_search where lesson_id = ${lesson.lessonId}`,
    sql`insert into lesson_search (lesson_id, owner, title, summary, body)
        values (${lesson.lessonId}, ${lesson.owner}, ${lesson.title}, ${lesson.summary}, ${lesson.body})`,
  ];
}

/** The statement that takes lessons out of the search index. */
export function unindexLessons(lessonIds: string[]): SQL {
  return pg
    ? sql`delete from lesson_search where lesson_id in (select jsonb_array_elements_text(cast(${JSON.stringify(lessonIds)} as jsonb)))`
    : sql`delete from lesson_search where lesson_id in (select value from json_each(${JSON.stringify(lessonIds)}))`;
}
