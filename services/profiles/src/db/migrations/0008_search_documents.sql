CREATE TABLE "profiles"."search_documents" (
	"tenant_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"names" text NOT NULL,
	"doc" "tsvector" NOT NULL,
	"email" varchar(254),
	"phone" varchar(32),
	"first_name" varchar(100) NOT NULL,
	"last_name" varchar(100) NOT NULL,
	"company_name" varchar(200),
	"customer_status" varchar(50) NOT NULL,
	"customer_stage" varchar(50) NOT NULL,
	"vip_status" boolean NOT NULL,
	"tags" text[] NOT NULL,
	"owner_id" varchar(100),
	"team_id" varchar(100),
	"collaborator_ids" text[] NOT NULL,
	"version" integer NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "search_documents_tenant_id_customer_id_pk" PRIMARY KEY("tenant_id","customer_id")
);
--> statement-breakpoint
CREATE INDEX "search_documents_doc_idx" ON "profiles"."search_documents" USING gin ("doc");--> statement-breakpoint
CREATE INDEX "search_documents_names_idx" ON "profiles"."search_documents" USING gin ("names" profiles.gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "search_documents_email_idx" ON "profiles"."search_documents" USING btree ("tenant_id","email");--> statement-breakpoint
CREATE INDEX "search_documents_phone_idx" ON "profiles"."search_documents" USING btree ("tenant_id","phone");--> statement-breakpoint
CREATE INDEX "search_documents_last_name_idx" ON "profiles"."search_documents" USING btree ("tenant_id","last_name","customer_id");--> statement-breakpoint
CREATE INDEX "search_documents_updated_idx" ON "profiles"."search_documents" USING btree ("tenant_id","updated_at","customer_id");