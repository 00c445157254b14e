CREATE TABLE "campaign_contacts" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "campaign_contacts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"account_id" bigint NOT NULL,
	"campaign_id" bigint NOT NULL,
	"contact_number" bigint NOT NULL,
	"contact_id" bigint NOT NULL,
	"state" text DEFAULT 'processing_not_in_progress' NOT NULL,
	"comment" text,
	"excluded" boolean DEFAULT false NOT NULL,
	"excluded_detail" text,
	"priority" integer NOT NULL,
	"retry_at" timestamp with time zone,
	"is_callback" boolean DEFAULT false NOT NULL,
	"tries_number" integer DEFAULT 0 NOT NULL,
	"wrapup_id" bigint,
	"wrapup_status" text,
	"agent_id" bigint,
	"assigned_agent_id" bigint,
	"assigned_group_id" bigint,
	"assigned_agent_expires_at" timestamp with time zone,
	"assigned_group_expires_at" timestamp with time zone,
	"duplicate_contact_ids" bigint[] DEFAULT '{}'::bigint[] NOT NULL,
	"min_calling_at" timestamp with time zone,
	"max_calling_at" timestamp with time zone,
	"last_call_at" timestamp with time zone,
	"last_attempt_at" timestamp with time zone,
	"last_agent_id" bigint,
	"last_caller_type" text,
	"contact_card_display_number" text,
	"current_phone_name" text,
	"calendar_id" bigint,
	"custom_fields" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"phones" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"phone_numbers" text[] DEFAULT '{}'::text[] NOT NULL,
	"purge_date" date,
	"region" integer,
	"batch_id" uuid,
	"batch_index" integer,
	"created_by" text DEFAULT '' NOT NULL,
	"last_updated_by" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "campaign_groups" (
	"campaign_id" bigint NOT NULL,
	"team_id" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaign_groups_campaign_id_team_id_pk" PRIMARY KEY("campaign_id","team_id")
);
--> statement-breakpoint
CREATE TABLE "campaign_users" (
	"campaign_id" bigint NOT NULL,
	"user_id" bigint NOT NULL,
	"unassigned_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaign_users_campaign_id_user_id_pk" PRIMARY KEY("campaign_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "campaigns" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "campaigns_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"account_id" bigint NOT NULL,
	"name" text NOT NULL,
	"folder" text,
	"mode" text NOT NULL,
	"is_paused" boolean DEFAULT true NOT NULL,
	"is_archived" boolean DEFAULT false NOT NULL,
	"custom_fields" text[] DEFAULT '{}'::text[] NOT NULL,
	"phone_fields" text[] DEFAULT '{}'::text[] NOT NULL,
	"wrapup_folder_id" bigint,
	"displayed_phone_numbers" text[] DEFAULT '{}'::text[] NOT NULL,
	"use_agent_displayed_phone_number" boolean DEFAULT false NOT NULL,
	"min_calling_date_offset" integer,
	"max_calling_date_offset" integer,
	"max_tries" integer DEFAULT 5 NOT NULL,
	"next_try_delay" integer DEFAULT 86400 NOT NULL,
	"retry_rules" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"is_recorded" boolean DEFAULT false NOT NULL,
	"recording_percentage" integer,
	"calendar_id" bigint,
	"timezone" text DEFAULT 'UTC' NOT NULL,
	"calling_windows" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"holidays" date[] DEFAULT '{}'::date[] NOT NULL,
	"regionalization" boolean DEFAULT false NOT NULL,
	"sound_played_contact_pick_up" integer,
	"contact_priority" integer DEFAULT 10 NOT NULL,
	"personal_callback_prioritization" boolean DEFAULT false NOT NULL,
	"global_priority" integer,
	"deduplication_params" jsonb,
	"auto_purge" jsonb,
	"max_abandon_rate" real DEFAULT 0.03 NOT NULL,
	"last_contact_number" bigint DEFAULT 0 NOT NULL,
	"created_by" text DEFAULT '' NOT NULL,
	"last_updated_by" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "contact_batches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" bigint NOT NULL,
	"campaign_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'ACCEPTED' NOT NULL,
	"request" jsonb NOT NULL,
	"total_items" integer,
	"processed_items" integer DEFAULT 0 NOT NULL,
	"cursor_id" bigint DEFAULT 0 NOT NULL,
	"modified_count" integer DEFAULT 0 NOT NULL,
	"failed_ids" bigint[] DEFAULT '{}'::bigint[] NOT NULL,
	"excluded" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"failure_reason" text,
	"created_by" text DEFAULT '' NOT NULL,
	"finished_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dialer_agents" (
	"account_id" bigint NOT NULL,
	"campaign_id" bigint NOT NULL,
	"user_id" bigint NOT NULL,
	"state" text DEFAULT 'ready' NOT NULL,
	"attempt_id" bigint,
	"state_since" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dialer_agents_campaign_id_user_id_pk" PRIMARY KEY("campaign_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "dialer_attempts" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "dialer_attempts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"account_id" bigint NOT NULL,
	"campaign_id" bigint NOT NULL,
	"campaign_contact_id" bigint,
	"mode" text NOT NULL,
	"phone_name" text NOT NULL,
	"phone_number" text NOT NULL,
	"agent_id" bigint,
	"call_id" bigint,
	"carrier_call_id" text,
	"outcome" text,
	"placed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"answered_at" timestamp with time zone,
	"connected_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"wrapped_up_at" timestamp with time zone,
	"wrapup_id" bigint,
	"wrapup_status" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dialer_calendars" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "dialer_calendars_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"account_id" bigint NOT NULL,
	"name" text NOT NULL,
	"timezone" text DEFAULT 'UTC' NOT NULL,
	"weekly_windows" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"holidays" date[] DEFAULT '{}'::date[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dialer_decisions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "dialer_decisions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"account_id" bigint NOT NULL,
	"campaign_id" bigint NOT NULL,
	"campaign_contact_id" bigint,
	"attempt_id" bigint,
	"decided_at" timestamp with time zone DEFAULT now() NOT NULL,
	"kind" text NOT NULL,
	"reason" text NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "do_not_call_numbers" (
	"account_id" bigint NOT NULL,
	"phone_number" text NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "do_not_call_numbers_account_id_phone_number_pk" PRIMARY KEY("account_id","phone_number")
);
--> statement-breakpoint
CREATE TABLE "wrapup_codes" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "wrapup_codes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"account_id" bigint NOT NULL,
	"folder_id" bigint,
	"name" text NOT NULL,
	"status" text NOT NULL,
	"is_system" boolean DEFAULT false NOT NULL,
	"is_hidden" boolean DEFAULT false NOT NULL,
	"unpin_after" integer,
	"created_by" text DEFAULT '' NOT NULL,
	"last_updated_by" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "wrapup_folders" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "wrapup_folders_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"account_id" bigint NOT NULL,
	"parent_id" bigint,
	"name" text NOT NULL,
	"level" integer DEFAULT 0 NOT NULL,
	"path" text NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"is_locked" boolean DEFAULT false NOT NULL,
	"is_system" boolean DEFAULT false NOT NULL,
	"created_by" text DEFAULT '' NOT NULL,
	"last_updated_by" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "campaign_contacts" ADD CONSTRAINT "campaign_contacts_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_contacts" ADD CONSTRAINT "campaign_contacts_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_contacts" ADD CONSTRAINT "campaign_contacts_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_contacts" ADD CONSTRAINT "campaign_contacts_wrapup_id_wrapup_codes_id_fk" FOREIGN KEY ("wrapup_id") REFERENCES "public"."wrapup_codes"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_contacts" ADD CONSTRAINT "campaign_contacts_agent_id_users_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_contacts" ADD CONSTRAINT "campaign_contacts_assigned_agent_id_users_id_fk" FOREIGN KEY ("assigned_agent_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_contacts" ADD CONSTRAINT "campaign_contacts_assigned_group_id_teams_id_fk" FOREIGN KEY ("assigned_group_id") REFERENCES "public"."teams"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_contacts" ADD CONSTRAINT "campaign_contacts_last_agent_id_users_id_fk" FOREIGN KEY ("last_agent_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_contacts" ADD CONSTRAINT "campaign_contacts_calendar_id_dialer_calendars_id_fk" FOREIGN KEY ("calendar_id") REFERENCES "public"."dialer_calendars"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_groups" ADD CONSTRAINT "campaign_groups_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_groups" ADD CONSTRAINT "campaign_groups_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_users" ADD CONSTRAINT "campaign_users_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_users" ADD CONSTRAINT "campaign_users_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_wrapup_folder_id_wrapup_folders_id_fk" FOREIGN KEY ("wrapup_folder_id") REFERENCES "public"."wrapup_folders"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_calendar_id_dialer_calendars_id_fk" FOREIGN KEY ("calendar_id") REFERENCES "public"."dialer_calendars"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_batches" ADD CONSTRAINT "contact_batches_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_batches" ADD CONSTRAINT "contact_batches_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialer_agents" ADD CONSTRAINT "dialer_agents_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialer_agents" ADD CONSTRAINT "dialer_agents_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialer_agents" ADD CONSTRAINT "dialer_agents_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialer_attempts" ADD CONSTRAINT "dialer_attempts_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialer_attempts" ADD CONSTRAINT "dialer_attempts_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialer_attempts" ADD CONSTRAINT "dialer_attempts_campaign_contact_id_campaign_contacts_id_fk" FOREIGN KEY ("campaign_contact_id") REFERENCES "public"."campaign_contacts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialer_attempts" ADD CONSTRAINT "dialer_attempts_agent_id_users_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialer_attempts" ADD CONSTRAINT "dialer_attempts_call_id_calls_id_fk" FOREIGN KEY ("call_id") REFERENCES "public"."calls"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialer_attempts" ADD CONSTRAINT "dialer_attempts_wrapup_id_wrapup_codes_id_fk" FOREIGN KEY ("wrapup_id") REFERENCES "public"."wrapup_codes"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialer_calendars" ADD CONSTRAINT "dialer_calendars_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialer_decisions" ADD CONSTRAINT "dialer_decisions_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialer_decisions" ADD CONSTRAINT "dialer_decisions_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "do_not_call_numbers" ADD CONSTRAINT "do_not_call_numbers_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wrapup_codes" ADD CONSTRAINT "wrapup_codes_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wrapup_codes" ADD CONSTRAINT "wrapup_codes_folder_id_wrapup_folders_id_fk" FOREIGN KEY ("folder_id") REFERENCES "public"."wrapup_folders"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wrapup_folders" ADD CONSTRAINT "wrapup_folders_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "campaign_contacts_number_key" ON "campaign_contacts" USING btree ("campaign_id","contact_number");--> statement-breakpoint
CREATE INDEX "campaign_contacts_campaign_id_idx" ON "campaign_contacts" USING btree ("campaign_id","id");--> statement-breakpoint
CREATE INDEX "campaign_contacts_campaign_updated_idx" ON "campaign_contacts" USING btree ("campaign_id","updated_at","id");--> statement-breakpoint
CREATE INDEX "campaign_contacts_account_id_idx" ON "campaign_contacts" USING btree ("account_id","id");--> statement-breakpoint
CREATE INDEX "campaign_contacts_contact_idx" ON "campaign_contacts" USING btree ("contact_id");--> statement-breakpoint
CREATE INDEX "campaign_contacts_phone_numbers_idx" ON "campaign_contacts" USING gin ("phone_numbers");--> statement-breakpoint
CREATE INDEX "campaign_contacts_custom_fields_idx" ON "campaign_contacts" USING gin ("custom_fields" jsonb_path_ops);--> statement-breakpoint
CREATE INDEX "campaign_contacts_dialable_idx" ON "campaign_contacts" USING btree ("campaign_id","priority" DESC NULLS LAST,"retry_at","id") WHERE NOT "campaign_contacts"."excluded" AND "campaign_contacts"."state" = 'processing_not_in_progress';--> statement-breakpoint
CREATE UNIQUE INDEX "campaign_contacts_batch_item_key" ON "campaign_contacts" USING btree ("batch_id","batch_index") WHERE "campaign_contacts"."batch_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "campaign_groups_team_idx" ON "campaign_groups" USING btree ("team_id");--> statement-breakpoint
CREATE INDEX "campaign_users_user_idx" ON "campaign_users" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "campaigns_account_idx" ON "campaigns" USING btree ("account_id","id");--> statement-breakpoint
CREATE INDEX "contact_batches_account_idx" ON "contact_batches" USING btree ("account_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "contact_batches_one_live_per_campaign_key" ON "contact_batches" USING btree ("campaign_id") WHERE "contact_batches"."status" IN ('ACCEPTED', 'IN_PROGRESS');--> statement-breakpoint
CREATE INDEX "dialer_agents_user_idx" ON "dialer_agents" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "dialer_attempts_campaign_placed_idx" ON "dialer_attempts" USING btree ("campaign_id","placed_at");--> statement-breakpoint
CREATE INDEX "dialer_attempts_contact_placed_idx" ON "dialer_attempts" USING btree ("campaign_contact_id","placed_at");--> statement-breakpoint
CREATE INDEX "dialer_attempts_account_number_idx" ON "dialer_attempts" USING btree ("account_id","phone_number","placed_at");--> statement-breakpoint
CREATE INDEX "dialer_attempts_live_idx" ON "dialer_attempts" USING btree ("campaign_id") WHERE "dialer_attempts"."ended_at" IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "dialer_attempts_carrier_call_key" ON "dialer_attempts" USING btree ("carrier_call_id");--> statement-breakpoint
CREATE INDEX "dialer_calendars_account_idx" ON "dialer_calendars" USING btree ("account_id");--> statement-breakpoint
CREATE INDEX "dialer_decisions_campaign_idx" ON "dialer_decisions" USING btree ("campaign_id","decided_at");--> statement-breakpoint
CREATE INDEX "dialer_decisions_contact_idx" ON "dialer_decisions" USING btree ("campaign_contact_id");--> statement-breakpoint
CREATE INDEX "wrapup_codes_account_idx" ON "wrapup_codes" USING btree ("account_id","id");--> statement-breakpoint
CREATE INDEX "wrapup_codes_folder_idx" ON "wrapup_codes" USING btree ("folder_id");--> statement-breakpoint
CREATE INDEX "wrapup_folders_account_idx" ON "wrapup_folders" USING btree ("account_id","id");--> statement-breakpoint
CREATE INDEX "wrapup_folders_parent_idx" ON "wrapup_folders" USING btree ("parent_id");--> statement-breakpoint
CREATE UNIQUE INDEX "wrapup_folders_account_path_key" ON "wrapup_folders" USING btree ("account_id","path");