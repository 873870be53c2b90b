CREATE TABLE `assignment_reps` (
	`assignment_id` text NOT NULL,
	`user_id` text NOT NULL,
	`org_id` text NOT NULL,
	PRIMARY KEY(`assignment_id`, `user_id`),
	FOREIGN KEY (`assignment_id`) REFERENCES `assignments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `assignment_reps_user` ON `assignment_reps` (`user_id`);--> statement-breakpoint
CREATE TABLE `assignments` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`created_by` text NOT NULL,
	`kind` text NOT NULL,
	`target_id` text NOT NULL,
	`roleplay_key` text,
	`title` text NOT NULL,
	`team_id` text,
	`due_day` text NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`created_at` integer NOT NULL,
	`cancelled_at` integer,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `assignments_org` ON `assignments` (`org_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `assignments_team` ON `assignments` (`team_id`);--> statement-breakpoint
CREATE TABLE `retention_snapshots` (
	`org_id` text NOT NULL,
	`user_id` text NOT NULL,
	`skill` text NOT NULL,
	`day` text NOT NULL,
	`cards` integer NOT NULL,
	`mean_retrievability` real NOT NULL,
	`at_risk` integer NOT NULL,
	`mastered` integer NOT NULL,
	PRIMARY KEY(`user_id`, `skill`, `day`),
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `retention_snapshots_org_day` ON `retention_snapshots` (`org_id`,`day`);