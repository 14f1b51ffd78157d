CREATE TABLE "profiles"."customer_keys" (
	"tenant_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"key_version" integer DEFAULT 1 NOT NULL,
	"master_key_id" varchar(32) NOT NULL,
	"wrapped_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"rewrapped_at" timestamp with time zone,
	CONSTRAINT "customer_keys_tenant_id_customer_id_pk" PRIMARY KEY("tenant_id","customer_id")
);
--> statement-breakpoint
CREATE TABLE "profiles"."erased_customers" (
	"tenant_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"erased_at" timestamp with time zone DEFAULT now() NOT NULL,
	"erased_by" varchar(100),
	"reason" varchar(500) NOT NULL,
	CONSTRAINT "erased_customers_tenant_id_customer_id_pk" PRIMARY KEY("tenant_id","customer_id")
);
--> statement-breakpoint
CREATE INDEX "customer_keys_master_idx" ON "profiles"."customer_keys" USING btree ("master_key_id","tenant_id","customer_id");