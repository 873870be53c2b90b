CREATE TABLE `choice_tallies` (
	`org_id` text NOT NULL,
	`week` text NOT NULL,
	`lesson_id` text NOT NULL,
	`question_key` text NOT NULL,
	`lesson_version_id` text NOT NULL,
	`choice` text NOT NULL,
	`picks` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`org_id`, `week`, `lesson_id`, `question_key`, `lesson_version_id`, `choice`),
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`lesson_id`) REFERENCES `lessons`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`lesson_version_id`) REFERENCES `lesson_versions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `credit_tallies` (
	`org_id` text NOT NULL,
	`week` text NOT NULL,
	`lesson_id` text NOT NULL,
	`question_key` text NOT NULL,
	`lesson_version_id` text NOT NULL,
	`credit` integer NOT NULL,
	`answers` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`org_id`, `week`, `lesson_id`, `question_key`, `lesson_version_id`, `credit`),
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`lesson_id`) REFERENCES `lessons`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`lesson_version_id`) REFERENCES `lesson_versions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `question_tallies` (
	`org_id` text NOT NULL,
	`week` text NOT NULL,
	`lesson_id` text NOT NULL,
	`question_key` text NOT NULL,
	`lesson_version_id` text NOT NULL,
	`answers` integer DEFAULT 0 NOT NULL,
	`correct` integer DEFAULT 0 NOT NULL,
	`pairs` integer DEFAULT 0 NOT NULL,
	`right_pairs` integer DEFAULT 0 NOT NULL,
	`rest_sum` real DEFAULT 0 NOT NULL,
	`rest_squares` real DEFAULT 0 NOT NULL,
	`right_rest_sum` real DEFAULT 0 NOT NULL,
	PRIMARY KEY(`org_id`, `week`, `lesson_id`, `question_key`, `lesson_version_id`),
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`lesson_id`) REFERENCES `lessons`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`lesson_version_id`) REFERENCES `lesson_versions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `recall_tallies` (
	`org_id` text NOT NULL,
	`week` text NOT NULL,
	`lesson_id` text NOT NULL,
	`question_key` text NOT NULL,
	`after` integer NOT NULL,
	`answers` integer DEFAULT 0 NOT NULL,
	`correct` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`org_id`, `week`, `lesson_id`, `question_key`, `after`),
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`lesson_id`) REFERENCES `lessons`(`id`) ON UPDATE no action ON DELETE no action
);
