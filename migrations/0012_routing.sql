-- Routing (issue 9): queues with their members and the inboxes that feed them, per-agent routing
-- state (capacity per channel, idle since), queue entries (one live entry per conversation) and
-- offers (one open round per entry, to one or more agents).
CREATE TABLE "routing_queues" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "routing_queues_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"account_id" bigint NOT NULL,
	"uuid" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"priority" integer,
	"is_default" boolean DEFAULT false NOT NULL,
	"member_list_type" text DEFAULT 'Default' NOT NULL,
	"offering_algorithm" text DEFAULT 'AllAtOnce' NOT NULL,
	"offer_timeout" integer DEFAULT 30 NOT NULL,
	"wrapup_timeout" integer,
	"do_not_offer_timeouts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"is_do_not_offer_enabled" boolean DEFAULT false NOT NULL,
	"queue_thresholds" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"sla_calculation_method" text DEFAULT 'AbandonedIgnored' NOT NULL,
	"preferred_agent_timeouts" jsonb,
	"is_preferred_agent_enabled" boolean,
	"offer_abandoned_conversations" boolean DEFAULT false NOT NULL,
	"personal_agent_offline_timeout" integer,
	"preferred_agent_offline_timeout" integer,
	"call_functionality" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "routing_queue_members" (
	"account_id" bigint NOT NULL,
	"queue_id" bigint NOT NULL,
	"user_id" bigint NOT NULL,
	"priority" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "routing_queue_members_account_id_queue_id_user_id_pk" PRIMARY KEY("account_id","queue_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "routing_queue_usages" (
	"account_id" bigint NOT NULL,
	"inbox_id" bigint NOT NULL,
	"queue_id" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "routing_queue_usages_account_id_inbox_id_pk" PRIMARY KEY("account_id","inbox_id")
);
--> statement-breakpoint
CREATE TABLE "routing_agent_states" (
	"account_id" bigint NOT NULL,
	"user_id" bigint NOT NULL,
	"capacities" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"idle_since" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "routing_agent_states_account_id_user_id_pk" PRIMARY KEY("account_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "routing_entries" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "routing_entries_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"account_id" bigint NOT NULL,
	"conversation_id" bigint NOT NULL,
	"queue_id" bigint NOT NULL,
	"state" text DEFAULT 'waiting' NOT NULL,
	"tried_user_ids" bigint[] DEFAULT '{}' NOT NULL,
	"enqueued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"first_offered_at" timestamp with time zone,
	"assigned_user_id" bigint,
	"ended_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "routing_offers" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "routing_offers_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"account_id" bigint NOT NULL,
	"entry_id" bigint NOT NULL,
	"conversation_id" bigint NOT NULL,
	"queue_id" bigint NOT NULL,
	"channel" text NOT NULL,
	"state" text DEFAULT 'open' NOT NULL,
	"offered_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone,
	"accepted_user_id" bigint
);
--> statement-breakpoint
CREATE TABLE "routing_offer_agents" (
	"account_id" bigint NOT NULL,
	"offer_id" bigint NOT NULL,
	"user_id" bigint NOT NULL,
	"channel" text NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"responded_at" timestamp with time zone,
	CONSTRAINT "routing_offer_agents_account_id_offer_id_user_id_pk" PRIMARY KEY("account_id","offer_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "routing_queues" ADD CONSTRAINT "routing_queues_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_queue_members" ADD CONSTRAINT "routing_queue_members_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_queue_members" ADD CONSTRAINT "routing_queue_members_queue_id_routing_queues_id_fk" FOREIGN KEY ("queue_id") REFERENCES "public"."routing_queues"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_queue_members" ADD CONSTRAINT "routing_queue_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_queue_usages" ADD CONSTRAINT "routing_queue_usages_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_queue_usages" ADD CONSTRAINT "routing_queue_usages_inbox_id_inboxes_id_fk" FOREIGN KEY ("inbox_id") REFERENCES "public"."inboxes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_queue_usages" ADD CONSTRAINT "routing_queue_usages_queue_id_routing_queues_id_fk" FOREIGN KEY ("queue_id") REFERENCES "public"."routing_queues"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_agent_states" ADD CONSTRAINT "routing_agent_states_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_agent_states" ADD CONSTRAINT "routing_agent_states_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_entries" ADD CONSTRAINT "routing_entries_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_entries" ADD CONSTRAINT "routing_entries_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_entries" ADD CONSTRAINT "routing_entries_queue_id_routing_queues_id_fk" FOREIGN KEY ("queue_id") REFERENCES "public"."routing_queues"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_entries" ADD CONSTRAINT "routing_entries_assigned_user_id_users_id_fk" FOREIGN KEY ("assigned_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_offers" ADD CONSTRAINT "routing_offers_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_offers" ADD CONSTRAINT "routing_offers_entry_id_routing_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."routing_entries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_offer_agents" ADD CONSTRAINT "routing_offer_agents_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_offer_agents" ADD CONSTRAINT "routing_offer_agents_offer_id_routing_offers_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."routing_offers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_offer_agents" ADD CONSTRAINT "routing_offer_agents_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "routing_queues_uuid_key" ON "routing_queues" USING btree ("uuid");--> statement-breakpoint
CREATE INDEX "routing_queues_account_idx" ON "routing_queues" USING btree ("account_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "routing_queues_default_key" ON "routing_queues" USING btree ("account_id") WHERE "routing_queues"."is_default";--> statement-breakpoint
CREATE INDEX "routing_queue_members_user_idx" ON "routing_queue_members" USING btree ("account_id","user_id");--> statement-breakpoint
CREATE INDEX "routing_queue_usages_queue_idx" ON "routing_queue_usages" USING btree ("account_id","queue_id");--> statement-breakpoint
CREATE UNIQUE INDEX "routing_entries_live_key" ON "routing_entries" USING btree ("account_id","conversation_id") WHERE "routing_entries"."state" IN ('waiting', 'offered');--> statement-breakpoint
CREATE INDEX "routing_entries_conversation_idx" ON "routing_entries" USING btree ("account_id","conversation_id","id");--> statement-breakpoint
CREATE INDEX "routing_entries_waiting_idx" ON "routing_entries" USING btree ("account_id","queue_id","enqueued_at") WHERE "routing_entries"."state" = 'waiting';--> statement-breakpoint
CREATE UNIQUE INDEX "routing_offers_open_key" ON "routing_offers" USING btree ("entry_id") WHERE "routing_offers"."state" = 'open';--> statement-breakpoint
CREATE INDEX "routing_offers_entry_idx" ON "routing_offers" USING btree ("account_id","entry_id","id");--> statement-breakpoint
CREATE INDEX "routing_offer_agents_pending_idx" ON "routing_offer_agents" USING btree ("account_id","user_id","channel") WHERE "routing_offer_agents"."state" = 'pending';
