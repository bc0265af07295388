CREATE TABLE "user_networks" (
	"user_id" uuid NOT NULL,
	"network_hash" text NOT NULL,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "user_networks_user_id_network_hash_pk" PRIMARY KEY("user_id","network_hash")
);
--> statement-breakpoint
ALTER TABLE "points_ledger" ADD COLUMN "state" text DEFAULT 'paid' NOT NULL;--> statement-breakpoint
ALTER TABLE "points_ledger" ADD COLUMN "award" integer;--> statement-breakpoint
ALTER TABLE "points_ledger" ADD COLUMN "settled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "points_ledger" ADD COLUMN "void_reason" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "inviter_rewards_day" date;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "inviter_rewards_today" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "inviter_rewards_month" date;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "inviter_rewards_this_month" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "code_activations" jsonb;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "referral_flags" text[];--> statement-breakpoint
ALTER TABLE "user_networks" ADD CONSTRAINT "user_networks_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "user_networks_seen_at_idx" ON "user_networks" USING btree ("seen_at");--> statement-breakpoint
CREATE INDEX "points_ledger_pending_user_id_idx" ON "points_ledger" USING btree ("user_id") WHERE "points_ledger"."state" = 'pending';--> statement-breakpoint
CREATE INDEX "points_ledger_pending_created_at_idx" ON "points_ledger" USING btree ("created_at") WHERE "points_ledger"."state" = 'pending';--> statement-breakpoint
CREATE INDEX "users_flagged_invited_at_idx" ON "users" USING btree ("invited_at" DESC NULLS LAST,"id") WHERE "users"."referral_flags" IS NOT NULL;--> statement-breakpoint
-- Rewards paid before the rules existed were worth what they added.
UPDATE "points_ledger" SET "award" = "amount" WHERE "reason" IN ('referral_invitee', 'referral_inviter');
