"""Entry.search_vector kept by PostgreSQL itself: title and tags weigh A, the summary B, the body C,
stemmed with the 'dutch' configuration. A trigger rather than the ORM so that bulk loads, data
migrations and raw updates can never leave a stale vector (the GIN index is in 0001)."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION bestpractices_entry_search_vector() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('pg_catalog.dutch', coalesce(NEW.title, '')), 'A')
        || setweight(to_tsvector('pg_catalog.dutch', coalesce(array_to_string(NEW.tags, ' '), '')), 'A')
        || setweight(to_tsvector('pg_catalog.dutch', coalesce(NEW.summary, '')), 'B')
        || setweight(to_tsvector('pg_catalog.dutch', coalesce(NEW.body, '')), 'C');
    RETURN NEW;
END
$$;
"""

TRIGGER = """
CREATE TRIGGER bestpractices_entry_search_vector
BEFORE INSERT OR UPDATE OF title, summary, body, tags ON bestpractices_entry
FOR EACH ROW EXECUTE FUNCTION bestpractices_entry_search_vector();
"""

BACKFILL = "UPDATE bestpractices_entry SET title = title;"

DROP = """
DROP TRIGGER IF EXISTS bestpractices_entry_search_vector ON bestpractices_entry;
DROP FUNCTION IF EXISTS bestpractices_entry_search_vector();
"""


class Migration(migrations.Migration):
    dependencies = [("bestpractices", "0001_initial")]

    operations = [
        migrations.RunSQL(FUNCTION + TRIGGER + BACKFILL, reverse_sql=DROP),
    ]
