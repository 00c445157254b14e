-- Per-key concurrency (e.g. one webhook endpoint): a job with a key is not claimed while `limit`
-- jobs with the same key are running.
ALTER TABLE "jobs" ADD COLUMN "concurrency_key" text;
--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "concurrency_limit" integer;
--> statement-breakpoint
CREATE INDEX "jobs_concurrency_key_idx" ON "jobs" USING btree ("concurrency_key","state") WHERE "jobs"."concurrency_key" IS NOT NULL AND "jobs"."state" IN ('queued', 'retrying', 'running');
--> statement-breakpoint
-- The claim reads due jobs in (priority DESC, run_at, id) order: an index in that order lets it
-- stop after its bounded candidate window instead of sorting every due row.
DROP INDEX "jobs_due_idx";
--> statement-breakpoint
CREATE INDEX "jobs_due_idx" ON "jobs" USING btree ("queue","priority" DESC,"run_at","id") WHERE "jobs"."state" IN ('queued', 'retrying');
--> statement-breakpoint
-- Circuit breaker of a webhook endpoint: null = closed; in the future = open (deliveries wait);
-- in the past = half-open (the next delivery is a probe).
ALTER TABLE "webhook_subscriptions" ADD COLUMN "circuit_open_until" timestamp with time zone;
