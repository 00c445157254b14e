-- Tags (issue 9): the organization's label catalogue shared by the Chatwoot labels and the Dixa
-- tags, and the conversation activity log written by an event consumer.
CREATE TABLE "labels" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "labels_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"account_id" bigint NOT NULL,
	"uuid" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"color" text,
	"description" text,
	"state" text DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "activity_log" (
	"account_id" bigint NOT NULL,
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "activity_log_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"uuid" uuid DEFAULT gen_random_uuid() NOT NULL,
	"conversation_id" bigint NOT NULL,
	"activity_type" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"author_type" text,
	"author_id" bigint,
	"attributes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"source_event_id" bigint NOT NULL,
	"source_index" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "activity_log_account_id_id_pk" PRIMARY KEY("account_id","id")
);
--> statement-breakpoint
ALTER TABLE "labels" ADD CONSTRAINT "labels_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_log" ADD CONSTRAINT "activity_log_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_log" ADD CONSTRAINT "activity_log_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "labels_account_name_key" ON "labels" USING btree ("account_id",lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "labels_uuid_key" ON "labels" USING btree ("uuid");--> statement-breakpoint
CREATE UNIQUE INDEX "activity_log_uuid_key" ON "activity_log" USING btree ("uuid");--> statement-breakpoint
CREATE UNIQUE INDEX "activity_log_source_key" ON "activity_log" USING btree ("account_id","source_event_id","source_index");--> statement-breakpoint
CREATE INDEX "activity_log_conversation_idx" ON "activity_log" USING btree ("account_id","conversation_id","occurred_at","id");--> statement-breakpoint
CREATE INDEX "activity_log_account_time_idx" ON "activity_log" USING btree ("account_id","occurred_at","id");--> statement-breakpoint
-- Labels already on conversations become catalogue rows, as later ones will (see ensure-labels.ts).
INSERT INTO "labels" ("account_id", "name")
SELECT DISTINCT "account_id", unnest("labels") FROM "conversations"
ON CONFLICT DO NOTHING;
