CREATE TABLE "reporting_counter_days" (
	"account_id" bigint NOT NULL,
	"metric" text NOT NULL,
	"dimension" text NOT NULL,
	"dimension_key" text NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"count" bigint NOT NULL,
	"sum" double precision NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reporting_counter_days_account_id_metric_dimension_dimension_key_bucket_pk" PRIMARY KEY("account_id","metric","dimension","dimension_key","bucket")
);
--> statement-breakpoint
INSERT INTO "reporting_counter_days" ("account_id", "metric", "dimension", "dimension_key", "bucket", "count", "sum")
SELECT "account_id", "metric", "dimension", "dimension_key", date_bin('1 day', "bucket", timestamptz '1970-01-01 00:00:00+00'),
  sum("count"), sum("sum")
FROM "reporting_counters" GROUP BY 1, 2, 3, 4, 5;
--> statement-breakpoint
DROP INDEX "conversations_account_created_idx";--> statement-breakpoint
CREATE INDEX "conversations_account_created_idx" ON "conversations" USING btree ("account_id","created_at","inbox_id","team_id","assignee_id","status");