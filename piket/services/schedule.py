"""Rosters become concrete shifts some weeks ahead, skipping Dutch public holidays and the
coordinators' exceptions. Idempotent: running it twice creates nothing twice."""

from __future__ import annotations

from datetime import date, timedelta

import holidays
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from piket.localtime import LOCAL, local_datetime  # noqa: F401 - used by callers too
from piket.models import Roster, RosterException, Shift


def public_holidays(start: date, end: date) -> set[date]:
    dutch = holidays.country_holidays("NL", years=range(start.year, end.year + 1))
    return {day for day in dutch if start <= day <= end}


@transaction.atomic
def shifts_generate(*, today: date | None = None, weeks: int | None = None) -> int:
    """Create the shifts of every active roster from today up to `weeks` ahead; returns how many."""
    today = today or timezone.localdate()
    end = today + timedelta(weeks=weeks if weeks is not None else settings.PIKET_WEEKS_AHEAD)
    closed_days = public_holidays(today, end)
    rosters = Roster.objects.filter(is_active=True, valid_from__lte=end).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    )
    exceptions = list(RosterException.objects.filter(date__gte=today, date__lte=end))
    existing = set(
        Shift.objects.filter(date__gte=today, date__lte=end).values_list("roster_id", "date")
    )
    created = 0
    for roster in rosters:
        first = max(today, roster.valid_from)
        last = min(end, roster.valid_until or end)
        day = first + timedelta(days=(roster.weekday - first.weekday()) % 7)
        while day <= last:
            if day not in closed_days and (roster.pk, day) not in existing:
                hours = _hours_on(roster, day, exceptions)
                if hours is not None:
                    Shift.objects.create(
                        roster=roster,
                        location_id=roster.location_id,
                        date=day,
                        starts_at=local_datetime(day, hours[0]),
                        ends_at=local_datetime(day, hours[1]),
                        capacity=roster.capacity,
                    )
                    created += 1
            day += timedelta(days=7)
    return created


def _hours_on(roster: Roster, day: date, exceptions: list[RosterException]):
    """(start, end) on that day, or None when the roster is closed then. A roster's own
    exception wins over a location-wide one."""
    matching = [
        e
        for e in exceptions
        if e.date == day
        and (
            e.roster_id == roster.pk
            or (e.roster_id is None and e.location_id == roster.location_id)
        )
    ]
    matching.sort(key=lambda e: e.roster_id is None)
    if not matching:
        return roster.start_time, roster.end_time
    exception = matching[0]
    if exception.kind == RosterException.Kind.CLOSED:
        return None
    return exception.start_time, exception.end_time
