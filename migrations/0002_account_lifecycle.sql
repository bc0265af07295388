CREATE TABLE "rewarded_numbers" (
	"number_hash" text PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "refresh_tokens" ADD COLUMN "session_started_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "refresh_tokens" ADD COLUMN "device_label" text;--> statement-breakpoint
-- Sessions that began before this migration: a family's first token still held is the best record of its start.
UPDATE "refresh_tokens" AS t SET "session_started_at" = f.started
FROM (SELECT "family_id", min("created_at") AS started FROM "refresh_tokens" GROUP BY "family_id") AS f
WHERE t."family_id" = f."family_id";--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "number_rewarded_before" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "refresh_tokens_expires_at_idx" ON "refresh_tokens" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "refresh_tokens_family_ended_at_idx" ON "refresh_tokens" USING btree ("family_ended_at") WHERE "refresh_tokens"."family_ended_at" IS NOT NULL;