ALTER TABLE "dialer_agents" ADD COLUMN "preview_contact_id" bigint;
--> statement-breakpoint
CREATE INDEX "dialer_agents_campaign_state_idx" ON "dialer_agents" USING btree ("campaign_id","state","state_since");
--> statement-breakpoint
CREATE INDEX "dialer_attempts_campaign_answered_idx" ON "dialer_attempts" USING btree ("campaign_id","placed_at") WHERE "dialer_attempts"."outcome" IN ('answered', 'abandoned');
