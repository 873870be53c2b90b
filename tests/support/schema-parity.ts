// Compares the SQLite and PostgreSQL schema modules through drizzle's own table configs, so it sees
// what drizzle-kit would migrate: tables, columns, primary keys, indexes and foreign keys. Pure:
// two modules and an allow-list in, readable differences out.
import { getTableColumns, getTableName, is, SQL, type Column, type Table } from "drizzle-orm";
import { getTableConfig as getPgTableConfig, PgDialect, PgTable } from "drizzle-orm/pg-core";
import { getTableConfig as getSQLiteTableConfig, SQLiteSyncDialect, SQLiteTable } from "drizzle-orm/sqlite-core";

/** The PostgreSQL column type each SQLite column type must become (the mapping in schema.pg.ts's header). */
export const PG_TYPE_FOR_SQLITE_TYPE: Readonly<Record<string, string>> = {
  SQLiteText: "PgText",
  SQLiteInteger: "PgInteger",
  // Only milliseconds: a seconds timestamp in SQLite would not hold the numbers the bigint holds.
  "SQLiteTimestamp:timestamp_ms": "PgCustomColumn:bigint",
  SQLiteBoolean: "PgBoolean",
  SQLiteReal: "PgDoublePrecision",
  SQLiteTextJson: "PgJsonb",
  SQLiteBlobBuffer: "PgCustomColumn:bytea",
};

const COLUMN_PROPERTIES = [
  "property name",
  "type",
  "notNull",
  "primary",
  "unique",
  "hasDefault",
  "default",
  "generated",
  "enum",
] as const;
type ColumnProperty = (typeof COLUMN_PROPERTIES)[number];

/** A difference the two schemas are meant to have: the exact value on each side, and why. */
export type AllowedDifference = {
  /** As the difference names it: "default", "generated", "primary key", "index users_org", … */
  property: string;
  /** The `table.column`s it applies to; any column when left out. */
  columns?: string[];
  sqlite: string;
  pg: string;
  reason: string;
};

// One table in a shape both dialects share, every value a string ready to compare and print.
type TableShape = {
  name: string;
  columns: Map<string, Record<ColumnProperty, string>>;
  primaryKey: string;
  indexes: Map<string, string>;
  foreignKeys: Map<string, string>;
};

type Dialect = { sqlToQuery(sql: SQL): { sql: string; params: unknown[] } };
// What the two dialects' getTableConfig results have in common, as far as describeTable reads them.
type TableConfig = {
  name: string;
  indexes: { config: { name?: string; unique: boolean; columns: unknown[]; where?: SQL } }[];
  foreignKeys: (ReturnType<typeof getSQLiteTableConfig> | ReturnType<typeof getPgTableConfig>)["foreignKeys"];
  primaryKeys: { columns: Column[] }[];
};

const list = (names: string[]) => `(${names.join(", ")})`;

function sqlText(value: SQL, dialect: Dialect) {
  const query = dialect.sqlToQuery(value);
  return query.params.length ? `${query.sql} ${JSON.stringify(query.params)}` : query.sql;
}

function valueText(value: unknown, dialect: Dialect) {
  if (is(value, SQL)) return `sql ${sqlText(value, dialect)}`;
  if (value instanceof Date) return `Date ${value.getTime()}`;
  return JSON.stringify(value);
}

function defaultText(column: Column, dialect: Dialect) {
  if (column.defaultFn) return "(runtime function)";
  return column.default === undefined ? "none" : valueText(column.default, dialect);
}

// The generation mode is left out: PostgreSQL 15 has only stored generated columns, SQLite both.
function generatedText(column: Column, dialect: Dialect) {
  const generated = column.generated;
  if (!generated) return "no";
  const as = typeof generated.as === "function" ? generated.as() : generated.as;
  return `${generated.type} as ${is(as, SQL) ? sqlText(as, dialect) : valueText(as, dialect)}`;
}

function sqliteType(column: Column) {
  return column.columnType === "SQLiteTimestamp"
    ? `SQLiteTimestamp:${(column as Column & { mode: string }).mode}`
    : column.columnType;
}

function pgType(column: Column) {
  return column.columnType === "PgCustomColumn"
    ? `PgCustomColumn:${(column as Column & { getSQLType(): string }).getSQLType()}`
    : column.columnType;
}

function describeTable(
  table: Table,
  config: TableConfig,
  dialect: Dialect,
  typeOf: (column: Column) => string,
): TableShape {
  const columns = new Map<string, Record<ColumnProperty, string>>();
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    columns.set(column.name, {
      "property name": key,
      type: typeOf(column),
      notNull: String(column.notNull),
      primary: String(column.primary),
      unique: String(column.isUnique),
      hasDefault: String(column.hasDefault),
      default: defaultText(column, dialect),
      generated: generatedText(column, dialect),
      enum: column.enumValues ? JSON.stringify(column.enumValues) : "none",
    });
  }
  const columnName = (column: unknown) =>
    is(column, SQL) ? sqlText(column, dialect) : (column as { name: string }).name;
  const indexes = new Map<string, string>();
  for (const { config: index } of config.indexes) {
    const where = index.where ? ` where ${sqlText(index.where, dialect)}` : "";
    indexes.set(
      index.name ?? "(unnamed)",
      `${index.unique ? "unique " : ""}${list(index.columns.map(columnName))}${where}`,
    );
  }
  const foreignKeys = new Map<string, string>();
  for (const foreignKey of config.foreignKeys) {
    const reference = foreignKey.reference();
    const target = `${getTableName(reference.foreignTable)}${list(reference.foreignColumns.map(columnName))}`;
    // SQLite leaves an action unset where PostgreSQL says "no action": the same thing.
    const actions = `on delete ${foreignKey.onDelete ?? "no action"} on update ${foreignKey.onUpdate ?? "no action"}`;
    foreignKeys.set(list(reference.columns.map(columnName)), `→ ${target} ${actions}`);
  }
  const primaryKey = config.primaryKeys.map((key) => list(key.columns.map(columnName))).join(", ") || "none";
  return { name: config.name, columns, primaryKey, indexes, foreignKeys };
}

function tablesIn<T>(module: Record<string, unknown>, kind: abstract new (...args: never[]) => T) {
  return new Map(Object.entries(module).filter((entry): entry is [string, T] => is(entry[1], kind as never)));
}

/**
 * Every way the PostgreSQL schema module departs from the SQLite one, except the allowed differences;
 * an allowed difference that no longer occurs is reported too, so the allow-list cannot go stale.
 */
export function schemaDifferences(
  sqliteModule: Record<string, unknown>,
  pgModule: Record<string, unknown>,
  allowed: AllowedDifference[],
): string[] {
  const differences: string[] = [];
  const used = new Set<AllowedDifference>();
  const differ = (where: string, property: string, sqlite: string, pg: string) => {
    const allowance = allowed.find(
      (entry) =>
        entry.property === property &&
        entry.sqlite === sqlite &&
        entry.pg === pg &&
        (!entry.columns || entry.columns.includes(where)),
    );
    if (allowance) used.add(allowance);
    else differences.push(`${where}: ${property} differs (SQLite: ${sqlite}; PostgreSQL: ${pg})`);
  };
  const compareEntries = (where: string, what: string, sqlite: Map<string, string>, pg: Map<string, string>) => {
    for (const [key, value] of sqlite) {
      const pgValue = pg.get(key);
      if (pgValue === undefined) differences.push(`${where}: ${what} ${key} missing in PostgreSQL`);
      else if (pgValue !== value) differ(where, `${what} ${key}`, value, pgValue);
    }
    for (const key of pg.keys()) if (!sqlite.has(key)) differences.push(`${where}: ${what} ${key} missing in SQLite`);
  };

  const sqliteTables = tablesIn(sqliteModule, SQLiteTable);
  const pgTables = tablesIn(pgModule, PgTable);
  for (const exportName of pgTables.keys())
    if (!sqliteTables.has(exportName)) differences.push(`${exportName}: table missing in SQLite`);

  for (const [exportName, sqliteTable] of sqliteTables) {
    const pgTable = pgTables.get(exportName);
    if (!pgTable) {
      differences.push(`${exportName}: table missing in PostgreSQL`);
      continue;
    }
    const sqlite = describeTable(sqliteTable, getSQLiteTableConfig(sqliteTable), new SQLiteSyncDialect(), sqliteType);
    const pg = describeTable(pgTable, getPgTableConfig(pgTable), new PgDialect(), pgType);
    if (sqlite.name !== pg.name) differ(exportName, "table name", sqlite.name, pg.name);
    const table = sqlite.name;

    for (const [name, sqliteColumn] of sqlite.columns) {
      const pgColumn = pg.columns.get(name);
      if (!pgColumn) {
        differences.push(`${table}.${name}: column missing in PostgreSQL`);
        continue;
      }
      for (const property of COLUMN_PROPERTIES) {
        const [sqliteValue, pgValue] = [sqliteColumn[property], pgColumn[property]];
        if (property === "type") {
          const expected = PG_TYPE_FOR_SQLITE_TYPE[sqliteValue];
          if (expected !== pgValue)
            differ(`${table}.${name}`, property, `${sqliteValue} → ${expected ?? "no mapping"}`, pgValue);
        } else if (sqliteValue !== pgValue) {
          differ(`${table}.${name}`, property, sqliteValue, pgValue);
        }
      }
    }
    for (const name of pg.columns.keys())
      if (!sqlite.columns.has(name)) differences.push(`${table}.${name}: column missing in SQLite`);

    if (sqlite.primaryKey !== pg.primaryKey) differ(table, "primary key", sqlite.primaryKey, pg.primaryKey);
    compareEntries(table, "index", sqlite.indexes, pg.indexes);
    compareEntries(table, "foreign key", sqlite.foreignKeys, pg.foreignKeys);
  }

  for (const entry of allowed)
    if (!used.has(entry)) differences.push(`allowed difference no longer occurs: ${entry.property} (${entry.reason})`);
  return differences;
}
