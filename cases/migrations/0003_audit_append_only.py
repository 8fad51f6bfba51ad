from django.db import migrations

# The audit log is append-only, enforced by PostgreSQL: UPDATE and DELETE raise an error,
# whoever runs them (the application, the admin or a hand-typed SQL statement).
SQL = """
CREATE OR REPLACE FUNCTION cases_auditentry_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER cases_auditentry_append_only
    BEFORE UPDATE OR DELETE ON cases_auditentry
    FOR EACH ROW EXECUTE FUNCTION cases_auditentry_refuse_change();
"""

REVERSE = """
DROP TRIGGER IF EXISTS cases_auditentry_append_only ON cases_auditentry;
DROP FUNCTION IF EXISTS cases_auditentry_refuse_change();
"""


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_reference_data")]

    operations = [migrations.RunSQL(SQL, REVERSE)]
