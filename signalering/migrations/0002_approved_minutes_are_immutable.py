"""Approved minutes can't be changed or deleted, whatever code runs: PostgreSQL refuses it.

The only change an approved version allows is the step to "superseded" when a correction is
approved (content and approval unchanged), and recording when it was mailed. A superseded
version allows only the latter.
"""

from django.db import migrations

FORWARD = r"""
CREATE FUNCTION signalering_minutes_immutable() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'draft' THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'signalering: approved minutes (version %) cannot be deleted', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF NEW.meeting_id IS DISTINCT FROM OLD.meeting_id
        OR NEW.number IS DISTINCT FROM OLD.number
        OR NEW.content IS DISTINCT FROM OLD.content
        OR NEW.approved_by_id IS DISTINCT FROM OLD.approved_by_id
        OR NEW.approved_at IS DISTINCT FROM OLD.approved_at
        OR NEW.correction_reason IS DISTINCT FROM OLD.correction_reason
        OR NEW.created_by_id IS DISTINCT FROM OLD.created_by_id
        OR NEW.created_at IS DISTINCT FROM OLD.created_at
        OR NOT (
            NEW.status = OLD.status
            OR (OLD.status = 'approved' AND NEW.status = 'superseded')
        )
    THEN
        RAISE EXCEPTION 'signalering: approved minutes (version %) cannot be changed', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER signalering_minutes_immutable
BEFORE UPDATE OR DELETE ON signalering_minutesversion
FOR EACH ROW EXECUTE FUNCTION signalering_minutes_immutable();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS signalering_minutes_immutable ON signalering_minutesversion;
DROP FUNCTION IF EXISTS signalering_minutes_immutable();
"""


class Migration(migrations.Migration):
    dependencies = [("signalering", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
