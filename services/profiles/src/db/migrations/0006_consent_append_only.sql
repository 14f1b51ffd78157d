-- The consent ledger is append-only for the same reason and by the same means as the audit trail.
CREATE OR REPLACE FUNCTION "profiles"."refuse_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'profiles.% is append-only: % refused', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "consent_records_no_update_delete"
  BEFORE UPDATE OR DELETE ON "profiles"."consent_records"
  FOR EACH ROW EXECUTE FUNCTION "profiles"."refuse_change"();
--> statement-breakpoint
CREATE TRIGGER "consent_records_no_truncate"
  BEFORE TRUNCATE ON "profiles"."consent_records"
  FOR EACH STATEMENT EXECUTE FUNCTION "profiles"."refuse_change"();
--> statement-breakpoint
REVOKE UPDATE, DELETE, TRUNCATE ON "profiles"."consent_records" FROM PUBLIC;
