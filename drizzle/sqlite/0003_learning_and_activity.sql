CREATE TABLE `attempts` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`user_id` text NOT NULL,
	`question_id` text NOT NULL,
	`lesson_id` text NOT NULL,
	`lesson_version_id` text NOT NULL,
	`question_key` text NOT NULL,
	`chosen` text NOT NULL,
	`correct` integer NOT NULL,
	`score` real NOT NULL,
	`first` integer NOT NULL,
	`context` text NOT NULL,
	`submission_id` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`question_id`) REFERENCES `questions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`lesson_id`) REFERENCES `lessons`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`lesson_version_id`) REFERENCES `lesson_versions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `attempts_user_submission` ON `attempts` (`user_id`,`submission_id`);--> statement-breakpoint
CREATE INDEX `attempts_user_lesson_key` ON `attempts` (`user_id`,`lesson_id`,`question_key`);--> statement-breakpoint
CREATE INDEX `attempts_org_created` ON `attempts` (`org_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `daily_activity` (
	`org_id` text NOT NULL,
	`user_id` text NOT NULL,
	`day` text NOT NULL,
	`statements` integer DEFAULT 0 NOT NULL,
	`lessons_opened` integer DEFAULT 0 NOT NULL,
	`lessons_completed` integer DEFAULT 0 NOT NULL,
	`modules_completed` integer DEFAULT 0 NOT NULL,
	`questions_answered` integer DEFAULT 0 NOT NULL,
	`questions_correct` integer DEFAULT 0 NOT NULL,
	`seconds_learned` integer DEFAULT 0 NOT NULL,
	`boosts_completed` integer DEFAULT 0 NOT NULL,
	`roleplays_submitted` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`user_id`, `day`),
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `daily_activity_org_day` ON `daily_activity` (`org_id`,`day`);--> statement-breakpoint
CREATE TABLE `module_completions` (
	`org_id` text NOT NULL,
	`user_id` text NOT NULL,
	`module_id` text NOT NULL,
	`completed_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `module_id`),
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`module_id`) REFERENCES `modules`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `statements` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`actor_id` text NOT NULL,
	`verb` text NOT NULL,
	`object_type` text NOT NULL,
	`object_id` text NOT NULL,
	`object_name` text NOT NULL,
	`result_score` real,
	`result_success` integer,
	`result_duration_ms` integer,
	`team_id` text,
	`context` text,
	`timestamp` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`actor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `statements_org_time` ON `statements` (`org_id`,`timestamp`);--> statement-breakpoint
CREATE INDEX `statements_actor_time` ON `statements` (`actor_id`,`timestamp`);