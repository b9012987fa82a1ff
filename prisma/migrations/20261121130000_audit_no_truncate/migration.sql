-- TRUNCATE empties a table without touching its rows one by one, so the row triggers that keep the
-- audit log append-only never see it: refuse it as a statement.
CREATE TRIGGER "AuditEvent_no_truncate"
  BEFORE TRUNCATE ON "AuditEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_event_is_append_only"();
