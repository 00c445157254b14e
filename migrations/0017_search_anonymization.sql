-- btree_gin lets one GIN index hold (account_id, content_tsv): a search intersects the account's
-- posting list with the words' inside the index, so other tenants' matches are never fetched.
CREATE EXTENSION IF NOT EXISTS btree_gin;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "content_tsv" "tsvector" GENERATED ALWAYS AS (to_tsvector('simple', coalesce("content", ''))) STORED;--> statement-breakpoint
CREATE INDEX "messages_content_tsv_idx" ON "messages" USING gin ("account_id","content_tsv");--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "anonymized_at" timestamp with time zone;--> statement-breakpoint
CREATE TABLE "anonymization_requests" (
	"account_id" bigint NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"entity_type" text NOT NULL,
	"target_id" bigint NOT NULL,
	"target_entity_id" text NOT NULL,
	"requested_by" uuid NOT NULL,
	"force" boolean DEFAULT false NOT NULL,
	"initiated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone,
	CONSTRAINT "anonymization_requests_account_id_id_pk" PRIMARY KEY("account_id","id")
);
--> statement-breakpoint
ALTER TABLE "anonymization_requests" ADD CONSTRAINT "anonymization_requests_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "anonymization_requests_target_key" ON "anonymization_requests" USING btree ("account_id","entity_type","target_id");
