ALTER TABLE "points_ledger" ADD COLUMN "state" text DEFAULT 'paid' NOT NULL;--> statement-breakpoint
ALTER TABLE "points_ledger" ADD COLUMN "award" integer;--> statement-breakpoint
ALTER TABLE "points_ledger" ADD COLUMN "settled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "points_ledger" ADD COLUMN "void_reason" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "inviter_rewards_day" date;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "inviter_rewards_today" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "inviter_rewards_month" date;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "inviter_rewards_this_month" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "points_ledger_pending_user_id_idx" ON "points_ledger" USING btree ("user_id") WHERE "points_ledger"."state" = 'pending';--> statement-breakpoint
CREATE INDEX "points_ledger_pending_created_at_idx" ON "points_ledger" USING btree ("created_at") WHERE "points_ledger"."state" = 'pending';--> statement-breakpoint
-- Rewards paid before the rules existed were worth what they added.
UPDATE "points_ledger" SET "award" = "amount" WHERE "reason" IN ('referral_invitee', 'referral_inviter');
