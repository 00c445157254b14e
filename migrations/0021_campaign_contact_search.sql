CREATE INDEX "campaign_contacts_search_wrapup_idx" ON "campaign_contacts" USING btree ("campaign_id","wrapup_status") WHERE "campaign_contacts"."wrapup_status" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "campaign_contacts_search_agent_idx" ON "campaign_contacts" USING btree ("campaign_id","agent_id") WHERE "campaign_contacts"."agent_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "campaign_contacts_search_last_agent_idx" ON "campaign_contacts" USING btree ("campaign_id","last_agent_id") WHERE "campaign_contacts"."last_agent_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "campaign_contacts_search_assigned_agent_idx" ON "campaign_contacts" USING btree ("campaign_id","assigned_agent_id") WHERE "campaign_contacts"."assigned_agent_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "campaign_contacts_search_assigned_group_idx" ON "campaign_contacts" USING btree ("campaign_id","assigned_group_id") WHERE "campaign_contacts"."assigned_group_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "campaign_contacts_search_wrapup_id_idx" ON "campaign_contacts" USING btree ("campaign_id","wrapup_id") WHERE "campaign_contacts"."wrapup_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "campaign_contacts_search_excluded_idx" ON "campaign_contacts" USING btree ("campaign_id","excluded_detail") WHERE "campaign_contacts"."excluded";--> statement-breakpoint
CREATE INDEX "campaign_contacts_search_retry_idx" ON "campaign_contacts" USING btree ("campaign_id","retry_at") WHERE "campaign_contacts"."retry_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "campaign_contacts_search_last_call_idx" ON "campaign_contacts" USING btree ("campaign_id","last_call_at") WHERE "campaign_contacts"."last_call_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "campaign_contacts_search_region_idx" ON "campaign_contacts" USING btree ("campaign_id","region") WHERE "campaign_contacts"."region" IS NOT NULL;
