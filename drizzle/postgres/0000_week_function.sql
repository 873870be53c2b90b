-- The Monday of a 'YYYY-MM-DD' day's ISO week, as 'YYYY-MM-DD' text: what SQLite's
-- date(day, '-6 days', 'weekday 1') gives. daily_activity.week is generated from it, and a
-- generated column may only call immutable functions; to_date and to_char with fixed formats
-- do not depend on any setting, so the function is declared immutable. Written by hand
-- (drizzle-kit cannot describe functions), before the tables that use it.
CREATE FUNCTION flywheel_week_of(day text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT to_char(to_date(day, 'YYYY-MM-DD') - (extract(isodow FROM to_date(day, 'YYYY-MM-DD'))::int - 1), 'YYYY-MM-DD') $$;
