CREATE TABLE "profiles"."customer_phones" (
	"tenant_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"number" varchar(32) NOT NULL,
	"type" varchar(10) NOT NULL,
	"is_primary" boolean DEFAULT false NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "customer_phones_tenant_id_customer_id_number_pk" PRIMARY KEY("tenant_id","customer_id","number")
);
--> statement-breakpoint
ALTER TABLE "profiles"."search_documents" ADD COLUMN "phones" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "customer_phones_primary_idx" ON "profiles"."customer_phones" USING btree ("tenant_id","customer_id") WHERE "profiles"."customer_phones"."is_primary";--> statement-breakpoint
CREATE INDEX "customer_phones_number_idx" ON "profiles"."customer_phones" USING btree ("tenant_id","number");--> statement-breakpoint
CREATE INDEX "search_documents_phones_idx" ON "profiles"."search_documents" USING gin ("phones");--> statement-breakpoint
INSERT INTO "profiles"."customer_phones" ("tenant_id", "customer_id", "number", "type", "is_primary", "position")
SELECT "tenant_id", "id", "phone", 'other', true, 0 FROM "profiles"."customers" WHERE "phone" IS NOT NULL;--> statement-breakpoint
UPDATE "profiles"."search_documents" SET "phones" = ARRAY["phone"]::text[] WHERE "phone" IS NOT NULL;
