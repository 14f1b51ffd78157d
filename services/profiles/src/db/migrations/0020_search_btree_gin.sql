-- B-tree equality in GIN indexes, so the search indexes can lead with tenant_id (decision
-- 0013). A trusted extension: whoever may create objects in the database may add it, as with
-- pg_trgm in 0007; in this service's schema for the same reason.
CREATE EXTENSION IF NOT EXISTS btree_gin SCHEMA "profiles";
