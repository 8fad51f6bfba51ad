"""Working days: Monday to Friday, except Dutch public holidays (the `holidays` package, as the
piket's shift generator uses)."""

from __future__ import annotations

from datetime import date, timedelta

import holidays

_DUTCH = holidays.country_holidays("NL")


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _DUTCH


def working_days_after(day: date, count: int) -> date:
    """The date `count` working days after `day` (`day` itself does not count)."""
    current = day
    while count > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            count -= 1
    return current
