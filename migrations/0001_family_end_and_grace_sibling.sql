ALTER TABLE "refresh_tokens" ADD COLUMN "family_ended_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "refresh_tokens" ADD COLUMN "grace_sibling_issued" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- Families revoked for reuse before this column existed were marked only by their `reused` row: mark them the new way.
UPDATE "refresh_tokens" SET "family_ended_at" = now() WHERE "family_id" IN (SELECT "family_id" FROM "refresh_tokens" WHERE "revoked_reason" = 'reused');
