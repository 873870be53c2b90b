// Which database engine this process runs on: DATABASE_URL=postgres://… selects PostgreSQL,
// anything else (or nothing) the SQLite file. Read once, at start: every module agrees.
export type EngineName = "sqlite" | "postgres";

export function engineFromUrl(url: string | undefined): EngineName {
  return url && /^postgres(ql)?:\/\//.test(url) ? "postgres" : "sqlite";
}

export const ENGINE: EngineName = engineFromUrl(process.env.DATABASE_URL);
