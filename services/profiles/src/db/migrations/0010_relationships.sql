CREATE TABLE "profiles"."household_members" (
	"tenant_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"household_id" uuid NOT NULL,
	"joined_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "household_members_tenant_id_customer_id_pk" PRIMARY KEY("tenant_id","customer_id")
);
--> statement-breakpoint
CREATE TABLE "profiles"."households" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"name" varchar(200) NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "households_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "profiles"."relationships" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"related_id" uuid NOT NULL,
	"type" varchar(20) NOT NULL,
	"note" varchar(500),
	"created_by" varchar(100),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "relationships_tenant_id_id_customer_id_pk" PRIMARY KEY("tenant_id","id","customer_id")
);
--> statement-breakpoint
CREATE INDEX "household_members_household_idx" ON "profiles"."household_members" USING btree ("tenant_id","household_id");--> statement-breakpoint
CREATE UNIQUE INDEX "relationships_pair_idx" ON "profiles"."relationships" USING btree ("tenant_id","customer_id","related_id","type");--> statement-breakpoint
CREATE INDEX "relationships_related_idx" ON "profiles"."relationships" USING btree ("tenant_id","related_id");