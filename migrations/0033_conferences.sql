CREATE TABLE "conference_accesses" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "conference_accesses_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"account_id" bigint NOT NULL,
	"room_id" bigint NOT NULL,
	"pin" text NOT NULL,
	"level" text NOT NULL,
	"phone_number" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "conference_participants" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "conference_participants_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"account_id" bigint NOT NULL,
	"room_id" bigint NOT NULL,
	"access_id" bigint,
	"level" text NOT NULL,
	"number" text NOT NULL,
	"cli" text DEFAULT '' NOT NULL,
	"announce" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'calling' NOT NULL,
	"dial_status" text,
	"carrier_call_id" text,
	"dialed_at" timestamp with time zone,
	"answered_at" timestamp with time zone,
	"joined_at" timestamp with time zone,
	"left_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "conference_rooms" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "conference_rooms_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"account_id" bigint NOT NULL,
	"name" text NOT NULL,
	"is_open" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "phone_numbers" DROP CONSTRAINT "phone_numbers_one_target";--> statement-breakpoint
ALTER TABLE "phone_numbers" ADD COLUMN "conference_room_id" bigint;--> statement-breakpoint
ALTER TABLE "conference_accesses" ADD CONSTRAINT "conference_accesses_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conference_accesses" ADD CONSTRAINT "conference_accesses_room_id_conference_rooms_id_fk" FOREIGN KEY ("room_id") REFERENCES "public"."conference_rooms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conference_participants" ADD CONSTRAINT "conference_participants_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conference_participants" ADD CONSTRAINT "conference_participants_room_id_conference_rooms_id_fk" FOREIGN KEY ("room_id") REFERENCES "public"."conference_rooms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conference_participants" ADD CONSTRAINT "conference_participants_access_id_conference_accesses_id_fk" FOREIGN KEY ("access_id") REFERENCES "public"."conference_accesses"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conference_rooms" ADD CONSTRAINT "conference_rooms_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "conference_accesses_room_pin_idx" ON "conference_accesses" USING btree ("room_id","pin");--> statement-breakpoint
CREATE INDEX "conference_participants_live_idx" ON "conference_participants" USING btree ("room_id","id") WHERE "conference_participants"."status" IN ('calling', 'joined');--> statement-breakpoint
CREATE UNIQUE INDEX "conference_participants_carrier_idx" ON "conference_participants" USING btree ("carrier_call_id");--> statement-breakpoint
CREATE INDEX "conference_rooms_account_idx" ON "conference_rooms" USING btree ("account_id","id");--> statement-breakpoint
ALTER TABLE "phone_numbers" ADD CONSTRAINT "phone_numbers_conference_room_id_conference_rooms_id_fk" FOREIGN KEY ("conference_room_id") REFERENCES "public"."conference_rooms"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "phone_numbers_conference_room_idx" ON "phone_numbers" USING btree ("conference_room_id");--> statement-breakpoint
ALTER TABLE "phone_numbers" ADD CONSTRAINT "phone_numbers_one_target" CHECK (num_nonnulls("phone_numbers"."voice_app_id", "phone_numbers"."inbox_id", "phone_numbers"."conference_room_id") <= 1);
