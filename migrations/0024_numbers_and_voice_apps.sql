CREATE TABLE "phone_numbers" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "phone_numbers_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"number" text NOT NULL,
	"country_code" text NOT NULL,
	"local_prefix" text NOT NULL,
	"area_label" text DEFAULT '' NOT NULL,
	"type" text NOT NULL,
	"number_class" text DEFAULT 'CLASSIC' NOT NULL,
	"monthly_cents" integer DEFAULT 0 NOT NULL,
	"state" text DEFAULT 'available' NOT NULL,
	"account_id" bigint,
	"reservation_token" text,
	"voice_app_id" bigint,
	"inbox_id" bigint,
	"acquired_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "phone_numbers_one_target" CHECK ("phone_numbers"."voice_app_id" IS NULL OR "phone_numbers"."inbox_id" IS NULL),
	CONSTRAINT "phone_numbers_owned_when_active" CHECK (("phone_numbers"."state" = 'active') = ("phone_numbers"."account_id" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "voice_apps" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "voice_apps_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"account_id" bigint NOT NULL,
	"package" text NOT NULL,
	"name" text NOT NULL,
	"options" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "phone_numbers" ADD CONSTRAINT "phone_numbers_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "phone_numbers" ADD CONSTRAINT "phone_numbers_voice_app_id_voice_apps_id_fk" FOREIGN KEY ("voice_app_id") REFERENCES "public"."voice_apps"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "phone_numbers" ADD CONSTRAINT "phone_numbers_inbox_id_inboxes_id_fk" FOREIGN KEY ("inbox_id") REFERENCES "public"."inboxes"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voice_apps" ADD CONSTRAINT "voice_apps_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "phone_numbers_number_idx" ON "phone_numbers" USING btree ("number");--> statement-breakpoint
CREATE INDEX "phone_numbers_account_idx" ON "phone_numbers" USING btree ("account_id","id");--> statement-breakpoint
CREATE INDEX "phone_numbers_store_idx" ON "phone_numbers" USING btree ("country_code","type","local_prefix","number_class") WHERE "phone_numbers"."state" = 'available';--> statement-breakpoint
CREATE INDEX "phone_numbers_voice_app_idx" ON "phone_numbers" USING btree ("voice_app_id");--> statement-breakpoint
CREATE INDEX "phone_numbers_reservation_idx" ON "phone_numbers" USING btree ("reservation_token");--> statement-breakpoint
CREATE INDEX "voice_apps_account_idx" ON "voice_apps" USING btree ("account_id","id");