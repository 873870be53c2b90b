// The data layer's own errors, the same on both engines.

/** A query ran on the wrong handle: the shared one inside a transaction, or a transaction's after it ended. */
export class TransactionMisuse extends Error {}

/** The database server cannot be reached (PostgreSQL); pages answer 503. */
export class DatabaseUnavailable extends Error {}
