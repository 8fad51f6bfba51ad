from django.db import migrations

# TRUNCATE bypasses the row-level triggers of 0003, so the audit log refuses it with a
# statement-level trigger, also when it comes cascaded from `TRUNCATE cases_case CASCADE`.
#
# One exception: a test database. Django's test runner empties every table between
# transactional tests with a single TRUNCATE; the test setup (conftest.py, `django_db_setup`)
# sets `pilot.audit_truncate = 'allowed'` as a default of the test database it created; the
# benchmark filler (bench/fill_cases.py --reset) sets it in its session, on a pilot_bench
# database only. Nothing else sets it. Whoever could set it in production (the owner of the tables)
# could drop the trigger just as well: like the row-level triggers, this one guards against
# mistakes and application bugs, not against the database owner.
SQL = """
CREATE OR REPLACE FUNCTION cases_auditentry_refuse_truncate() RETURNS trigger AS $$
BEGIN
    IF current_setting('pilot.audit_truncate', true) = 'allowed' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'the audit log is append-only: TRUNCATE refused'
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER cases_auditentry_no_truncate
    BEFORE TRUNCATE ON cases_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION cases_auditentry_refuse_truncate();
"""

REVERSE = """
DROP TRIGGER IF EXISTS cases_auditentry_no_truncate ON cases_auditentry;
DROP FUNCTION IF EXISTS cases_auditentry_refuse_truncate();
"""


class Migration(migrations.Migration):
    dependencies = [('cases', '0009_pii_guard_on_reasons')]

    operations = [migrations.RunSQL(SQL, REVERSE)]
