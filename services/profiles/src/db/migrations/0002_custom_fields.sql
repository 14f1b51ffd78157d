CREATE TABLE "profiles"."custom_field_definitions" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"field_name" varchar(64) NOT NULL,
	"field_label" varchar(200) NOT NULL,
	"field_type" varchar(20) NOT NULL,
	"field_options" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"is_required" boolean DEFAULT false NOT NULL,
	"validation" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"display_order" integer DEFAULT 0 NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "custom_field_definitions_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "profiles"."custom_field_values" (
	"tenant_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"field_id" uuid NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "custom_field_values_tenant_id_customer_id_field_id_pk" PRIMARY KEY("tenant_id","customer_id","field_id")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "custom_field_definitions_name_idx" ON "profiles"."custom_field_definitions" USING btree ("tenant_id","field_name");--> statement-breakpoint
CREATE INDEX "custom_field_definitions_order_idx" ON "profiles"."custom_field_definitions" USING btree ("tenant_id","display_order");--> statement-breakpoint
CREATE INDEX "custom_field_values_field_idx" ON "profiles"."custom_field_values" USING btree ("tenant_id","field_id");