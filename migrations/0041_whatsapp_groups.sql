CREATE TABLE "whatsapp_group_members" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "whatsapp_group_members_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"account_id" bigint NOT NULL,
	"group_contact_id" bigint NOT NULL,
	"contact_id" bigint NOT NULL,
	"role" text DEFAULT 'member' NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"joined_at" timestamp with time zone DEFAULT now() NOT NULL,
	"left_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "whatsapp_stand_in_groups" (
	"account_id" bigint NOT NULL,
	"inbox_id" bigint NOT NULL,
	"jid" text NOT NULL,
	"subject" text NOT NULL,
	"description" text,
	"picture_url" text,
	"owner_jid" text NOT NULL,
	"invite_code" text NOT NULL,
	"announce" boolean DEFAULT false NOT NULL,
	"restrict" boolean DEFAULT false NOT NULL,
	"join_approval_mode" boolean DEFAULT false NOT NULL,
	"member_add_mode" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "whatsapp_stand_in_groups_account_id_inbox_id_jid_pk" PRIMARY KEY("account_id","inbox_id","jid")
);
--> statement-breakpoint
CREATE TABLE "whatsapp_stand_in_participants" (
	"account_id" bigint NOT NULL,
	"inbox_id" bigint NOT NULL,
	"group_jid" text NOT NULL,
	"jid" text NOT NULL,
	"role" text DEFAULT 'member' NOT NULL,
	"state" text DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "whatsapp_stand_in_participants_account_id_inbox_id_group_jid_jid_pk" PRIMARY KEY("account_id","inbox_id","group_jid","jid")
);
--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "group_type" text DEFAULT 'individual' NOT NULL;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "group_jid" text;--> statement-breakpoint
ALTER TABLE "whatsapp_group_members" ADD CONSTRAINT "whatsapp_group_members_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "whatsapp_group_members" ADD CONSTRAINT "whatsapp_group_members_group_contact_id_contacts_id_fk" FOREIGN KEY ("group_contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "whatsapp_group_members" ADD CONSTRAINT "whatsapp_group_members_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "whatsapp_stand_in_groups" ADD CONSTRAINT "whatsapp_stand_in_groups_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "whatsapp_stand_in_groups" ADD CONSTRAINT "whatsapp_stand_in_groups_inbox_id_inboxes_id_fk" FOREIGN KEY ("inbox_id") REFERENCES "public"."inboxes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "whatsapp_stand_in_participants" ADD CONSTRAINT "whatsapp_stand_in_participants_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "whatsapp_stand_in_participants" ADD CONSTRAINT "whatsapp_stand_in_participants_inbox_id_inboxes_id_fk" FOREIGN KEY ("inbox_id") REFERENCES "public"."inboxes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "whatsapp_group_members_group_contact_key" ON "whatsapp_group_members" USING btree ("account_id","group_contact_id","contact_id");--> statement-breakpoint
CREATE INDEX "whatsapp_group_members_active_idx" ON "whatsapp_group_members" USING btree ("account_id","group_contact_id","id") WHERE "whatsapp_group_members"."is_active";--> statement-breakpoint
CREATE INDEX "whatsapp_group_members_contact_idx" ON "whatsapp_group_members" USING btree ("account_id","contact_id");--> statement-breakpoint
CREATE UNIQUE INDEX "contacts_account_group_jid_key" ON "contacts" USING btree ("account_id","group_jid") WHERE "contacts"."group_jid" IS NOT NULL;
