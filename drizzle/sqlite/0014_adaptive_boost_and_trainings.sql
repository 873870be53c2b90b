CREATE TABLE `parameter_trainings` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`claim` text NOT NULL,
	`requested_by` text,
	`requested_at` integer NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	`status` text NOT NULL,
	`reviews` integer,
	`reps` integer,
	`test_reviews` integer,
	`current_log_loss` real,
	`current_rmse` real,
	`trained_log_loss` real,
	`trained_rmse` real,
	`parameters` text,
	`reason` text,
	`cards_rescheduled` integer,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`requested_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `parameter_trainings_org_claim` ON `parameter_trainings` (`org_id`,`claim`);--> statement-breakpoint
CREATE INDEX `parameter_trainings_org_requested` ON `parameter_trainings` (`org_id`,`requested_at`);--> statement-breakpoint
CREATE INDEX `parameter_trainings_status` ON `parameter_trainings` (`status`,`requested_at`);--> statement-breakpoint
DROP INDEX `retention_snapshots_org_day`;--> statement-breakpoint
ALTER TABLE `retention_snapshots` ADD `forecast_retrievability` real;--> statement-breakpoint
CREATE INDEX `retention_snapshots_org_day` ON `retention_snapshots` (`org_id`,`day`,`skill`,`user_id`,`mean_retrievability`,`cards`,`at_risk`,`forecast_retrievability`);--> statement-breakpoint
ALTER TABLE `boosts` ADD `last_answer_at` integer;--> statement-breakpoint
ALTER TABLE `boosts` ADD `answering_ms` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `boosts` ADD `timed_answers` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `organizations` ADD `boost_minutes` integer DEFAULT 3 NOT NULL;--> statement-breakpoint
ALTER TABLE `organizations` ADD `fsrs_parameters` text;