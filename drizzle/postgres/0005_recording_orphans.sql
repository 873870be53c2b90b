DROP INDEX "recordings_submission";--> statement-breakpoint
CREATE INDEX "recordings_submission" ON "recordings" USING btree ("submission_id","created_at");