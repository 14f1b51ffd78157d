CREATE SCHEMA IF NOT EXISTS "profiles";
--> statement-breakpoint
CREATE TABLE "profiles"."customers" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"first_name" varchar(100) NOT NULL,
	"last_name" varchar(100) DEFAULT '' NOT NULL,
	"email" varchar(254),
	"phone" varchar(32),
	"timezone" varchar(64),
	"profile_picture_url" varchar(500),
	"company_name" varchar(200),
	"job_title" varchar(200),
	"website" varchar(500),
	"linkedin_url" varchar(500),
	"facebook_url" varchar(500),
	"instagram_url" varchar(500),
	"twitter_url" varchar(500),
	"preferred_contact_method" varchar(20),
	"preferred_contact_time" varchar(50),
	"birthday" date,
	"anniversary" date,
	"referral_source" varchar(100),
	"customer_status" varchar(50) DEFAULT 'active' NOT NULL,
	"customer_stage" varchar(50) DEFAULT 'new' NOT NULL,
	"vip_status" boolean DEFAULT false NOT NULL,
	"do_not_contact" boolean DEFAULT false NOT NULL,
	"owner_id" varchar(100),
	"team_id" varchar(100),
	"source" varchar(20) DEFAULT 'crm' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"bookingx_synced_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "customers_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "profiles"."dead_letters" (
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
CREATE TABLE "profiles"."external_refs" (
	"tenant_id" uuid NOT NULL,
	"system" varchar(30) NOT NULL,
	"external_id" varchar(100) NOT NULL,
	"customer_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "external_refs_tenant_id_system_external_id_pk" PRIMARY KEY("tenant_id","system","external_id")
);
--> statement-breakpoint
CREATE TABLE "profiles"."idempotency_keys" (
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
CREATE TABLE "profiles"."inbox" (
	"consumer" text NOT NULL,
	"event_id" text NOT NULL,
	"event_type" text NOT NULL,
	"processed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inbox_consumer_event_id_pk" PRIMARY KEY("consumer","event_id")
);
--> statement-breakpoint
CREATE TABLE "profiles"."outbox" (
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
CREATE INDEX "customers_created_idx" ON "profiles"."customers" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
CREATE INDEX "customers_updated_idx" ON "profiles"."customers" USING btree ("tenant_id","updated_at","id");--> statement-breakpoint
CREATE INDEX "customers_last_name_idx" ON "profiles"."customers" USING btree ("tenant_id","last_name","id");--> statement-breakpoint
CREATE INDEX "customers_email_idx" ON "profiles"."customers" USING btree ("tenant_id",lower("email"));--> statement-breakpoint
CREATE INDEX "customers_status_idx" ON "profiles"."customers" USING btree ("tenant_id","customer_status");--> statement-breakpoint
CREATE INDEX "customers_stage_idx" ON "profiles"."customers" USING btree ("tenant_id","customer_stage");--> statement-breakpoint
CREATE INDEX "customers_vip_idx" ON "profiles"."customers" USING btree ("tenant_id","vip_status");--> statement-breakpoint
CREATE INDEX "customers_owner_idx" ON "profiles"."customers" USING btree ("tenant_id","owner_id");--> statement-breakpoint
CREATE INDEX "customers_team_idx" ON "profiles"."customers" USING btree ("tenant_id","team_id");--> statement-breakpoint
CREATE INDEX "dead_letters_order_idx" ON "profiles"."dead_letters" USING btree ("dead_lettered_at","id");--> statement-breakpoint
CREATE INDEX "external_refs_customer_idx" ON "profiles"."external_refs" USING btree ("tenant_id","customer_id");--> statement-breakpoint
CREATE INDEX "idempotency_keys_created_idx" ON "profiles"."idempotency_keys" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "outbox_pending_idx" ON "profiles"."outbox" USING btree ("seq") WHERE sent_at IS NULL;--> statement-breakpoint
CREATE INDEX "outbox_sent_idx" ON "profiles"."outbox" USING btree ("sent_at") WHERE sent_at IS NOT NULL;