CREATE TABLE "sub_account_quotas" (
	"account_id" bigint PRIMARY KEY NOT NULL,
	"max_sub_accounts" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sub_account_quotas_max_non_negative" CHECK ("sub_account_quotas"."max_sub_accounts" >= 0)
);
--> statement-breakpoint
CREATE TABLE "sub_accounts" (
	"account_id" bigint PRIMARY KEY NOT NULL,
	"parent_account_id" bigint NOT NULL,
	"user_id" bigint,
	"login" text NOT NULL,
	"company" text DEFAULT '' NOT NULL,
	"firstname" text DEFAULT '' NOT NULL,
	"lastname" text DEFAULT '' NOT NULL,
	"contact" jsonb NOT NULL,
	"billing" jsonb NOT NULL,
	"currency_code" text DEFAULT 'EUR' NOT NULL,
	"locale" text DEFAULT 'en_US' NOT NULL,
	"timezone" text DEFAULT 'UTC' NOT NULL,
	"allow_calls_in" boolean DEFAULT true NOT NULL,
	"allow_calls_out" boolean DEFAULT true NOT NULL,
	"allow_sms_in" boolean DEFAULT true NOT NULL,
	"allow_sms_out" boolean DEFAULT true NOT NULL,
	"disabled" boolean DEFAULT false NOT NULL,
	"archived" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sub_accounts_archived_disabled" CHECK (NOT "sub_accounts"."archived" OR "sub_accounts"."disabled")
);
--> statement-breakpoint
CREATE TABLE "sip_subscribers" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "sip_subscribers_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"account_id" bigint NOT NULL,
	"username" text NOT NULL,
	"password_ciphertext" text NOT NULL,
	"cli" text DEFAULT 'BLOCKED' NOT NULL,
	"codecs" text[] DEFAULT '{}' NOT NULL,
	"privacy" text DEFAULT 'full' NOT NULL,
	"ring_timeout" integer DEFAULT 30 NOT NULL,
	"srtp" boolean DEFAULT false NOT NULL,
	"vms" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sip_subscribers_ring_timeout_range" CHECK ("sip_subscribers"."ring_timeout" BETWEEN 5 AND 120)
);
--> statement-breakpoint
CREATE TABLE "sip_trunks" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "sip_trunks_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"account_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"properties" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"options" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "sub_account_quotas" ADD CONSTRAINT "sub_account_quotas_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sub_accounts" ADD CONSTRAINT "sub_accounts_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sub_accounts" ADD CONSTRAINT "sub_accounts_parent_account_id_accounts_id_fk" FOREIGN KEY ("parent_account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sub_accounts" ADD CONSTRAINT "sub_accounts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sip_subscribers" ADD CONSTRAINT "sip_subscribers_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sip_trunks" ADD CONSTRAINT "sip_trunks_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "sub_accounts_login_key" ON "sub_accounts" USING btree (lower("login"));--> statement-breakpoint
CREATE INDEX "sub_accounts_parent_idx" ON "sub_accounts" USING btree ("parent_account_id","archived","account_id");--> statement-breakpoint
CREATE UNIQUE INDEX "sip_subscribers_username_key" ON "sip_subscribers" USING btree ("account_id","username");--> statement-breakpoint
CREATE INDEX "sip_subscribers_account_idx" ON "sip_subscribers" USING btree ("account_id","id");--> statement-breakpoint
CREATE INDEX "sip_trunks_account_idx" ON "sip_trunks" USING btree ("account_id","kind","id");
