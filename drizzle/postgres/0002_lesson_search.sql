-- Full-text search over each lesson's current version: PostgreSQL's counterpart of SQLite's FTS5
-- table (drizzle/sqlite/0002_lesson_search.sql). Title words weigh most (A), then the summary
-- (B), then the body (D), as bm25's 8/4/1 column weights do there. Written by hand; the content
-- sync keeps it up to date through app/db/dialect.ts.
CREATE TABLE "lesson_search" (
  "lesson_id" text NOT NULL,
  "owner" text NOT NULL,
  "title" text NOT NULL,
  "summary" text NOT NULL,
  "body" text NOT NULL,
  "document" tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', "title"), 'A') ||
    setweight(to_tsvector('english', "summary"), 'B') ||
    setweight(to_tsvector('english', "body"), 'D')
  ) STORED
);--> statement-breakpoint
CREATE INDEX "lesson_search_document" ON "lesson_search" USING gin ("document");--> statement-breakpoint
CREATE INDEX "lesson_search_lesson" ON "lesson_search" ("lesson_id");
