"""The right advocaat on every fallback: a consult goes only to an advocaat on duty who covers
its legal area, when the first one was not reached and when a slot goes to the waitlist."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from accounts.models import Role
from cases.models import LegalArea
from piket.localtime import local_datetime
from piket.models import Consult, WaitlistEntry
from piket.services import changes, duty
from tests.accounts.factories import member
from tests.cases.factories import CaseFactory, SubProblemFactory
from tests.piket.factories import (
    AdvocaatProfileFactory,
    AssignmentFactory,
    ConsultFactory,
    RosterFactory,
    ShiftFactory,
    WaitlistEntryFactory,
)

FRIDAY = date(2031, 3, 14)
MONDAY = date(2031, 3, 17)  # the next working day after FRIDAY
TUESDAY = date(2031, 3, 18)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return local_datetime(day, time(hour, minute))


@pytest.fixture
def roster(utrecht, carla):
    """Utrecht's piket for huurrecht and arbeidsrecht: 20-minute steps (15 + 5)."""
    return RosterFactory(
        location=utrecht, legal_areas=["huurrecht", "arbeidsrecht"], created_by=carla
    )


def shift_on(roster, day: date, start: int = 9, end: int = 12, advocaten=(), capacity=2):
    shift = ShiftFactory(
        roster=roster,
        date=day,
        starts_at=at(day, start),
        ends_at=at(day, end),
        capacity=capacity,
    )
    for advocaat in advocaten:
        AssignmentFactory(shift=shift, advocaat=advocaat)
    return shift


def advocaat(orgs_utrecht, name: str, areas: list[str]):
    user = member(
        Role.ADVOCAAT,
        orgs_utrecht["advocatuur"],
        email=f"{name.lower()}@example.org",
        full_name=name,
        totp=False,
    )
    AdvocaatProfileFactory(advocaat=user, legal_areas=areas)
    return user


@pytest.fixture
def huur_bart(bart):
    AdvocaatProfileFactory(advocaat=bart, legal_areas=["huurrecht"])
    return bart


@pytest.fixture
def arbeid_only(orgs_utrecht):
    """An advocaat who does arbeidsrecht only: never a huurrecht consult."""
    return advocaat(orgs_utrecht, "Ahmed", ["arbeidsrecht"])


@pytest.fixture
def huur_henk(orgs_utrecht):
    return advocaat(orgs_utrecht, "Henk", ["huurrecht"])


def huur_case(anna, orgs_utrecht):
    case = CaseFactory(organisation=orgs_utrecht["loket"], registered_by=anna)
    SubProblemFactory(case=case, legal_area=LegalArea.objects.get(slug="huurrecht"))
    return case


def consult_in(shift, advocaat, case, minutes=0, area="huurrecht"):
    return ConsultFactory(
        shift=shift,
        advocaat=advocaat,
        case=case,
        minutes=minutes,
        legal_area=LegalArea.objects.get(slug=area),
    )


# ---------------------------------------------------------------- "not reached"


@pytest.fixture
def not_reached(time_machine, roster, anna, orgs_utrecht, huur_bart, arbeid_only):
    """Friday 09:00: Bart's huurrecht consult; Ahmed (arbeidsrecht only) is on duty with him
    all morning. Anna may say Bart did not call back from 09:15."""
    time_machine.move_to(at(FRIDAY, 9, 20), tick=False)
    friday = shift_on(roster, FRIDAY, advocaten=[huur_bart, arbeid_only])
    return consult_in(friday, huur_bart, huur_case(anna, orgs_utrecht))


def test_not_reached_passes_over_an_advocaat_who_does_not_cover_the_legal_area(
    not_reached, anna, roster, arbeid_only, huur_henk
):
    shift_on(roster, MONDAY, advocaten=[huur_henk])
    new = changes.consult_mark_not_reached(user=anna, consult=not_reached)
    assert new is not None
    assert new.advocaat == huur_henk  # not Ahmed, free at 09:40 today
    assert new.starts_at == at(MONDAY, 9)
    assert new.legal_area.slug == "huurrecht" and new.replaces == not_reached
    assert not Consult.objects.filter(advocaat=arbeid_only).exists()


def test_not_reached_with_only_unqualified_advocaten_on_duty_alerts_the_coordinators(
    not_reached, anna, arbeid_only
):
    assert changes.consult_mark_not_reached(user=anna, consult=not_reached) is None
    assert Consult.objects.get(pk=not_reached.pk).status == Consult.Status.NOT_REACHED
    assert not Consult.objects.filter(advocaat=arbeid_only).exists()


def test_not_reached_takes_a_qualified_colleague_later_today_first(
    not_reached, anna, roster, huur_henk, utrecht
):
    afternoon = RosterFactory(location=utrecht, weekday=4, start_time=time(13), end_time=time(17))
    shift_on(afternoon, FRIDAY, start=13, end=17, advocaten=[huur_henk])
    shift_on(roster, MONDAY, advocaten=[huur_henk])
    new = changes.consult_mark_not_reached(user=anna, consult=not_reached)
    assert (new.advocaat, new.starts_at) == (huur_henk, at(FRIDAY, 13))


def test_not_reached_looks_no_further_than_the_next_working_day(
    not_reached, anna, roster, huur_henk
):
    shift_on(roster, TUESDAY, advocaten=[huur_henk])
    assert changes.consult_mark_not_reached(user=anna, consult=not_reached) is None


def test_the_replacement_window_spans_a_weekend():
    start, end = changes.replacement_window(at(FRIDAY, 9, 20))
    assert (start, end) == (at(FRIDAY, 9, 20), at(TUESDAY, 0))
    assert changes.replacement_window(at(MONDAY, 16))[1] == at(TUESDAY + timedelta(days=1), 0)


# ---------------------------------------------------------------- the waitlist


@pytest.fixture
def full_friday(time_machine, roster, anna, orgs_utrecht, huur_bart, arbeid_only):
    """Thursday noon. Friday 10:00–11:00 is full: Bart's three huurrecht slots and Ahmed's three
    arbeidsrecht slots are booked; someone waits for huurrecht on Friday."""
    time_machine.move_to(at(FRIDAY - timedelta(days=1), 12), tick=False)
    shift = shift_on(roster, FRIDAY, start=10, end=11, advocaten=[huur_bart, arbeid_only])
    consults = {
        who.pk: [
            consult_in(shift, who, huur_case(anna, orgs_utrecht), 20 * i, area) for i in range(3)
        ]
        for who, area in ((huur_bart, "huurrecht"), (arbeid_only, "arbeidsrecht"))
    }
    waiting = WaitlistEntryFactory(
        case=huur_case(anna, orgs_utrecht),
        requested_by=anna,
        earliest=FRIDAY,
        latest=FRIDAY + timedelta(days=2),
    )
    return shift, consults, waiting


def test_a_freed_slot_is_not_offered_to_a_waiter_outside_the_advocaats_legal_areas(
    full_friday, arbeid_only
):
    _shift, consults, waiting = full_friday
    changes.consult_cancel(user=arbeid_only, consult=consults[arbeid_only.pk][1], reason="Ziek")
    waiting.refresh_from_db()
    assert waiting.status == WaitlistEntry.Status.WAITING
    assert not Consult.objects.filter(status=Consult.Status.OFFERED).exists()


def test_a_freed_slot_of_a_qualified_advocaat_is_offered(full_friday, huur_bart):
    _shift, consults, waiting = full_friday
    freed = consults[huur_bart.pk][1]
    changes.consult_cancel(user=huur_bart, consult=freed, reason="Ziek")
    waiting.refresh_from_db()
    assert waiting.status == WaitlistEntry.Status.OFFERED
    assert (waiting.offer.advocaat, waiting.offer.starts_at) == (huur_bart, freed.starts_at)


@pytest.fixture
def empty_friday(time_machine, roster, anna, orgs_utrecht):
    """Thursday noon; nobody is on duty on Friday yet, and someone waits for huurrecht."""
    time_machine.move_to(at(FRIDAY - timedelta(days=1), 12), tick=False)
    shift = shift_on(roster, FRIDAY, start=10, end=11)
    waiting = WaitlistEntryFactory(
        case=huur_case(anna, orgs_utrecht),
        requested_by=anna,
        earliest=FRIDAY,
        latest=FRIDAY + timedelta(days=2),
    )
    return shift, waiting


def test_new_capacity_of_an_unqualified_advocaat_is_not_offered_to_the_waitlist(
    empty_friday, carla, arbeid_only
):
    shift, waiting = empty_friday
    duty.assignment_create(user=carla, shift=shift, advocaat=arbeid_only)
    waiting.refresh_from_db()
    assert waiting.status == WaitlistEntry.Status.WAITING
    assert not Consult.objects.exists()


def test_new_capacity_of_a_qualified_advocaat_is_offered_to_the_waitlist(
    empty_friday, carla, huur_henk
):
    shift, waiting = empty_friday
    duty.assignment_create(user=carla, shift=shift, advocaat=huur_henk)
    waiting.refresh_from_db()
    assert waiting.status == WaitlistEntry.Status.OFFERED
    assert (waiting.offer.advocaat, waiting.offer.starts_at) == (huur_henk, shift.starts_at)
