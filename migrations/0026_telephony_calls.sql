CREATE TABLE "clicktocall_calls" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "clicktocall_calls_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"account_id" bigint NOT NULL,
	"voice_app_id" bigint,
	"a_targets" jsonb NOT NULL,
	"b_targets" jsonb NOT NULL,
	"cdr_field" text DEFAULT '' NOT NULL,
	"cli" text DEFAULT '' NOT NULL,
	"state" text DEFAULT 'scheduled' NOT NULL,
	"a_status" jsonb,
	"b_status" jsonb,
	"scheduled_at" timestamp with time zone NOT NULL,
	"started_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "telephony_calls" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "telephony_calls_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"account_id" bigint NOT NULL,
	"direction" text NOT NULL,
	"kind" text NOT NULL,
	"voice_app_id" bigint,
	"app_name" text DEFAULT '' NOT NULL,
	"package_name" text DEFAULT '' NOT NULL,
	"number" text NOT NULL,
	"cli" text DEFAULT '' NOT NULL,
	"cdr_field" text DEFAULT '' NOT NULL,
	"ring_timeout_seconds" integer DEFAULT 30 NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"carrier_call_id" text,
	"dial_status" text,
	"hangup_cause" integer DEFAULT 0 NOT NULL,
	"hangup_source" text,
	"end_reason" text DEFAULT '' NOT NULL,
	"started_at" timestamp with time zone,
	"answered_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"duration_billed" integer DEFAULT 0 NOT NULL,
	"debit_cents" double precision DEFAULT 0 NOT NULL,
	"call_id" bigint,
	"messages" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"loops" integer DEFAULT 1 NOT NULL,
	"messages_seconds" double precision DEFAULT 0 NOT NULL,
	"rt_seq" integer DEFAULT 0 NOT NULL,
	"rt_variables" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"rt_last" jsonb,
	"clicktocall_id" bigint,
	"leg" text,
	"attempt" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "clicktocall_calls" ADD CONSTRAINT "clicktocall_calls_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clicktocall_calls" ADD CONSTRAINT "clicktocall_calls_voice_app_id_voice_apps_id_fk" FOREIGN KEY ("voice_app_id") REFERENCES "public"."voice_apps"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "telephony_calls" ADD CONSTRAINT "telephony_calls_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "telephony_calls" ADD CONSTRAINT "telephony_calls_voice_app_id_voice_apps_id_fk" FOREIGN KEY ("voice_app_id") REFERENCES "public"."voice_apps"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "telephony_calls" ADD CONSTRAINT "telephony_calls_call_id_calls_id_fk" FOREIGN KEY ("call_id") REFERENCES "public"."calls"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "telephony_calls" ADD CONSTRAINT "telephony_calls_clicktocall_id_clicktocall_calls_id_fk" FOREIGN KEY ("clicktocall_id") REFERENCES "public"."clicktocall_calls"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "clicktocall_calls_account_idx" ON "clicktocall_calls" USING btree ("account_id","voice_app_id","created_at","id");--> statement-breakpoint
CREATE INDEX "telephony_calls_cdr_idx" ON "telephony_calls" USING btree ("account_id","direction","started_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "telephony_calls_carrier_idx" ON "telephony_calls" USING btree ("carrier_call_id");--> statement-breakpoint
CREATE INDEX "telephony_calls_clicktocall_idx" ON "telephony_calls" USING btree ("clicktocall_id") WHERE "telephony_calls"."clicktocall_id" IS NOT NULL;
