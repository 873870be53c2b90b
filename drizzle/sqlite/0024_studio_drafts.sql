CREATE TABLE `lesson_drafts` (
	`lesson_id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`body` text NOT NULL,
	`frontmatter` text NOT NULL,
	`base_version_id` text,
	`revision` integer NOT NULL,
	`published_revision` integer DEFAULT 0 NOT NULL,
	`updated_by` text,
	`updated_at` integer NOT NULL,
	`preview_hash` text,
	`preview_code` text,
	FOREIGN KEY (`lesson_id`) REFERENCES `lessons`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `lesson_drafts_org` ON `lesson_drafts` (`org_id`);--> statement-breakpoint
ALTER TABLE `lesson_versions` ADD `author_id` text REFERENCES users(id);