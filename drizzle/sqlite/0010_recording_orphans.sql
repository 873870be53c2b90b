DROP INDEX `recordings_submission`;--> statement-breakpoint
CREATE INDEX `recordings_submission` ON `recordings` (`submission_id`,`created_at`);