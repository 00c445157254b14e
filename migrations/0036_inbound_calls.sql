ALTER TABLE "telephony_calls" ADD COLUMN "did_id" bigint;--> statement-breakpoint
ALTER TABLE "telephony_calls" ADD COLUMN "parent_call_id" bigint;--> statement-breakpoint
ALTER TABLE "telephony_calls" ADD COLUMN "voicemail_started_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "telephony_calls" ADD COLUMN "voicemail_media_id" bigint;--> statement-breakpoint
ALTER TABLE "telephony_calls" ADD CONSTRAINT "telephony_calls_did_id_phone_numbers_id_fk" FOREIGN KEY ("did_id") REFERENCES "public"."phone_numbers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "telephony_calls" ADD CONSTRAINT "telephony_calls_parent_call_id_telephony_calls_id_fk" FOREIGN KEY ("parent_call_id") REFERENCES "public"."telephony_calls"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "telephony_calls" ADD CONSTRAINT "telephony_calls_voicemail_media_id_media_items_id_fk" FOREIGN KEY ("voicemail_media_id") REFERENCES "public"."media_items"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "telephony_calls_parent_idx" ON "telephony_calls" USING btree ("parent_call_id") WHERE "telephony_calls"."parent_call_id" IS NOT NULL;
