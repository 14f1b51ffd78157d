DROP INDEX "profiles"."customers_status_idx";--> statement-breakpoint
DROP INDEX "profiles"."customers_stage_idx";--> statement-breakpoint
ALTER TABLE "profiles"."customers" ADD COLUMN "last_booking_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "customers_last_booking_idx" ON "profiles"."customers" USING btree ("tenant_id",coalesce("last_booking_at", '-infinity'::timestamptz),"id");--> statement-breakpoint
CREATE INDEX "customers_status_idx" ON "profiles"."customers" USING btree ("tenant_id","customer_status","id");--> statement-breakpoint
CREATE INDEX "customers_stage_idx" ON "profiles"."customers" USING btree ("tenant_id","customer_stage","id");