CREATE TABLE "credit_balances" (
	"account_id" bigint PRIMARY KEY NOT NULL,
	"balance_cents" bigint DEFAULT 0 NOT NULL,
	"currency_code" text DEFAULT 'EUR' NOT NULL,
	"last_transaction_cents" bigint DEFAULT 0 NOT NULL,
	"warning_limit_cents" bigint DEFAULT 0 NOT NULL,
	"shutdown_limit_cents" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "credit_ledger" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "credit_ledger_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"account_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"quantity" integer NOT NULL,
	"unit_cents" integer NOT NULL,
	"amount_cents" bigint NOT NULL,
	"balance_after_cents" bigint NOT NULL,
	"reference" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "credit_rates" (
	"account_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"unit_cents" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "credit_rates_account_id_kind_pk" PRIMARY KEY("account_id","kind"),
	CONSTRAINT "credit_rates_unit_cents_non_negative" CHECK ("credit_rates"."unit_cents" >= 0)
);
--> statement-breakpoint
CREATE TABLE "api_sessions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "api_sessions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"account_id" bigint NOT NULL,
	"user_id" bigint,
	"api_key_id" bigint,
	"token_hash" text NOT NULL,
	"token_prefix" text NOT NULL,
	"refresh_token_hash" text NOT NULL,
	"valid_until" timestamp with time zone NOT NULL,
	"refreshable_until" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "api_sessions_one_owner" CHECK (("api_sessions"."user_id" IS NULL) <> ("api_sessions"."api_key_id" IS NULL))
);
--> statement-breakpoint
ALTER TABLE "credit_balances" ADD CONSTRAINT "credit_balances_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_ledger" ADD CONSTRAINT "credit_ledger_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_rates" ADD CONSTRAINT "credit_rates_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_sessions" ADD CONSTRAINT "api_sessions_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_sessions" ADD CONSTRAINT "api_sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_sessions" ADD CONSTRAINT "api_sessions_api_key_fk" FOREIGN KEY ("account_id","api_key_id") REFERENCES "public"."api_keys"("account_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "credit_ledger_account_idx" ON "credit_ledger" USING btree ("account_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "api_sessions_token_key" ON "api_sessions" USING btree ("token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "api_sessions_refresh_token_key" ON "api_sessions" USING btree ("refresh_token_hash");--> statement-breakpoint
CREATE INDEX "api_sessions_account_idx" ON "api_sessions" USING btree ("account_id","id");
