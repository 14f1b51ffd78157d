CREATE TABLE "profiles"."customer_import_errors" (
	"tenant_id" uuid NOT NULL,
	"import_id" uuid NOT NULL,
	"row_number" integer NOT NULL,
	"seq" integer NOT NULL,
	"column" varchar(200),
	"code" varchar(50) NOT NULL,
	"message" varchar(500) NOT NULL,
	CONSTRAINT "customer_import_errors_tenant_id_import_id_row_number_seq_pk" PRIMARY KEY("tenant_id","import_id","row_number","seq")
);
--> statement-breakpoint
CREATE TABLE "profiles"."customer_import_keys" (
	"tenant_id" uuid NOT NULL,
	"import_id" uuid NOT NULL,
	"key" varchar(300) NOT NULL,
	"row_number" integer NOT NULL,
	"customer_id" uuid,
	CONSTRAINT "customer_import_keys_tenant_id_import_id_key_pk" PRIMARY KEY("tenant_id","import_id","key")
);
--> statement-breakpoint
CREATE TABLE "profiles"."customer_import_uploads" (
	"tenant_id" uuid NOT NULL,
	"import_id" uuid NOT NULL,
	"content" "bytea" NOT NULL,
	CONSTRAINT "customer_import_uploads_tenant_id_import_id_pk" PRIMARY KEY("tenant_id","import_id")
);
--> statement-breakpoint
CREATE TABLE "profiles"."customer_imports" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"status" varchar(20) DEFAULT 'queued' NOT NULL,
	"dry_run" boolean NOT NULL,
	"on_duplicate" varchar(10) NOT NULL,
	"mapping" jsonb NOT NULL,
	"phone_region" varchar(2) NOT NULL,
	"requested_by" jsonb NOT NULL,
	"created_by" varchar(100) NOT NULL,
	"byte_size" integer NOT NULL,
	"sha256" varchar(64) NOT NULL,
	"total_rows" integer NOT NULL,
	"processed_rows" integer DEFAULT 0 NOT NULL,
	"created_count" integer DEFAULT 0 NOT NULL,
	"updated_count" integer DEFAULT 0 NOT NULL,
	"skipped_count" integer DEFAULT 0 NOT NULL,
	"failed_count" integer DEFAULT 0 NOT NULL,
	"failure" varchar(500),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "customer_imports_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE INDEX "customer_imports_created_idx" ON "profiles"."customer_imports" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
CREATE INDEX "customers_phone_idx" ON "profiles"."customers" USING btree ("tenant_id","phone");