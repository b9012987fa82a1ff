-- The application's own role, for production (README: "Två databasroller"). The owner role runs
-- the migrations (`npm run db:migrate`) and owns every table and trigger; the application's role
-- reads and writes the data but may only add to the audit log, and cannot drop or disable its
-- triggers, because it owns nothing. Run as the owner after the migrations; again after a
-- migration that adds a table. Replace medborgarlofte_app with the role the API and the workers use.
GRANT USAGE ON SCHEMA public TO medborgarlofte_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO medborgarlofte_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO medborgarlofte_app;
REVOKE UPDATE, DELETE, TRUNCATE ON "AuditEvent" FROM medborgarlofte_app;
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON "_app_migrations" FROM medborgarlofte_app;
