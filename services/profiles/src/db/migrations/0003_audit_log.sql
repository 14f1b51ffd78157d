CREATE TABLE "profiles"."audit_log" (
	"tenant_id" uuid NOT NULL,
	"seq" bigint NOT NULL,
	"id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"actor_type" varchar(20) NOT NULL,
	"actor_id" varchar(100),
	"actor_name" varchar(200),
	"via" varchar(200) NOT NULL,
	"field" varchar(100) NOT NULL,
	"old_value" jsonb,
	"new_value" jsonb,
	"masked" boolean DEFAULT false NOT NULL,
	"prev_hash" varchar(64) NOT NULL,
	"hash" varchar(64) NOT NULL,
	CONSTRAINT "audit_log_tenant_id_seq_pk" PRIMARY KEY("tenant_id","seq")
);
--> statement-breakpoint
ALTER TABLE "profiles"."custom_field_definitions" ADD COLUMN "is_sensitive" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "audit_log_customer_idx" ON "profiles"."audit_log" USING btree ("tenant_id","customer_id","seq");