-- Trigram matching for typo-tolerant names. In this service's schema, since the service role
-- has no rights on public; its operators and opclasses are named with the schema.
CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA "profiles";
