CREATE SCHEMA IF NOT EXISTS "gateway";
--> statement-breakpoint
CREATE TABLE "gateway"."dead_letters" (
	"id" uuid PRIMARY KEY NOT NULL,
	"queue" text NOT NULL,
	"event_id" text NOT NULL,
	"event_type" text NOT NULL,
	"tenant_id" uuid,
	"reason" text NOT NULL,
	"delivery_count" integer NOT NULL,
	"payload" jsonb NOT NULL,
	"dead_lettered_at" timestamp with time zone DEFAULT now() NOT NULL,
	"replayed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "gateway"."idempotency_keys" (
	"tenant_id" uuid NOT NULL,
	"key" text NOT NULL,
	"method" text NOT NULL,
	"path" text NOT NULL,
	"request_hash" text NOT NULL,
	"status" integer NOT NULL,
	"headers" jsonb NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_tenant_id_key_pk" PRIMARY KEY("tenant_id","key")
);
--> statement-breakpoint
CREATE TABLE "gateway"."inbox" (
	"consumer" text NOT NULL,
	"event_id" text NOT NULL,
	"event_type" text NOT NULL,
	"processed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inbox_consumer_event_id_pk" PRIMARY KEY("consumer","event_id")
);
--> statement-breakpoint
CREATE TABLE "gateway"."members" (
	"tenant_id" uuid NOT NULL,
	"id" varchar(255) NOT NULL,
	"name" varchar(200) NOT NULL,
	"email" varchar(320),
	"role" varchar(20) NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"claims" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone,
	CONSTRAINT "members_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "members_role_check" CHECK ("gateway"."members"."role" IN ('admin', 'manager', 'staff', 'sales_rep'))
);
--> statement-breakpoint
CREATE TABLE "gateway"."outbox" (
	"id" uuid PRIMARY KEY NOT NULL,
	"seq" bigserial NOT NULL,
	"exchange" text NOT NULL,
	"routing_key" text NOT NULL,
	"tenant_id" uuid,
	"envelope" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"available_at" timestamp with time zone DEFAULT now() NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "gateway"."team_memberships" (
	"tenant_id" uuid NOT NULL,
	"team_id" varchar(100) NOT NULL,
	"member_id" varchar(255) NOT NULL,
	CONSTRAINT "team_memberships_tenant_id_team_id_member_id_pk" PRIMARY KEY("tenant_id","team_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "gateway"."teams" (
	"tenant_id" uuid NOT NULL,
	"id" varchar(100) NOT NULL,
	"name" varchar(100) NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "teams_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "gateway"."team_memberships" ADD CONSTRAINT "team_memberships_team_fk" FOREIGN KEY ("tenant_id","team_id") REFERENCES "gateway"."teams"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gateway"."team_memberships" ADD CONSTRAINT "team_memberships_member_fk" FOREIGN KEY ("tenant_id","member_id") REFERENCES "gateway"."members"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dead_letters_order_idx" ON "gateway"."dead_letters" USING btree ("dead_lettered_at","id");--> statement-breakpoint
CREATE INDEX "idempotency_keys_created_idx" ON "gateway"."idempotency_keys" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "members_email_idx" ON "gateway"."members" USING btree ("tenant_id",lower("email")) WHERE email IS NOT NULL;--> statement-breakpoint
CREATE INDEX "members_name_idx" ON "gateway"."members" USING btree ("tenant_id",lower("name"),"id");--> statement-breakpoint
CREATE INDEX "outbox_pending_idx" ON "gateway"."outbox" USING btree ("seq") WHERE sent_at IS NULL;--> statement-breakpoint
CREATE INDEX "outbox_sent_idx" ON "gateway"."outbox" USING btree ("sent_at") WHERE sent_at IS NOT NULL;--> statement-breakpoint
CREATE INDEX "team_memberships_member_idx" ON "gateway"."team_memberships" USING btree ("tenant_id","member_id");--> statement-breakpoint
CREATE INDEX "teams_name_idx" ON "gateway"."teams" USING btree ("tenant_id",lower("name"),"id");