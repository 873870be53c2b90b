CREATE INDEX `boosts_user_day_finished` ON `boosts` (`user_id`,`day`,`org_id`,`finished_at`);--> statement-breakpoint
CREATE INDEX `daily_activity_user_day` ON `daily_activity` (`user_id`,`day`,`org_id`,`week`,`seconds_learned`);--> statement-breakpoint
CREATE INDEX `retention_snapshots_user_day` ON `retention_snapshots` (`user_id`,`day`,`org_id`,`skill`,`mean_retrievability`,`cards`,`at_risk`);