"""The piket week view never shows a past slot as free, and without a week asked for it opens on
the week with the next free slot."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from piket.models import Consult
from tests.piket.factories import AssignmentFactory, ConsultFactory, RosterFactory, ShiftFactory

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
FRIDAY = date(2027, 3, 5)  # the week of Monday 1 March 2027
URL = "/piket/week/"


def at(day: date, hour: int, minute: int = 0):
    moment = datetime.combine(day, time(hour, minute), tzinfo=AMSTERDAM)
    return time_machine.travel(moment, tick=False)


def shift_on(location, day: date, advocaten=(), *, start=time(9), end=time(10)):
    """A shift of three slots (15 minutes and 5 buffer) from `start`."""
    roster = RosterFactory(
        location=location,
        weekday=day.weekday(),
        start_time=start,
        end_time=end,
        valid_from=day - timedelta(days=60),
    )
    shift = ShiftFactory(roster=roster, date=day, capacity=max(len(advocaten), 1))
    for advocaat in advocaten:
        AssignmentFactory(shift=shift, advocaat=advocaat)
    return shift


def rows_of(client, location, week: str):
    response = client.get(f"{URL}?locatie={location.pk}&week={week}")
    assert response.status_code == 200
    return {row.shift.pk: row for row in response.context["rows"]}, response.text


def opened_week(client, location) -> date:
    response = client.get(f"{URL}?locatie={location.pk}")
    assert response.status_code == 200
    return response.context["monday"]


def test_a_past_shift_shows_no_free_slots(login, anna, bart, utrecht):
    tuesday = FRIDAY - timedelta(days=3)
    past = shift_on(utrecht, tuesday, [bart])
    coming = shift_on(utrecht, FRIDAY + timedelta(days=0), [bart], start=time(14), end=time(15))

    with at(FRIDAY, 12):
        rows, html = rows_of(login(anna), utrecht, "2027-W09")

    assert rows[past.pk].free == 0 and rows[past.pk].is_past
    assert rows[coming.pk].free == 3 and not rows[coming.pk].is_past
    assert "voorbij" in html


def test_a_shift_under_way_counts_only_the_slots_still_bookable(login, anna, bart, utrecht):
    shift = shift_on(utrecht, FRIDAY, [bart], start=time(9), end=time(12))  # 9 slots
    ConsultFactory(shift=shift, advocaat=bart, minutes=0)  # 09:00, already past
    ConsultFactory(shift=shift, advocaat=bart, minutes=160)  # 11:40, still to come

    # at 09:30 with an hour's notice the slots from 10:40 can be booked: 10:40, 11:00, 11:20,
    # 11:40 — of which 11:40 is taken
    with at(FRIDAY, 9, 30):
        rows, _html = rows_of(login(anna), utrecht, "2027-W09")

    assert rows[shift.pk].free == 3
    assert rows[shift.pk].booked == 2


def test_a_cancelled_shift_has_no_free_slots(login, anna, bart, utrecht):
    shift = shift_on(utrecht, FRIDAY + timedelta(days=3), [bart])
    shift.is_cancelled = True
    shift.save(update_fields=["is_cancelled"])
    with at(FRIDAY, 12):
        rows, _html = rows_of(login(anna), utrecht, "2027-W10")
    assert rows[shift.pk].free == 0


def test_the_week_view_opens_on_the_week_with_the_next_free_slot(login, anna, bart, utrecht):
    shift_on(utrecht, FRIDAY - timedelta(days=3), [bart])  # this week, past
    shift_on(utrecht, FRIDAY + timedelta(days=4))  # next week: nobody on duty
    full = shift_on(utrecht, FRIDAY + timedelta(days=5), [bart])  # next week: fully booked
    for minutes in (0, 20, 40):
        ConsultFactory(shift=full, advocaat=bart, minutes=minutes)
    shift_on(utrecht, FRIDAY + timedelta(days=11), [bart])  # the week after: free

    with at(FRIDAY, 12):
        assert opened_week(login(anna), utrecht) == date(2027, 3, 15)


def test_without_any_free_slot_it_opens_on_the_next_shift(login, anna, utrecht):
    shift_on(utrecht, FRIDAY + timedelta(days=18))  # nobody on duty yet
    with at(FRIDAY, 12):
        assert opened_week(login(anna), utrecht) == date(2027, 3, 22)


def test_without_any_shift_to_come_it_opens_on_this_week(login, anna, utrecht):
    with at(FRIDAY, 12):
        assert opened_week(login(anna), utrecht) == date(2027, 3, 1)


def test_a_week_asked_for_is_shown_as_asked(login, anna, bart, utrecht):
    shift_on(utrecht, FRIDAY + timedelta(days=11), [bart])
    with at(FRIDAY, 12):
        response = login(anna).get(f"{URL}?locatie={utrecht.pk}&week=2027-W09")
    assert response.context["monday"] == date(2027, 3, 1)


@pytest.mark.parametrize("status", [Consult.Status.CANCELLED, Consult.Status.MOVED])
def test_a_slot_given_back_is_free_again(login, anna, bart, utrecht, status):
    shift = shift_on(utrecht, FRIDAY + timedelta(days=4), [bart])
    ConsultFactory(shift=shift, advocaat=bart, minutes=0, status=status)
    with at(FRIDAY, 12):
        rows, _html = rows_of(login(anna), utrecht, "2027-W10")
    assert rows[shift.pk].free == 3
