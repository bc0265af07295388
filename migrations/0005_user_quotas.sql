CREATE TABLE "user_quotas" (
	"user_id" uuid NOT NULL,
	"action" text NOT NULL,
	"hour_start" timestamp with time zone NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "user_quotas_user_id_action_pk" PRIMARY KEY("user_id","action")
);
--> statement-breakpoint
ALTER TABLE "user_quotas" ADD CONSTRAINT "user_quotas_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;