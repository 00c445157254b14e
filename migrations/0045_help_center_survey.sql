CREATE TABLE "portals" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "portals_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"account_id" bigint NOT NULL,
	"name" text NOT NULL,
	"slug" text NOT NULL,
	"custom_domain" text,
	"color" text,
	"header_text" text,
	"page_title" text,
	"homepage_link" text,
	"allowed_locales" text[] DEFAULT '{en}' NOT NULL,
	"default_locale" text DEFAULT 'en' NOT NULL,
	"is_archived" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "help_center_categories" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "help_center_categories_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"account_id" bigint NOT NULL,
	"portal_id" bigint NOT NULL,
	"name" text NOT NULL,
	"slug" text NOT NULL,
	"locale" text NOT NULL,
	"description" text,
	"icon" text,
	"position" integer DEFAULT 0 NOT NULL,
	"parent_category_id" bigint,
	"associated_category_id" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "help_center_articles" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "help_center_articles_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"account_id" bigint NOT NULL,
	"portal_id" bigint NOT NULL,
	"category_id" bigint,
	"author_id" bigint,
	"associated_article_id" bigint,
	"title" text NOT NULL,
	"slug" text NOT NULL,
	"content" text DEFAULT '' NOT NULL,
	"description" text,
	"status" text DEFAULT 'draft' NOT NULL,
	"locale" text NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"views" integer DEFAULT 0 NOT NULL,
	"meta" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"search_tsv" "tsvector" GENERATED ALWAYS AS (to_tsvector('simple', coalesce("title", '') || ' ' || coalesce("description", '') || ' ' || coalesce("content", ''))) STORED
);
--> statement-breakpoint
ALTER TABLE "portals" ADD CONSTRAINT "portals_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "help_center_categories" ADD CONSTRAINT "help_center_categories_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "help_center_categories" ADD CONSTRAINT "help_center_categories_portal_id_portals_id_fk" FOREIGN KEY ("portal_id") REFERENCES "public"."portals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "help_center_categories" ADD CONSTRAINT "help_center_categories_parent_category_id_help_center_categories_id_fk" FOREIGN KEY ("parent_category_id") REFERENCES "public"."help_center_categories"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "help_center_categories" ADD CONSTRAINT "help_center_categories_associated_category_id_help_center_categories_id_fk" FOREIGN KEY ("associated_category_id") REFERENCES "public"."help_center_categories"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "help_center_articles" ADD CONSTRAINT "help_center_articles_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "help_center_articles" ADD CONSTRAINT "help_center_articles_portal_id_portals_id_fk" FOREIGN KEY ("portal_id") REFERENCES "public"."portals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "help_center_articles" ADD CONSTRAINT "help_center_articles_category_id_help_center_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."help_center_categories"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "help_center_articles" ADD CONSTRAINT "help_center_articles_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "help_center_articles" ADD CONSTRAINT "help_center_articles_associated_article_id_help_center_articles_id_fk" FOREIGN KEY ("associated_article_id") REFERENCES "public"."help_center_articles"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "portals_slug_key" ON "portals" USING btree ("slug");--> statement-breakpoint
CREATE UNIQUE INDEX "portals_custom_domain_key" ON "portals" USING btree ("custom_domain") WHERE "portals"."custom_domain" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "portals_account_idx" ON "portals" USING btree ("account_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "help_center_categories_slug_key" ON "help_center_categories" USING btree ("portal_id","locale","slug");--> statement-breakpoint
CREATE INDEX "help_center_categories_account_portal_idx" ON "help_center_categories" USING btree ("account_id","portal_id","locale","position");--> statement-breakpoint
CREATE UNIQUE INDEX "help_center_articles_slug_key" ON "help_center_articles" USING btree ("portal_id","slug");--> statement-breakpoint
CREATE INDEX "help_center_articles_category_idx" ON "help_center_articles" USING btree ("account_id","portal_id","category_id","position");--> statement-breakpoint
CREATE INDEX "help_center_articles_search_idx" ON "help_center_articles" USING gin ("account_id","search_tsv");
