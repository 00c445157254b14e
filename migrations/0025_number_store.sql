CREATE TABLE "did_area_codes" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "did_area_codes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"country_code" text NOT NULL,
	"type" text NOT NULL,
	"local_prefix" text NOT NULL,
	"intl_prefix" text NOT NULL,
	"label" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "did_store_order_items" (
	"order_id" bigint NOT NULL,
	"phone_number_id" bigint NOT NULL,
	"number" text NOT NULL,
	"monthly_cents" integer NOT NULL,
	"outcome" text DEFAULT 'reserved' NOT NULL,
	CONSTRAINT "did_store_order_items_order_id_phone_number_id_pk" PRIMARY KEY("order_id","phone_number_id")
);
--> statement-breakpoint
CREATE TABLE "did_store_orders" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "did_store_orders_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"account_id" bigint NOT NULL,
	"token" text NOT NULL,
	"area_code_id" integer NOT NULL,
	"number_class" text NOT NULL,
	"quantity" integer NOT NULL,
	"state" text DEFAULT 'reserved' NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "number_quotas" (
	"account_id" bigint PRIMARY KEY NOT NULL,
	"assigned_max" integer DEFAULT 100 NOT NULL,
	"max_over_period" integer DEFAULT -1 NOT NULL,
	"period_days" integer DEFAULT 30 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "did_store_order_items" ADD CONSTRAINT "did_store_order_items_order_id_did_store_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."did_store_orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "did_store_order_items" ADD CONSTRAINT "did_store_order_items_phone_number_id_phone_numbers_id_fk" FOREIGN KEY ("phone_number_id") REFERENCES "public"."phone_numbers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "did_store_orders" ADD CONSTRAINT "did_store_orders_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "did_store_orders" ADD CONSTRAINT "did_store_orders_area_code_id_did_area_codes_id_fk" FOREIGN KEY ("area_code_id") REFERENCES "public"."did_area_codes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "number_quotas" ADD CONSTRAINT "number_quotas_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "did_area_codes_key_idx" ON "did_area_codes" USING btree ("country_code","type","local_prefix");--> statement-breakpoint
CREATE INDEX "did_store_order_items_number_idx" ON "did_store_order_items" USING btree ("phone_number_id");--> statement-breakpoint
CREATE UNIQUE INDEX "did_store_orders_token_idx" ON "did_store_orders" USING btree ("token");--> statement-breakpoint
CREATE INDEX "did_store_orders_account_idx" ON "did_store_orders" USING btree ("account_id","state","closed_at");
