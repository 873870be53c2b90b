import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  schema: "./app/db/schema.sqlite.ts",
  out: "./drizzle/sqlite",
  dbCredentials: { url: process.env.DATABASE_PATH ?? "./data/flywheel.db" },
});
