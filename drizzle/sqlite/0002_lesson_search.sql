-- Full-text search over each lesson's current version (drizzle-kit cannot describe FTS5
-- tables, so this migration is written by hand; the content sync keeps it up to date).
CREATE VIRTUAL TABLE `lesson_search` USING fts5(
  lesson_id UNINDEXED,
  owner UNINDEXED,
  title,
  summary,
  body,
  tokenize = 'porter unicode61 remove_diacritics 2'
);
