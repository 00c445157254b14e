ALTER TABLE "webhook_subscriptions" ADD COLUMN "secrets_sealed" boolean DEFAULT false NOT NULL;--> statement-breakpoint
UPDATE "webhook_subscriptions" SET "options" = ("options" - 'authorization') || jsonb_build_object('secrets', jsonb_build_object('authorization', "options" -> 'authorization')) WHERE "format" = 'dixa' AND "options" -> 'authorization' IS NOT NULL;
