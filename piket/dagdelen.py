"""Dagdelen: the unit in which advocaten commit to the piket and are paid for availability.

A dagdeel is half a working day: a morning or an afternoon, with the lunch hour between them.
A piket shift counts, in local wall-clock time (Europe/Amsterdam):

- a morning dagdeel when it begins before 12:00, and
- an afternoon dagdeel when it ends after 13:00;
- at least one: a shift within the lunch hour (12:00–13:00) counts as one dagdeel.

So 09:00–12:00 and 13:00–17:00 count one each, 09:00–17:00 and 11:00–14:00 count two, 12:00–13:00
counts one. An evening shift counts as an afternoon. The same rule is written twice: in Python
for one shift (`half_days`) and as a database expression for many (`half_days_count`); a test
holds them equal.
"""

from __future__ import annotations

from datetime import datetime, time

from django.db.models import Case, IntegerField, Value, When
from django.db.models.functions import Greatest, TruncTime
from django.db.models.lookups import GreaterThan, LessThan
from django.utils import timezone

from piket.localtime import LOCAL

MORNING_ENDS = time(12, 0)
AFTERNOON_BEGINS = time(13, 0)


def half_days(starts_at: datetime, ends_at: datetime) -> int:
    """The dagdelen a shift from `starts_at` to `ends_at` counts for."""
    morning = timezone.localtime(starts_at, LOCAL).time() < MORNING_ENDS
    afternoon = timezone.localtime(ends_at, LOCAL).time() > AFTERNOON_BEGINS
    return max(int(morning) + int(afternoon), 1)


def half_days_count(shift: str = "") -> Greatest:
    """`half_days` as an expression on Shift (or on a relation to it: `half_days_count("shift__")`),
    for the database to add up over many shifts."""
    starts = TruncTime(f"{shift}starts_at", tzinfo=LOCAL)
    ends = TruncTime(f"{shift}ends_at", tzinfo=LOCAL)
    morning = Case(When(LessThan(starts, MORNING_ENDS), then=Value(1)), default=Value(0))
    afternoon = Case(When(GreaterThan(ends, AFTERNOON_BEGINS), then=Value(1)), default=Value(0))
    return Greatest(morning + afternoon, Value(1), output_field=IntegerField())
