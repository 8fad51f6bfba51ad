"""Wall-clock time in Europe/Amsterdam: a weekly moment at 10:00 stays 10:00 across DST."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings

LOCAL = ZoneInfo(settings.TIME_ZONE)


def local_datetime(day: date, moment: time) -> datetime:
    """The aware datetime of a local wall-clock time: 10:00 stays 10:00 in summer and winter."""
    return datetime.combine(day, moment, tzinfo=LOCAL)
