CREATE TABLE "media_items" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "media_items_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"account_id" bigint NOT NULL,
	"name" text NOT NULL,
	"status" text DEFAULT 'PENDING_CONTENT' NOT NULL,
	"categories" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"tags" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"content" text DEFAULT '' NOT NULL,
	"voice" text,
	"languages" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"source" text,
	"blob_key" text,
	"size_bytes" bigint DEFAULT 0 NOT NULL,
	"duration_ms" integer DEFAULT 0 NOT NULL,
	"error" text,
	"phone_id_number" text,
	"phone_id_code" text,
	"phone_id_expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "media_jobs" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "media_jobs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"account_id" bigint NOT NULL,
	"public_id" text NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"percent" double precision DEFAULT 0 NOT NULL,
	"result" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"error" jsonb,
	"webhook_url" text,
	"blob_key" text,
	"file_name" text,
	"file_expires_at" timestamp with time zone,
	"done_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "media_items" ADD CONSTRAINT "media_items_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "media_jobs" ADD CONSTRAINT "media_jobs_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "media_items_account_idx" ON "media_items" USING btree ("account_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "media_items_phone_id_idx" ON "media_items" USING btree ("phone_id_number","phone_id_code") WHERE "media_items"."phone_id_code" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "media_jobs_account_idx" ON "media_jobs" USING btree ("account_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "media_jobs_public_id_idx" ON "media_jobs" USING btree ("public_id");--> statement-breakpoint
CREATE UNIQUE INDEX "media_jobs_file_name_idx" ON "media_jobs" USING btree ("account_id","file_name") WHERE "media_jobs"."file_name" IS NOT NULL;
