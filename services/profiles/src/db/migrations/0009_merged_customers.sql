CREATE TABLE "profiles"."merged_customers" (
	"tenant_id" uuid NOT NULL,
	"merged_id" uuid NOT NULL,
	"survivor_id" uuid NOT NULL,
	"merged_by" varchar(100),
	"merged_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "merged_customers_tenant_id_merged_id_pk" PRIMARY KEY("tenant_id","merged_id")
);
--> statement-breakpoint
CREATE INDEX "merged_customers_survivor_idx" ON "profiles"."merged_customers" USING btree ("tenant_id","survivor_id");