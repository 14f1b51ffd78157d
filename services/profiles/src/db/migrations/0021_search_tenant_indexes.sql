-- B-tree equality in GIN indexes, so the search indexes can lead with tenant_id (decision
-- 0014). A trusted extension: whoever may create objects in the database may add it, as with
-- pg_trgm in 0007; in this service's schema for the same reason.
CREATE EXTENSION IF NOT EXISTS btree_gin SCHEMA "profiles";--> statement-breakpoint
-- The new indexes first: building them blocks writes to the documents but not searches, which
-- go on with the old indexes until the DROPs (which block both) just before the commit.
CREATE INDEX "search_documents_tenant_doc_idx" ON "profiles"."search_documents" USING gin ("tenant_id","doc") WITH (fastupdate=false);--> statement-breakpoint
CREATE INDEX "search_documents_tenant_names_idx" ON "profiles"."search_documents" USING gin ("tenant_id","names" profiles.gin_trgm_ops) WITH (fastupdate=false);--> statement-breakpoint
CREATE INDEX "search_documents_tenant_phones_idx" ON "profiles"."search_documents" USING gin ("tenant_id","phones") WITH (fastupdate=false);--> statement-breakpoint
DROP INDEX "profiles"."search_documents_doc_idx";--> statement-breakpoint
DROP INDEX "profiles"."search_documents_names_idx";--> statement-breakpoint
DROP INDEX "profiles"."search_documents_names_gist_idx";--> statement-breakpoint
DROP INDEX "profiles"."search_documents_phones_idx";
