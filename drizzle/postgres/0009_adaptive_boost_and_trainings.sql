CREATE TABLE "parameter_trainings" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"claim" text NOT NULL,
	"requested_by" text,
	"requested_at" bigint NOT NULL,
	"started_at" bigint,
	"finished_at" bigint,
	"status" text NOT NULL,
	"reviews" integer,
	"reps" integer,
	"test_reviews" integer,
	"current_log_loss" double precision,
	"current_rmse" double precision,
	"trained_log_loss" double precision,
	"trained_rmse" double precision,
	"parameters" jsonb,
	"reason" text,
	"cards_rescheduled" integer
);
--> statement-breakpoint
DROP INDEX "retention_snapshots_org_day";--> statement-breakpoint
ALTER TABLE "boosts" ADD COLUMN "last_answer_at" bigint;--> statement-breakpoint
ALTER TABLE "boosts" ADD COLUMN "answering_ms" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "boosts" ADD COLUMN "timed_answers" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "boost_minutes" integer DEFAULT 3 NOT NULL;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "fsrs_parameters" jsonb;--> statement-breakpoint
ALTER TABLE "retention_snapshots" ADD COLUMN "forecast_retrievability" double precision;--> statement-breakpoint
ALTER TABLE "parameter_trainings" ADD CONSTRAINT "parameter_trainings_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parameter_trainings" ADD CONSTRAINT "parameter_trainings_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "parameter_trainings_org_claim" ON "parameter_trainings" USING btree ("org_id","claim");--> statement-breakpoint
CREATE INDEX "parameter_trainings_org_requested" ON "parameter_trainings" USING btree ("org_id","requested_at");--> statement-breakpoint
CREATE INDEX "parameter_trainings_status" ON "parameter_trainings" USING btree ("status","requested_at");--> statement-breakpoint
CREATE INDEX "retention_snapshots_org_day" ON "retention_snapshots" USING btree ("org_id","day","skill","user_id","mean_retrievability","cards","at_risk","forecast_retrievability");