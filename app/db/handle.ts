// The types feature code is written against. Both engines' drizzle databases answer the same
// query-builder calls once awaited, so features are typed with drizzle's asynchronous SQLite
// database and run unchanged on PostgreSQL (decision 010 lists what they must not call).
import type { BaseSQLiteDatabase } from "drizzle-orm/sqlite-core";
import type * as schema from "./schema.sqlite";

type Schema = typeof schema;

/** A database handle: the shared database, or a transaction that is open on it. */
export type Handle = BaseSQLiteDatabase<"async", unknown, Schema>;

/** A handle that is an open transaction: what an atomic write asks for. */
export type Transaction = Handle & { readonly [inTransaction]: true };

declare const inTransaction: unique symbol;
