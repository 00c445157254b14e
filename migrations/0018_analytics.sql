-- Reporting events and their pre-aggregates (src/core/analytics/analytics.tables.ts says why).
CREATE TABLE "reporting_events" (
	"account_id" bigint NOT NULL,
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "reporting_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"source_event_id" bigint NOT NULL,
	"type" text NOT NULL,
	"conversation_id" bigint NOT NULL,
	"conversation_display_id" bigint NOT NULL,
	"channel" text NOT NULL,
	"direction" text NOT NULL,
	"queue_id" bigint,
	"agent_id" bigint,
	"agent_ids" bigint[] DEFAULT '{}' NOT NULL,
	"duration_ms" bigint,
	"handling_ms" bigint,
	"score" integer,
	"is_positive" boolean,
	"occurred_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reporting_events_account_id_id_pk" PRIMARY KEY("account_id","id")
);
--> statement-breakpoint
CREATE TABLE "reporting_aggregates" (
	"account_id" bigint NOT NULL,
	"metric" text NOT NULL,
	"grain" text NOT NULL,
	"grouping" smallint NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"channel" text DEFAULT '' NOT NULL,
	"direction" text DEFAULT '' NOT NULL,
	"queue_id" bigint DEFAULT 0 NOT NULL,
	"agent_id" bigint DEFAULT 0 NOT NULL,
	"count" bigint NOT NULL,
	"sum" numeric NOT NULL,
	"sum_squares" numeric NOT NULL,
	"min" double precision NOT NULL,
	"max" double precision NOT NULL,
	"hits" bigint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reporting_aggregates_account_id_metric_grain_grouping_bucket_channel_direction_queue_id_agent_id_pk" PRIMARY KEY("account_id","metric","grain","grouping","bucket","channel","direction","queue_id","agent_id")
);
--> statement-breakpoint
CREATE TABLE "reporting_conversations" (
	"account_id" bigint NOT NULL,
	"conversation_id" bigint NOT NULL,
	"channel" text NOT NULL,
	"direction" text NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"waiting_since" timestamp with time zone,
	"queue_id" bigint,
	"agent_id" bigint,
	"assigned_at" timestamp with time zone,
	"first_response_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reporting_conversations_account_id_conversation_id_pk" PRIMARY KEY("account_id","conversation_id")
);
--> statement-breakpoint
CREATE TABLE "reporting_dimensions" (
	"account_id" bigint NOT NULL,
	"attribute" text NOT NULL,
	"value" text NOT NULL,
	"label" text NOT NULL,
	"internal_id" bigint,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reporting_dimensions_account_id_attribute_value_pk" PRIMARY KEY("account_id","attribute","value")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "reporting_events_source_key" ON "reporting_events" USING btree ("account_id","source_event_id","type");--> statement-breakpoint
CREATE INDEX "reporting_events_type_time_idx" ON "reporting_events" USING btree ("account_id","type","occurred_at","id");--> statement-breakpoint
CREATE INDEX "reporting_dimensions_internal_idx" ON "reporting_dimensions" USING btree ("account_id","attribute","internal_id") WHERE "reporting_dimensions"."internal_id" IS NOT NULL;
