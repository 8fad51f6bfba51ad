"""The piket's card on the coordinator's home page: this week's shifts at their location, the
ones still lacking an advocaat, the waitlist, who was not reached, who falls behind with their
dagdelen; in a fixed number of queries."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import LegalArea
from piket.localtime import LOCAL
from piket.models import Consult, PiketRules
from tests.cases.factories import CaseFactory
from tests.piket.factories import (
    AdvocaatProfileFactory,
    AssignmentFactory,
    ConsultFactory,
    RosterFactory,
    ShiftFactory,
    WaitlistEntryFactory,
    advocaat_at,
    national_coordinator,
    national_location,
)

pytestmark = pytest.mark.django_db

WEDNESDAY = date(2026, 12, 2)  # week 49: Monday 30 November to Sunday 6 December
TITLE = ">Piket deze week</h2>"


@pytest.fixture(autouse=True)
def wednesday_morning():
    with time_machine.travel(datetime.combine(WEDNESDAY, time(8), tzinfo=LOCAL), tick=False):
        yield


def shift_on(location, day: date, *, capacity: int = 1, start=time(9), end=time(12), **fields):
    roster = RosterFactory(
        location=location, weekday=day.weekday(), start_time=start, end_time=end, capacity=capacity
    )
    return ShiftFactory(roster=roster, date=day, **fields)


def week_card(response) -> dict:
    return next(card for card in response.context["cards"] if card["title"] == "Piket deze week")


def test_coordinator_sees_this_weeks_piket_at_their_location(login, carla, bart, anna, utrecht):
    filled = shift_on(utrecht, WEDNESDAY)
    AssignmentFactory(shift=filled, advocaat=bart)
    open_thursday = shift_on(utrecht, WEDNESDAY + timedelta(days=1), capacity=2)
    AssignmentFactory(shift=open_thursday, advocaat=bart)
    shift_on(utrecht, WEDNESDAY - timedelta(days=1))  # past: not to be filled any more
    shift_on(utrecht, WEDNESDAY + timedelta(days=2), is_cancelled=True)
    shift_on(utrecht, WEDNESDAY + timedelta(days=7))  # next week
    WaitlistEntryFactory(case=CaseFactory(registered_by=anna), location=utrecht)
    monday = shift_on(utrecht, WEDNESDAY - timedelta(days=2))
    ConsultFactory(shift=monday, advocaat=bart, status=Consult.Status.NOT_REACHED)

    response = login(carla).get("/")

    card = week_card(response)["context"]
    (row,) = card["locations"]
    assert row.location == utrecht
    assert (row.shifts, row.unfilled, row.waiting, row.not_reached) == (4, 1, 1, 1)
    assert card["unfilled"] == [open_thursday]
    text = response.content.decode()
    assert TITLE in text
    assert f'href="/piket/diensten/{open_thursday.pk}/"' in text
    assert "1 advocaat nodig" in text
    assert "Bart Smit" not in text  # counts on the home page, names stay on the capacity page


def test_another_locations_piket_is_not_counted(login, carla, cor, amsterdam, utrecht):
    shift_on(amsterdam, WEDNESDAY + timedelta(days=1))
    card = week_card(login(carla).get("/"))["context"]
    assert [(r.location, r.shifts, r.unfilled) for r in card["locations"]] == [(utrecht, 0, 0)]
    assert card["unfilled_count"] == 0


def test_a_national_coordinator_sees_the_national_piket(login):
    nadia = national_coordinator(email="nadia@example.org")
    shift_on(national_location(), WEDNESDAY + timedelta(days=1))
    card = week_card(login(nadia).get("/"))["context"]
    assert [(r.location.is_national, r.unfilled) for r in card["locations"]] == [(True, 1)]


def test_the_card_warns_when_an_advocaat_falls_behind(login, carla, bart, utrecht):
    AdvocaatProfileFactory(advocaat=bart, half_days_per_month=2)
    PiketRules.objects.update(period_starts_on=date(2026, 12, 1))
    response = login(carla).get("/")
    assert week_card(response)["context"]["behind"] == 1
    assert "1 advocaat loopt achter met de toegezegde dagdelen." in response.content.decode()

    AssignmentFactory(shift=shift_on(utrecht, WEDNESDAY + timedelta(days=8)), advocaat=bart)
    AssignmentFactory(shift=shift_on(utrecht, WEDNESDAY + timedelta(days=9)), advocaat=bart)
    assert week_card(login(carla).get("/"))["context"]["behind"] == 0


@pytest.mark.parametrize("persona", ["anna", "bart", "olga", "bea"])
def test_other_roles_get_no_piket_week_card(personas, login, persona):
    assert TITLE not in login(personas[persona]).get("/").content.decode()


def test_the_card_queries_do_not_grow_with_the_piket(login, carla, anna, utrecht):
    client = login(carla)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/").status_code == 200
        return len(ctx.captured_queries)

    AssignmentFactory(
        shift=shift_on(utrecht, WEDNESDAY + timedelta(days=1)),
        advocaat=advocaat_at(utrecht, email="eerste@example.org"),
    )
    few = count()
    huur = LegalArea.objects.get(slug="huurrecht")
    for i in range(4):
        advocaat = advocaat_at(utrecht, email=f"adv{i}@example.org")
        AdvocaatProfileFactory(advocaat=advocaat)
        shift = shift_on(utrecht, WEDNESDAY + timedelta(days=i % 3), capacity=2)
        AssignmentFactory(shift=shift, advocaat=advocaat)
        ConsultFactory(shift=shift, advocaat=advocaat, status=Consult.Status.NOT_REACHED)
        WaitlistEntryFactory(
            case=CaseFactory(registered_by=anna), location=utrecht, legal_area=huur
        )
    assert count() == few <= 20
