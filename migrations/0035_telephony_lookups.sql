CREATE TABLE "number_destinations" (
	"number" text PRIMARY KEY NOT NULL,
	"country_code" text NOT NULL,
	"billing_label" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "recording_reads" (
	"call_id" bigint PRIMARY KEY NOT NULL,
	"account_id" bigint NOT NULL,
	"read_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "recording_reads" ADD CONSTRAINT "recording_reads_call_id_calls_id_fk" FOREIGN KEY ("call_id") REFERENCES "public"."calls"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recording_reads" ADD CONSTRAINT "recording_reads_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "recording_reads_account_read_idx" ON "recording_reads" USING btree ("account_id","read_at");
