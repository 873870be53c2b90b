CREATE TABLE `lesson_progress` (
	`org_id` text NOT NULL,
	`user_id` text NOT NULL,
	`lesson_id` text NOT NULL,
	`started_version_id` text NOT NULL,
	`started_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`reached_end_at` integer,
	`completed_at` integer,
	`seconds_spent` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`user_id`, `lesson_id`),
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`lesson_id`) REFERENCES `lessons`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `lesson_progress_org_user` ON `lesson_progress` (`org_id`,`user_id`);--> statement-breakpoint
CREATE TABLE `lesson_versions` (
	`id` text PRIMARY KEY NOT NULL,
	`lesson_id` text NOT NULL,
	`hash` text NOT NULL,
	`source` text NOT NULL,
	`code` text NOT NULL,
	`frontmatter` text NOT NULL,
	`body_text` text NOT NULL,
	`key_points` text NOT NULL,
	`word_count` integer NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`lesson_id`) REFERENCES `lessons`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `lesson_versions_lesson_hash` ON `lesson_versions` (`lesson_id`,`hash`);--> statement-breakpoint
CREATE TABLE `lessons` (
	`id` text PRIMARY KEY NOT NULL,
	`module_id` text NOT NULL,
	`owner` text NOT NULL,
	`slug` text NOT NULL,
	`position` integer NOT NULL,
	`title` text NOT NULL,
	`summary` text NOT NULL,
	`objective` text NOT NULL,
	`skill` text NOT NULL,
	`stages` text NOT NULL,
	`minutes` integer NOT NULL,
	`level` text NOT NULL,
	`tags` text NOT NULL,
	`current_version_id` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	`archived_at` integer,
	FOREIGN KEY (`module_id`) REFERENCES `modules`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `lessons_module_slug` ON `lessons` (`module_id`,`slug`);--> statement-breakpoint
CREATE INDEX `lessons_owner` ON `lessons` (`owner`);--> statement-breakpoint
CREATE TABLE `modules` (
	`id` text PRIMARY KEY NOT NULL,
	`owner` text NOT NULL,
	`slug` text NOT NULL,
	`title` text NOT NULL,
	`summary` text NOT NULL,
	`skill` text NOT NULL,
	`position` integer NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	`archived_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `modules_owner_slug` ON `modules` (`owner`,`slug`);--> statement-breakpoint
CREATE TABLE `questions` (
	`id` text PRIMARY KEY NOT NULL,
	`lesson_version_id` text NOT NULL,
	`lesson_id` text NOT NULL,
	`key` text NOT NULL,
	`kind` text NOT NULL,
	`prompt` text NOT NULL,
	`choices` text NOT NULL,
	`position` integer NOT NULL,
	FOREIGN KEY (`lesson_version_id`) REFERENCES `lesson_versions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`lesson_id`) REFERENCES `lessons`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `questions_version_key` ON `questions` (`lesson_version_id`,`key`);--> statement-breakpoint
CREATE INDEX `questions_lesson_key` ON `questions` (`lesson_id`,`key`);--> statement-breakpoint
CREATE TABLE `roleplays` (
	`id` text PRIMARY KEY NOT NULL,
	`lesson_version_id` text NOT NULL,
	`lesson_id` text NOT NULL,
	`key` text NOT NULL,
	`mode` text NOT NULL,
	`title` text NOT NULL,
	`persona` text NOT NULL,
	`situation` text NOT NULL,
	`goal` text NOT NULL,
	`turns` text NOT NULL,
	`rubric` text NOT NULL,
	FOREIGN KEY (`lesson_version_id`) REFERENCES `lesson_versions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`lesson_id`) REFERENCES `lessons`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `roleplays_version_key` ON `roleplays` (`lesson_version_id`,`key`);--> statement-breakpoint
CREATE INDEX `roleplays_lesson_key` ON `roleplays` (`lesson_id`,`key`);