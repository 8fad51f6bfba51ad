"""Dagdelen: a shift counts the mornings and afternoons it covers (a 09:00–17:00 shift counts
two), statements count dagdelen, each advocaat's total over the pilot period stands against
their commitment with a warning when they fall behind, and the national coordinator gets the
advocaten who serve only the national piket."""

from __future__ import annotations

import csv
import io
from datetime import date, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Membership, Role
from cases.models import LegalArea
from piket import selectors
from piket.dagdelen import half_days, half_days_count
from piket.localtime import local_datetime
from piket.models import AdvocaatProfile, PiketRules, Shift
from tests.accounts.factories import OrganisationFactory, member
from tests.piket.factories import (
    AdvocaatProfileFactory,
    AssignmentFactory,
    RosterFactory,
    ShiftFactory,
    advocaat_at,
    national_coordinator,
    national_location,
)

pytestmark = pytest.mark.django_db

STATEMENTS = "/piket/overzicht/"
MY_STATEMENTS = "/piket/mijn-overzicht/"

# (start, end) local wall-clock time -> dagdelen
RULE = [
    ((9, 0), (12, 0), 1),
    ((13, 0), (17, 0), 1),
    ((9, 0), (17, 0), 2),
    ((11, 0), (14, 0), 2),
    ((12, 0), (13, 0), 1),
    ((11, 30), (12, 30), 1),
    ((12, 30), (14, 0), 1),
    ((8, 0), (12, 30), 1),
    ((18, 0), (20, 0), 1),
]


def on_duty(advocaat, location, day: date, start=(9, 0), end=(12, 0), **shift_fields):
    """The advocaat on duty for a shift from `start` to `end` on `day`."""
    roster = RosterFactory(
        location=location, weekday=day.weekday(), start_time=time(*start), end_time=time(*end)
    )
    shift = ShiftFactory(roster=roster, date=day, **shift_fields)
    AssignmentFactory(shift=shift, advocaat=advocaat)
    return shift


def months_ago(count: int) -> date:
    first = timezone.localdate().replace(day=1)
    for _i in range(count):
        first = (first - timedelta(days=1)).replace(day=1)
    return first


def set_period(starts_on, ends_on=None) -> None:
    PiketRules.objects.filter(pk=PiketRules.ROW).update(
        period_starts_on=starts_on, period_ends_on=ends_on
    )


def advocaat_joined(advocaat, day: date) -> None:
    Membership.objects.filter(user=advocaat).update(created_at=local_datetime(day, time(8, 0)))


# ---------------------------------------------------------------- the rule


@pytest.mark.parametrize(("start", "end", "expected"), RULE)
def test_a_shift_counts_the_mornings_and_afternoons_it_covers(start, end, expected):
    day = date(2026, 7, 7)  # summer time: the rule is about local wall-clock time
    assert half_days(local_datetime(day, time(*start)), local_datetime(day, time(*end))) == (
        expected
    )


def test_the_database_counts_as_the_rule_does(utrecht):
    shifts = {}
    for index, (start, end, expected) in enumerate(RULE):
        day = date(2026, 1, 5) + timedelta(days=index)  # winter time
        roster = RosterFactory(
            location=utrecht, weekday=day.weekday(), start_time=time(*start), end_time=time(*end)
        )
        shifts[ShiftFactory(roster=roster, date=day).pk] = expected
    counted = dict(
        Shift.objects.filter(pk__in=shifts).annotate(n=half_days_count()).values_list("pk", "n")
    )
    assert counted == shifts


# ---------------------------------------------------------------- monthly statements


def test_the_monthly_statement_counts_a_whole_day_as_two_dagdelen(login, carla, bart, utrecht):
    AdvocaatProfileFactory(advocaat=bart, half_days_per_month=4)
    day = months_ago(1) + timedelta(days=3)
    on_duty(bart, utrecht, day, (9, 0), (17, 0))
    on_duty(bart, utrecht, day + timedelta(days=1), (13, 0), (17, 0))
    on_duty(bart, utrecht, day + timedelta(days=2), (9, 0), (17, 0), is_cancelled=True)

    response = login(carla).get(f"/piket/overzicht/{day.year}/{day.month}.csv")

    rows = list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))
    assert rows[0][1:3] == ["Dagdelen van dienst", "Toegezegde dagdelen"]
    assert next(r for r in rows if r[0] == "Bart Smit")[1:3] == ["3", "4"]


# ---------------------------------------------------------------- over the pilot period


def test_total_over_the_period_stands_against_the_commitment(carla, bart, utrecht):
    AdvocaatProfileFactory(advocaat=bart, half_days_per_month=2)
    start = months_ago(2)
    set_period(start)
    advocaat_joined(bart, start)
    on_duty(bart, utrecht, start + timedelta(days=2), (9, 0), (17, 0))  # 2 served
    on_duty(bart, utrecht, months_ago(1) + timedelta(days=2))  # 1 served
    on_duty(bart, utrecht, start - timedelta(days=3), (9, 0), (17, 0))  # before the period

    (row,) = selectors.commitments([bart]).rows

    assert (row.per_month, row.months, row.committed) == (2, 3, 6)
    assert (row.served, row.planned) == (3, 0)
    assert row.shortfall == 3 and row.is_behind


def test_dagdelen_planned_this_month_keep_an_advocaat_from_falling_behind(bart, utrecht):
    AdvocaatProfileFactory(advocaat=bart, half_days_per_month=2)
    now = local_datetime(date(2026, 3, 10), time(8, 0))
    set_period(date(2026, 3, 1))
    advocaat_joined(bart, date(2026, 2, 1))
    on_duty(bart, utrecht, date(2026, 3, 3))  # served
    on_duty(bart, utrecht, date(2026, 3, 24))  # planned, this month
    on_duty(bart, utrecht, date(2026, 4, 7))  # next month: not counted yet

    (row,) = selectors.commitments([bart], now=now).rows

    assert (row.months, row.committed, row.served, row.planned) == (1, 2, 1, 1)
    assert not row.is_behind


def test_an_advocaat_counts_from_the_month_they_joined(bart, utrecht):
    AdvocaatProfileFactory(advocaat=bart, half_days_per_month=3)
    now = local_datetime(date(2026, 6, 15), time(12, 0))
    set_period(date(2026, 1, 1))
    advocaat_joined(bart, date(2026, 5, 20))

    (row,) = selectors.commitments([bart], now=now).rows

    assert (row.months, row.committed) == (2, 6)  # May and June


def test_a_period_that_ended_counts_no_further(bart, utrecht):
    AdvocaatProfileFactory(advocaat=bart, half_days_per_month=1)
    now = local_datetime(date(2026, 9, 15), time(12, 0))
    set_period(date(2026, 1, 1), date(2026, 3, 31))
    advocaat_joined(bart, date(2025, 12, 1))
    on_duty(bart, utrecht, date(2026, 2, 3))
    on_duty(bart, utrecht, date(2026, 4, 7))  # after the end

    commitments = selectors.commitments([bart], now=now)

    assert commitments.through == date(2026, 3, 31)
    (row,) = commitments.rows
    assert (row.months, row.committed, row.served, row.planned) == (3, 3, 1, 0)


def test_without_a_period_it_starts_at_the_first_shift(bart, utrecht):
    first = months_ago(1) + timedelta(days=1)
    on_duty(bart, utrecht, first)
    assert selectors.pilot_period() == (first, timezone.localdate())


def test_the_statements_page_warns_who_falls_behind(login, carla, bart, utrecht):
    AdvocaatProfileFactory(advocaat=bart, half_days_per_month=2)
    ahead = advocaat_at(utrecht, email="ahead@example.org", full_name="Anne Ahead")
    AdvocaatProfileFactory(advocaat=ahead, half_days_per_month=1)
    start = months_ago(1)
    set_period(start)
    advocaat_joined(bart, start)
    advocaat_joined(ahead, start)
    on_duty(ahead, utrecht, start + timedelta(days=1), (9, 0), (17, 0))

    response = login(carla).get(STATEMENTS)

    text = response.content.decode()
    assert "1 advocaat loopt achter met de toegezegde dagdelen." in text
    rows = {row.advocaat.full_name: row for row in response.context["commitments"].rows}
    assert rows["Bart Smit"].is_behind and rows["Bart Smit"].shortfall == 4
    assert not rows["Anne Ahead"].is_behind
    assert "loopt achter" in text
    assert "een dienst van 09:00 tot 17:00 telt dus als twee dagdelen" in text


def test_the_advocaat_sees_their_own_total_only(login, bart, utrecht):
    AdvocaatProfileFactory(advocaat=bart, half_days_per_month=2)
    advocaat_at(utrecht, email="ander@example.org", full_name="Andere Advocaat")
    response = login(bart).get(MY_STATEMENTS)
    assert [r.advocaat for r in response.context["commitments"].rows] == [bart]
    assert "Andere Advocaat" not in response.content.decode()
    assert "U loopt achter met uw toegezegde dagdelen." in response.content.decode()


def test_the_statements_page_queries_do_not_grow(login, carla, utrecht):
    client = login(carla)
    start = months_ago(1)
    set_period(start)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(STATEMENTS).status_code == 200
        return len(ctx.captured_queries)

    first = advocaat_at(utrecht, email="adv0@example.org")
    on_duty(first, utrecht, start + timedelta(days=1))
    few = count()
    for i in range(1, 5):
        advocaat = advocaat_at(utrecht, email=f"adv{i}@example.org")
        AdvocaatProfileFactory(advocaat=advocaat)
        on_duty(advocaat, utrecht, start + timedelta(days=i + 1), (9, 0), (17, 0))
    assert count() == few


# ---------------------------------------------------------------- national advocaten


@pytest.fixture
def nadia(db):
    return national_coordinator(email="nadia@example.org", full_name="Nadia Landman")


@pytest.fixture
def nina(db):
    """An advocaat who serves the national piket only."""
    org = OrganisationFactory(
        location=national_location(), name="Landelijke advocatuur", kind="sociale_advocatuur"
    )
    return member(Role.ADVOCAAT, org, email="nina@example.org", full_name="Nina Landelijk")


def test_an_advocaat_of_the_national_piket_only_is_in_the_national_statement(
    login, nadia, nina, carla, bart
):
    assert list(selectors.advocaten_visible_to(nadia)) == [nina]
    assert nina not in selectors.advocaten_visible_to(carla)
    response = login(nadia).get(f"/piket/overzicht/{timezone.localdate().year}/1.csv")
    assert "Nina Landelijk" in response.content.decode()
    assert "Bart Smit" not in response.content.decode()


def test_an_advocaat_with_a_local_membership_stays_in_the_local_statement(nadia, bart, carla):
    org = OrganisationFactory(
        location=national_location(), name="Landelijke advocatuur", kind="sociale_advocatuur"
    )
    Membership.objects.create(user=bart, organisation=org, role=Role.ADVOCAAT)
    assert bart in selectors.advocaten_visible_to(carla)
    assert bart not in selectors.advocaten_visible_to(nadia)


def test_the_national_coordinator_keeps_the_profile_of_a_national_advocaat(login, nadia, nina):
    huur = LegalArea.objects.get(slug="huurrecht")
    response = login(nadia).post(
        f"/piket/advocaten/{nina.pk}/",
        {
            "legal_areas": [str(huur.pk)],
            "half_days_per_month": "5",
            "max_shifts_per_week": "2",
            "max_shifts_per_month": "6",
        },
    )
    assert response.status_code == 302
    assert AdvocaatProfile.objects.get(advocaat=nina).half_days_per_month == 5


# ---------------------------------------------------------------- the period on the rules page


def test_a_national_coordinator_sets_the_pilot_period(login, nadia):
    response = login(nadia).post(
        "/piket/regels/",
        {
            "no_toevoeging_after_consult": "aan",
            "period_starts_on": "2026-01-01",
            "period_ends_on": "2026-09-30",
        },
    )
    assert response.status_code == 302
    rules = PiketRules.objects.get()
    assert (rules.period_starts_on, rules.period_ends_on) == (date(2026, 1, 1), date(2026, 9, 30))


def test_a_period_ending_before_it_starts_is_refused_in_dutch(login, nadia):
    response = login(nadia).post(
        "/piket/regels/",
        {
            "no_toevoeging_after_consult": "aan",
            "period_starts_on": "2026-05-01",
            "period_ends_on": "2026-04-30",
        },
    )
    assert response.status_code == 200
    assert "Het einde van de pilotperiode ligt vóór het begin." in response.content.decode()
    assert PiketRules.objects.get().period_starts_on is None
