ALTER TABLE "credit_balances" ALTER COLUMN "warning_limit_cents" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "credit_balances" ALTER COLUMN "warning_limit_cents" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "credit_balances" ALTER COLUMN "shutdown_limit_cents" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "credit_balances" ALTER COLUMN "shutdown_limit_cents" DROP NOT NULL;--> statement-breakpoint
CREATE INDEX "api_sessions_refreshable_idx" ON "api_sessions" USING btree ("refreshable_until");--> statement-breakpoint
CREATE INDEX "did_store_orders_closed_idx" ON "did_store_orders" USING btree ("closed_at");
