CREATE TABLE "webhook_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"type" text NOT NULL,
	"data" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"enqueued_at" timestamp with time zone,
	"delivered_at" timestamp with time zone,
	"dead_lettered_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "points_ledger" ADD COLUMN "reference" text;--> statement-breakpoint
ALTER TABLE "points_ledger" ADD COLUMN "balance_after" integer;--> statement-breakpoint
ALTER TABLE "points_ledger" ADD COLUMN "idempotency_key" text;--> statement-breakpoint
ALTER TABLE "points_ledger" ADD COLUMN "request_hash" text;--> statement-breakpoint
CREATE INDEX "webhook_events_pending_idx" ON "webhook_events" USING btree ("created_at") WHERE "webhook_events"."delivered_at" IS NULL AND "webhook_events"."dead_lettered_at" IS NULL;--> statement-breakpoint
CREATE INDEX "webhook_events_delivered_at_idx" ON "webhook_events" USING btree ("delivered_at") WHERE "webhook_events"."delivered_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "points_ledger_user_id_id_idx" ON "points_ledger" USING btree ("user_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "points_ledger_idempotency_key" ON "points_ledger" USING btree ("user_id","idempotency_key") WHERE "points_ledger"."idempotency_key" IS NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_points_not_negative" CHECK ("users"."points" >= 0);--> statement-breakpoint
-- Existing rows get the balance they left, from the ledger itself (it sums to users.points).
UPDATE "points_ledger" SET "balance_after" = "running"."balance" FROM (
	SELECT "id", sum("amount") OVER (PARTITION BY "user_id" ORDER BY "id") AS "balance" FROM "points_ledger"
) AS "running" WHERE "points_ledger"."id" = "running"."id";
