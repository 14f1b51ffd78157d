CREATE TABLE "profiles"."opportunities" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"title" varchar(200) NOT NULL,
	"stage" varchar(50) NOT NULL,
	"status" varchar(10) DEFAULT 'open' NOT NULL,
	"amount_minor" bigint NOT NULL,
	"currency" varchar(3) NOT NULL,
	"expected_close_date" date,
	"owner_id" varchar(100),
	"lost_reason" varchar(500),
	"closed_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "opportunities_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "profiles"."opportunity_stages" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"stages" jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "opportunities_customer_idx" ON "profiles"."opportunities" USING btree ("tenant_id","customer_id","created_at");--> statement-breakpoint
CREATE INDEX "opportunities_pipeline_idx" ON "profiles"."opportunities" USING btree ("tenant_id","status","stage","created_at");