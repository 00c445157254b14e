CREATE INDEX "webhook_deliveries_event_idx" ON "webhook_deliveries" USING btree ("account_id","event_id");--> statement-breakpoint
CREATE INDEX "webhook_delivery_attempts_time_idx" ON "webhook_delivery_attempts" USING btree ("account_id","attempted_at");
