CREATE TABLE "routing_queue_alerts" (
	"account_id" bigint NOT NULL,
	"queue_id" bigint NOT NULL,
	"threshold" text NOT NULL,
	"is_crossed" boolean DEFAULT false NOT NULL,
	"value" double precision,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "routing_queue_alerts_account_id_queue_id_threshold_pk" PRIMARY KEY("account_id","queue_id","threshold")
);
--> statement-breakpoint
ALTER TABLE "routing_entries" ADD COLUMN "personal_user_id" bigint;--> statement-breakpoint
ALTER TABLE "routing_entries" ADD COLUMN "abandoned_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "routing_queue_alerts" ADD CONSTRAINT "routing_queue_alerts_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_queue_alerts" ADD CONSTRAINT "routing_queue_alerts_queue_id_routing_queues_id_fk" FOREIGN KEY ("queue_id") REFERENCES "public"."routing_queues"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_entries" ADD CONSTRAINT "routing_entries_personal_user_id_users_id_fk" FOREIGN KEY ("personal_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;
