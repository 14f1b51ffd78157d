CREATE SCHEMA IF NOT EXISTS "comms";
--> statement-breakpoint
CREATE TABLE "comms"."dead_letters" (
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
CREATE TABLE "comms"."idempotency_keys" (
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
CREATE TABLE "comms"."inbox" (
	"consumer" text NOT NULL,
	"event_id" text NOT NULL,
	"event_type" text NOT NULL,
	"processed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inbox_consumer_event_id_pk" PRIMARY KEY("consumer","event_id")
);
--> statement-breakpoint
CREATE TABLE "comms"."outbox" (
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
CREATE INDEX "dead_letters_order_idx" ON "comms"."dead_letters" USING btree ("dead_lettered_at","id");--> statement-breakpoint
CREATE INDEX "idempotency_keys_created_idx" ON "comms"."idempotency_keys" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "outbox_pending_idx" ON "comms"."outbox" USING btree ("seq") WHERE sent_at IS NULL;--> statement-breakpoint
CREATE INDEX "outbox_sent_idx" ON "comms"."outbox" USING btree ("sent_at") WHERE sent_at IS NOT NULL;