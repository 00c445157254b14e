CREATE INDEX "campaign_contacts_search_priority_idx" ON "campaign_contacts" USING btree ("campaign_id","priority");--> statement-breakpoint
CREATE INDEX "campaign_contacts_custom_fields_trgm_idx" ON "campaign_contacts" USING gin (("custom_fields"::text) gin_trgm_ops);
