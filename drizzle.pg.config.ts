import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: "./app/db/schema.pg.ts",
  out: "./drizzle/postgres",
  dbCredentials: { url: process.env.DATABASE_URL ?? "postgres://localhost/flywheel" },
});
