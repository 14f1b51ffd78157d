-- The audit trail is append-only for every role that is not its owner. The migrate command
-- grants DML on all tables to the service role after migrations run, so a REVOKE alone would
-- be undone; the trigger holds whatever the grants say, and the service role, not owning the
-- table, cannot disable it.
CREATE OR REPLACE FUNCTION "profiles"."audit_log_refuse_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'profiles.audit_log is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "audit_log_no_update_delete"
  BEFORE UPDATE OR DELETE ON "profiles"."audit_log"
  FOR EACH ROW EXECUTE FUNCTION "profiles"."audit_log_refuse_change"();
--> statement-breakpoint
CREATE TRIGGER "audit_log_no_truncate"
  BEFORE TRUNCATE ON "profiles"."audit_log"
  FOR EACH STATEMENT EXECUTE FUNCTION "profiles"."audit_log_refuse_change"();
--> statement-breakpoint
REVOKE UPDATE, DELETE, TRUNCATE ON "profiles"."audit_log" FROM PUBLIC;
--> statement-breakpoint
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'crm_profiles') THEN
    REVOKE UPDATE, DELETE, TRUNCATE ON "profiles"."audit_log" FROM crm_profiles;
  END IF;
END;
$$;
