DROP INDEX `daily_activity_org_day`;--> statement-breakpoint
ALTER TABLE `daily_activity` ADD `week` text GENERATED ALWAYS AS (date("day", '-6 days', 'weekday 1')) VIRTUAL;--> statement-breakpoint
CREATE INDEX `daily_activity_org_week` ON `daily_activity` (`org_id`,`week`,`user_id`,`day`,`seconds_learned`);--> statement-breakpoint
DROP INDEX `boosts_org_day`;--> statement-breakpoint
CREATE INDEX `boosts_org_day` ON `boosts` (`org_id`,`day`,`user_id`,`finished_at`);--> statement-breakpoint
DROP INDEX `retention_snapshots_org_day`;--> statement-breakpoint
CREATE INDEX `retention_snapshots_org_day` ON `retention_snapshots` (`org_id`,`day`,`skill`,`user_id`,`mean_retrievability`,`cards`,`at_risk`);