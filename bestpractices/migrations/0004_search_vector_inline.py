"""Keep Entry.search_vector in the row (compressed) rather than in the TOAST table: a search that
matches many entries reads every matching vector (for the count and the rank), and fetching each
from TOAST cost several times more than the match itself (bench/bestpractices_search.py). The
body, which only the page of 25 reads, moves out of the row first. Existing rows are rewritten
once so that their vectors move in."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("bestpractices", "0003_related_indexes")]

    operations = [
        migrations.RunSQL(
            "ALTER TABLE bestpractices_entry ALTER COLUMN search_vector SET STORAGE MAIN;"
            "UPDATE bestpractices_entry SET search_vector = search_vector || ''::tsvector;",
            reverse_sql="ALTER TABLE bestpractices_entry ALTER COLUMN search_vector "
            "SET STORAGE EXTENDED;",
        ),
    ]
