ALTER TABLE "routing_agent_states" ADD COLUMN "wrapup_until" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "routing_offers_conversation_idx" ON "routing_offers" USING btree ("account_id","conversation_id");
--> statement-breakpoint
INSERT INTO "reporting_aggregates" ("account_id", "metric", "grain", "grouping", "bucket", "channel", "direction", "queue_id", "agent_id", "count", "sum", "sum_squares", "min", "max", "hits")
SELECT a."account_id", a."metric", 'day', g."grouping"::smallint,
  date_trunc('day', a."bucket" AT TIME ZONE 'UTC') AT TIME ZONE 'UTC',
  CASE WHEN g."grouping" & 1 <> 0 THEN a."channel" ELSE '' END,
  CASE WHEN g."grouping" & 2 <> 0 THEN a."direction" ELSE '' END,
  CASE WHEN g."grouping" & 4 <> 0 THEN a."queue_id" ELSE 0 END,
  CASE WHEN g."grouping" & 8 <> 0 THEN a."agent_id" ELSE 0 END,
  sum(a."count"), sum(a."sum"), sum(a."sum_squares"), min(a."min"), max(a."max"), sum(a."hits")
FROM "reporting_aggregates" a
CROSS JOIN (VALUES (3), (5), (6), (9), (10), (12)) AS g("grouping")
WHERE a."grain" = 'hour' AND a."grouping" = 15
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
ON CONFLICT DO NOTHING;
