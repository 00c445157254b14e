CREATE TABLE "whatsapp_stand_in_messages" (
	"account_id" bigint NOT NULL,
	"inbox_id" bigint NOT NULL,
	"id" text NOT NULL,
	"remote_jid" text NOT NULL,
	"text" text NOT NULL,
	"send_count" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "whatsapp_stand_in_messages_account_id_inbox_id_id_pk" PRIMARY KEY("account_id","inbox_id","id")
);
--> statement-breakpoint
ALTER TABLE "whatsapp_stand_in_messages" ADD CONSTRAINT "whatsapp_stand_in_messages_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "whatsapp_stand_in_messages" ADD CONSTRAINT "whatsapp_stand_in_messages_inbox_id_inboxes_id_fk" FOREIGN KEY ("inbox_id") REFERENCES "public"."inboxes"("id") ON DELETE cascade ON UPDATE no action;
