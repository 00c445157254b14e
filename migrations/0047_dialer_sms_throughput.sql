-- Contact search, `eq null` / `notEq null` on a custom field: which fields a contact has filled (set
-- and not empty), as sorted keys and as a 64-bit hash of them. A campaign's contacts come in a few
-- such shapes; the search lists them with a skip scan of the index below and turns "field blank"
-- into "shape among those that lack it", which the index answers instead of reading every contact.
-- Qualified: index builds run functions with search_path = pg_catalog (PostgreSQL 17).
CREATE FUNCTION campaign_contact_filled_fields(fields jsonb) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(e.key ORDER BY e.key), '{}'::text[])
  FROM jsonb_each_text(CASE WHEN jsonb_typeof(fields) = 'object' THEN fields ELSE '{}'::jsonb END) AS e
  WHERE e.value <> ''
$$;
--> statement-breakpoint
CREATE FUNCTION campaign_contact_filled_fields_hash(fields jsonb) RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT hashtextextended(public.campaign_contact_filled_fields(fields)::text, 0)
$$;
--> statement-breakpoint
CREATE INDEX "campaign_contacts_filled_fields_idx" ON "campaign_contacts" USING btree ("campaign_id",campaign_contact_filled_fields_hash("custom_fields"));
--> statement-breakpoint
CREATE INDEX "dialer_attempts_campaign_ended_idx" ON "dialer_attempts" USING btree ("campaign_id","ended_at") WHERE "dialer_attempts"."connected_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "dialer_attempts_campaign_wrapped_idx" ON "dialer_attempts" USING btree ("campaign_id","wrapped_up_at") WHERE "dialer_attempts"."wrapped_up_at" IS NOT NULL;
--> statement-breakpoint
CREATE INDEX "campaign_contacts_calendar_idx" ON "campaign_contacts" USING btree ("campaign_id") WHERE "campaign_contacts"."calendar_id" IS NOT NULL;
