"""Indexes for the entries shown beside a case (bestpractices.selectors.entries_related_to_cases):
per legal area and per kind of case the entries newest first, so that only a handful of rows is
read however large the library grows."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("bestpractices", "0002_search_trigger")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX bp_entry_areas_by_area ON bestpractices_entry_legal_areas "
            "(legalarea_id, entry_id);"
            "CREATE INDEX bp_entry_kinds_by_kind ON bestpractices_entry_kinds_of_case "
            "(kindofcase_id, entry_id);",
            reverse_sql="DROP INDEX bp_entry_areas_by_area; DROP INDEX bp_entry_kinds_by_kind;",
        ),
    ]
