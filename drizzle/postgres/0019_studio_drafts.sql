CREATE TABLE "lesson_drafts" (
	"lesson_id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"body" text NOT NULL,
	"frontmatter" jsonb NOT NULL,
	"base_version_id" text,
	"revision" integer NOT NULL,
	"published_revision" integer DEFAULT 0 NOT NULL,
	"updated_by" text,
	"updated_at" bigint NOT NULL,
	"preview_hash" text,
	"preview_code" text
);
--> statement-breakpoint
ALTER TABLE "lesson_versions" ADD COLUMN "author_id" text;--> statement-breakpoint
ALTER TABLE "lesson_drafts" ADD CONSTRAINT "lesson_drafts_lesson_id_lessons_id_fk" FOREIGN KEY ("lesson_id") REFERENCES "public"."lessons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lesson_drafts" ADD CONSTRAINT "lesson_drafts_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lesson_drafts" ADD CONSTRAINT "lesson_drafts_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "lesson_drafts_org" ON "lesson_drafts" USING btree ("org_id");--> statement-breakpoint
ALTER TABLE "lesson_versions" ADD CONSTRAINT "lesson_versions_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;