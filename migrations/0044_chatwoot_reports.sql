-- Chatwoot reports over the one reporting-events model (src/core/analytics/analytics.tables.ts says why).
ALTER TABLE "reporting_events" ADD COLUMN "inbox_id" bigint;--> statement-breakpoint
ALTER TABLE "reporting_events" ADD COLUMN "team_id" bigint;--> statement-breakpoint
ALTER TABLE "reporting_conversations" ADD COLUMN "reply_waiting_since" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "reporting_conversations" ADD COLUMN "last_event_id" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE TABLE "reporting_counters" (
	"account_id" bigint NOT NULL,
	"metric" text NOT NULL,
	"dimension" text NOT NULL,
	"dimension_key" text NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"count" bigint NOT NULL,
	"sum" double precision NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reporting_counters_account_id_metric_dimension_dimension_key_bucket_pk" PRIMARY KEY("account_id","metric","dimension","dimension_key","bucket")
);
--> statement-breakpoint
CREATE INDEX "reporting_events_conversation_idx" ON "reporting_events" USING btree ("account_id","conversation_id","occurred_at");
