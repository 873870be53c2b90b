CREATE TABLE "choice_tallies" (
	"org_id" text NOT NULL,
	"week" text NOT NULL,
	"lesson_id" text NOT NULL,
	"question_key" text NOT NULL,
	"lesson_version_id" text NOT NULL,
	"choice" text NOT NULL,
	"picks" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "choice_tallies_org_id_week_lesson_id_question_key_lesson_version_id_choice_pk" PRIMARY KEY("org_id","week","lesson_id","question_key","lesson_version_id","choice")
);
--> statement-breakpoint
CREATE TABLE "credit_tallies" (
	"org_id" text NOT NULL,
	"week" text NOT NULL,
	"lesson_id" text NOT NULL,
	"question_key" text NOT NULL,
	"lesson_version_id" text NOT NULL,
	"credit" integer NOT NULL,
	"answers" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "credit_tallies_org_id_week_lesson_id_question_key_lesson_version_id_credit_pk" PRIMARY KEY("org_id","week","lesson_id","question_key","lesson_version_id","credit")
);
--> statement-breakpoint
CREATE TABLE "question_tallies" (
	"org_id" text NOT NULL,
	"week" text NOT NULL,
	"lesson_id" text NOT NULL,
	"question_key" text NOT NULL,
	"lesson_version_id" text NOT NULL,
	"answers" integer DEFAULT 0 NOT NULL,
	"correct" integer DEFAULT 0 NOT NULL,
	"pairs" integer DEFAULT 0 NOT NULL,
	"right_pairs" integer DEFAULT 0 NOT NULL,
	"rest_sum" double precision DEFAULT 0 NOT NULL,
	"rest_squares" double precision DEFAULT 0 NOT NULL,
	"right_rest_sum" double precision DEFAULT 0 NOT NULL,
	CONSTRAINT "question_tallies_org_id_week_lesson_id_question_key_lesson_version_id_pk" PRIMARY KEY("org_id","week","lesson_id","question_key","lesson_version_id")
);
--> statement-breakpoint
CREATE TABLE "recall_tallies" (
	"org_id" text NOT NULL,
	"week" text NOT NULL,
	"lesson_id" text NOT NULL,
	"question_key" text NOT NULL,
	"after" integer NOT NULL,
	"answers" integer DEFAULT 0 NOT NULL,
	"correct" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "recall_tallies_org_id_week_lesson_id_question_key_after_pk" PRIMARY KEY("org_id","week","lesson_id","question_key","after")
);
--> statement-breakpoint
ALTER TABLE "choice_tallies" ADD CONSTRAINT "choice_tallies_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "choice_tallies" ADD CONSTRAINT "choice_tallies_lesson_id_lessons_id_fk" FOREIGN KEY ("lesson_id") REFERENCES "public"."lessons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "choice_tallies" ADD CONSTRAINT "choice_tallies_lesson_version_id_lesson_versions_id_fk" FOREIGN KEY ("lesson_version_id") REFERENCES "public"."lesson_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_tallies" ADD CONSTRAINT "credit_tallies_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_tallies" ADD CONSTRAINT "credit_tallies_lesson_id_lessons_id_fk" FOREIGN KEY ("lesson_id") REFERENCES "public"."lessons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_tallies" ADD CONSTRAINT "credit_tallies_lesson_version_id_lesson_versions_id_fk" FOREIGN KEY ("lesson_version_id") REFERENCES "public"."lesson_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "question_tallies" ADD CONSTRAINT "question_tallies_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "question_tallies" ADD CONSTRAINT "question_tallies_lesson_id_lessons_id_fk" FOREIGN KEY ("lesson_id") REFERENCES "public"."lessons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "question_tallies" ADD CONSTRAINT "question_tallies_lesson_version_id_lesson_versions_id_fk" FOREIGN KEY ("lesson_version_id") REFERENCES "public"."lesson_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recall_tallies" ADD CONSTRAINT "recall_tallies_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recall_tallies" ADD CONSTRAINT "recall_tallies_lesson_id_lessons_id_fk" FOREIGN KEY ("lesson_id") REFERENCES "public"."lessons"("id") ON DELETE no action ON UPDATE no action;