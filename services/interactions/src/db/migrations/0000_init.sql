CREATE SCHEMA IF NOT EXISTS "interactions";
--> statement-breakpoint
CREATE TABLE "interactions"."bookings" (
	"tenant_id" uuid NOT NULL,
	"bookingx_id" varchar(100) NOT NULL,
	"customer_id" uuid NOT NULL,
	"status" varchar(20) NOT NULL,
	"revision" integer NOT NULL,
	"service_name" varchar(200) NOT NULL,
	"staff_name" varchar(200) NOT NULL,
	"start_at" timestamp with time zone NOT NULL,
	"end_at" timestamp with time zone NOT NULL,
	"amount_minor" integer NOT NULL,
	"currency" varchar(3) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bookings_tenant_id_bookingx_id_pk" PRIMARY KEY("tenant_id","bookingx_id")
);
--> statement-breakpoint
CREATE TABLE "interactions"."customer_access" (
	"tenant_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"owner_id" varchar(100),
	"team_id" varchar(100),
	"version" integer NOT NULL,
	CONSTRAINT "customer_access_tenant_id_customer_id_pk" PRIMARY KEY("tenant_id","customer_id")
);
--> statement-breakpoint
CREATE TABLE "interactions"."dead_letters" (
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
CREATE TABLE "interactions"."idempotency_keys" (
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
CREATE TABLE "interactions"."inbox" (
	"consumer" text NOT NULL,
	"event_id" text NOT NULL,
	"event_type" text NOT NULL,
	"processed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inbox_consumer_event_id_pk" PRIMARY KEY("consumer","event_id")
);
--> statement-breakpoint
CREATE TABLE "interactions"."interactions" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"interaction_type" varchar(50) NOT NULL,
	"interaction_source" varchar(50),
	"subject" varchar(500),
	"description" text,
	"booking_id" varchar(100),
	"staff_id" varchar(100),
	"direction" varchar(20),
	"duration_minutes" integer,
	"outcome" varchar(100),
	"amount_minor" integer,
	"currency" varchar(3),
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"interaction_date" timestamp with time zone NOT NULL,
	"created_by" varchar(100),
	"source_event_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "interactions_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "interactions"."outbox" (
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
CREATE TABLE "interactions"."timeline_entries" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"kind" varchar(20) NOT NULL,
	"type" varchar(100) NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"actor_type" varchar(20) NOT NULL,
	"actor_id" varchar(100),
	"actor_name" varchar(200),
	"summary" text NOT NULL,
	"icon" varchar(50) NOT NULL,
	"source_service" varchar(50) NOT NULL,
	"object_type" varchar(50) NOT NULL,
	"object_id" varchar(100) NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"source_event_id" text NOT NULL,
	CONSTRAINT "timeline_entries_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE INDEX "bookings_customer_idx" ON "interactions"."bookings" USING btree ("tenant_id","customer_id","start_at");--> statement-breakpoint
CREATE INDEX "customer_access_owner_idx" ON "interactions"."customer_access" USING btree ("tenant_id","owner_id");--> statement-breakpoint
CREATE INDEX "dead_letters_order_idx" ON "interactions"."dead_letters" USING btree ("dead_lettered_at","id");--> statement-breakpoint
CREATE INDEX "idempotency_keys_created_idx" ON "interactions"."idempotency_keys" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "interactions_customer_idx" ON "interactions"."interactions" USING btree ("tenant_id","customer_id","interaction_date");--> statement-breakpoint
CREATE INDEX "interactions_type_idx" ON "interactions"."interactions" USING btree ("tenant_id","interaction_type");--> statement-breakpoint
CREATE INDEX "interactions_staff_idx" ON "interactions"."interactions" USING btree ("tenant_id","staff_id");--> statement-breakpoint
CREATE UNIQUE INDEX "interactions_source_event_idx" ON "interactions"."interactions" USING btree ("tenant_id","source_event_id") WHERE source_event_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX "outbox_pending_idx" ON "interactions"."outbox" USING btree ("seq") WHERE sent_at IS NULL;--> statement-breakpoint
CREATE INDEX "outbox_sent_idx" ON "interactions"."outbox" USING btree ("sent_at") WHERE sent_at IS NOT NULL;--> statement-breakpoint
CREATE INDEX "timeline_customer_idx" ON "interactions"."timeline_entries" USING btree ("tenant_id","customer_id","occurred_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "timeline_source_event_idx" ON "interactions"."timeline_entries" USING btree ("tenant_id","source_event_id");