-- Decision 023: the boost's cards setting becomes minutes. An organization keeps at least the
-- capacity it chose at the default pace of 20 s a question, and never less than the new default
-- of 3 minutes (the old card counts were set under the promise of a 3-minute boost).
UPDATE `organizations` SET `boost_minutes` = max(3, (`boost_size` * 20 + 59) / 60);--> statement-breakpoint
ALTER TABLE `organizations` DROP COLUMN `boost_size`;
