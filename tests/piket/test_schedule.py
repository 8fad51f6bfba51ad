"""Shift generation: Dutch public holidays, exceptions, idempotence and daylight saving time."""

from __future__ import annotations

from datetime import UTC, date, time
from zoneinfo import ZoneInfo

import pytest
import time_machine

from piket.models import RosterException, Shift
from piket.services.schedule import shifts_generate
from tests.piket.factories import RosterFactory

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

pytestmark = pytest.mark.django_db


def dates(roster) -> list[date]:
    return list(Shift.objects.filter(roster=roster).values_list("date", flat=True))


def test_koningsdag_is_skipped(utrecht):
    monday = RosterFactory(location=utrecht, weekday=0, valid_from=date(2026, 1, 1))

    shifts_generate(today=date(2026, 4, 20), weeks=2)

    assert dates(monday) == [date(2026, 4, 20), date(2026, 5, 4)]


def test_christmas_is_skipped_with_frozen_time(utrecht):
    friday = RosterFactory(location=utrecht, weekday=4, valid_from=date(2026, 1, 1))

    with time_machine.travel(date(2026, 12, 18), tick=False):
        shifts_generate(weeks=2)

    # 25 December and 1 January are public holidays.
    assert dates(friday) == [date(2026, 12, 18)]


def test_running_twice_creates_nothing_twice(utrecht):
    roster = RosterFactory(location=utrecht, weekday=1, valid_from=date(2026, 1, 1))

    first = shifts_generate(today=date(2026, 2, 2), weeks=4)
    second = shifts_generate(today=date(2026, 2, 2), weeks=4)

    assert first == 4
    assert second == 0
    assert Shift.objects.filter(roster=roster).count() == 4


def test_closed_day_of_one_roster_is_skipped_and_others_stay(utrecht):
    closed = RosterFactory(location=utrecht, weekday=1, valid_from=date(2026, 1, 1))
    other = RosterFactory(
        location=utrecht,
        weekday=1,
        start_time=time(13),
        end_time=time(16),
        valid_from=date(2026, 1, 1),
    )
    RosterException.objects.create(location=utrecht, roster=closed, date=date(2026, 2, 10))

    shifts_generate(today=date(2026, 2, 2), weeks=2)

    assert dates(closed) == [date(2026, 2, 3)]
    assert dates(other) == [date(2026, 2, 3), date(2026, 2, 10)]


def test_location_wide_closed_day_skips_every_roster_of_that_location_only(utrecht, amsterdam):
    here = RosterFactory(location=utrecht, weekday=1, valid_from=date(2026, 1, 1))
    there = RosterFactory(location=amsterdam, weekday=1, valid_from=date(2026, 1, 1))
    RosterException.objects.create(location=utrecht, date=date(2026, 2, 3), reason="studiedag")

    shifts_generate(today=date(2026, 2, 2), weeks=1)

    assert dates(here) == []
    assert dates(there) == [date(2026, 2, 3)]


def test_changed_hours_give_other_times(utrecht):
    roster = RosterFactory(location=utrecht, weekday=1, valid_from=date(2026, 1, 1))
    RosterException.objects.create(
        location=utrecht,
        date=date(2026, 2, 3),
        kind=RosterException.Kind.CHANGED,
        start_time=time(10, 30),
        end_time=time(11, 30),
    )

    shifts_generate(today=date(2026, 2, 2), weeks=1)

    shift = Shift.objects.get(roster=roster)
    assert (shift.starts_at.astimezone(UTC).hour, shift.starts_at.astimezone(UTC).minute) == (9, 30)
    assert shift.ends_at.astimezone(UTC).hour == 10


def test_a_rosters_own_exception_wins_over_the_location_wide_one(utrecht):
    roster = RosterFactory(location=utrecht, weekday=1, valid_from=date(2026, 1, 1))
    RosterException.objects.create(location=utrecht, date=date(2026, 2, 3))  # closed
    RosterException.objects.create(
        location=utrecht,
        roster=roster,
        date=date(2026, 2, 3),
        kind=RosterException.Kind.CHANGED,
        start_time=time(9),
        end_time=time(10),
    )

    shifts_generate(today=date(2026, 2, 2), weeks=1)

    assert dates(roster) == [date(2026, 2, 3)]


def test_inactive_and_expired_rosters_make_no_shifts(utrecht):
    RosterFactory(location=utrecht, weekday=1, valid_from=date(2026, 1, 1), is_active=False)
    RosterFactory(
        location=utrecht, weekday=1, valid_from=date(2026, 1, 1), valid_until=date(2026, 1, 31)
    )

    assert shifts_generate(today=date(2026, 2, 2), weeks=2) == 0


@pytest.mark.parametrize(
    ("before", "after", "utc_before", "utc_after"),
    [
        (date(2026, 3, 24), date(2026, 3, 31), 9, 8),  # to summer time on 29 March
        (date(2026, 10, 20), date(2026, 10, 27), 8, 9),  # back to winter time on 25 October
    ],
)
def test_a_weekly_ten_oclock_stays_ten_oclock_local_across_dst(
    utrecht, before, after, utc_before, utc_after
):
    roster = RosterFactory(
        location=utrecht,
        weekday=1,
        start_time=time(10),
        end_time=time(12),
        valid_from=date(2026, 1, 1),
    )

    shifts_generate(today=before, weeks=1)

    shifts = {s.date: s for s in Shift.objects.filter(roster=roster)}
    assert set(shifts) == {before, after}
    for day, utc_hour in ((before, utc_before), (after, utc_after)):
        starts_at = shifts[day].starts_at
        assert starts_at.astimezone(UTC).hour == utc_hour
        local = starts_at.astimezone(AMSTERDAM)
        assert (local.hour, local.minute) == (10, 0)
