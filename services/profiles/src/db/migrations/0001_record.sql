CREATE TABLE "profiles"."customer_collaborators" (
	"tenant_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"staff_id" varchar(100) NOT NULL,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "customer_collaborators_tenant_id_customer_id_staff_id_pk" PRIMARY KEY("tenant_id","customer_id","staff_id")
);
--> statement-breakpoint
CREATE TABLE "profiles"."customer_tags" (
	"tenant_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"tag_id" uuid NOT NULL,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "customer_tags_tenant_id_customer_id_tag_id_pk" PRIMARY KEY("tenant_id","customer_id","tag_id")
);
--> statement-breakpoint
CREATE TABLE "profiles"."lifecycle_stages" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"stages" jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "profiles"."tags" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"name" varchar(50) NOT NULL,
	"colour" varchar(7) NOT NULL,
	"description" varchar(500),
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tags_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "profiles"."customers" ADD COLUMN "locale" varchar(35);--> statement-breakpoint
ALTER TABLE "profiles"."customers" ADD COLUMN "address_line1" varchar(200);--> statement-breakpoint
ALTER TABLE "profiles"."customers" ADD COLUMN "address_line2" varchar(200);--> statement-breakpoint
ALTER TABLE "profiles"."customers" ADD COLUMN "city" varchar(100);--> statement-breakpoint
ALTER TABLE "profiles"."customers" ADD COLUMN "region" varchar(100);--> statement-breakpoint
ALTER TABLE "profiles"."customers" ADD COLUMN "postal_code" varchar(20);--> statement-breakpoint
ALTER TABLE "profiles"."customers" ADD COLUMN "country" varchar(2);--> statement-breakpoint
ALTER TABLE "profiles"."customers" ADD COLUMN "preferences" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
CREATE INDEX "customer_collaborators_staff_idx" ON "profiles"."customer_collaborators" USING btree ("tenant_id","staff_id","customer_id");--> statement-breakpoint
CREATE INDEX "customer_tags_tag_idx" ON "profiles"."customer_tags" USING btree ("tenant_id","tag_id","customer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "tags_name_idx" ON "profiles"."tags" USING btree ("tenant_id",lower("name"));