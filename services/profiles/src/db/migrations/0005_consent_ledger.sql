CREATE TABLE "profiles"."consent_records" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"channel" varchar(10) NOT NULL,
	"purpose" varchar(20) NOT NULL,
	"granted" boolean NOT NULL,
	"source" varchar(50) NOT NULL,
	"note" varchar(500),
	"actor_type" varchar(20) NOT NULL,
	"actor_id" varchar(100),
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "consent_records_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE INDEX "consent_records_current_idx" ON "profiles"."consent_records" USING btree ("tenant_id","customer_id","channel","purpose","recorded_at");