"""What an advocaat sees first: the home page leads to the day's work (what is still to do, the
next shifts, the consults to come with their preparation cards), and "Mijn piket" opens on the
next day with a shift or consult instead of an empty today."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.services.cases import identity_set
from cases.vault import Identity
from piket.models import Consult
from tests.cases.factories import CaseFactory, SubProblemFactory
from tests.piket.factories import (
    AssignmentFactory,
    ConsultAdviceFactory,
    ConsultFactory,
    RosterFactory,
    ShiftFactory,
)

pytestmark = pytest.mark.django_db

HOME = "/"
DAY = "/piket/vandaag/"


def shift_on(location, advocaat, day, **roster_fields):
    """A shift at `location` on `day` (09:00-12:00 local) with `advocaat` on duty."""
    shift = ShiftFactory(roster=RosterFactory(location=location, **roster_fields), date=day)
    AssignmentFactory(shift=shift, advocaat=advocaat)
    return shift


def consult_in(shift, advocaat, *, minutes=0, status=Consult.Status.BOOKED, **fields):
    case = CaseFactory(organisation=fields.pop("organisation"), question="Huur te hoog.")
    SubProblemFactory(case=case, analysis="Huurverhoging boven het maximum; bezwaar kan nog.")
    return ConsultFactory(
        shift=shift, advocaat=advocaat, case=case, minutes=minutes, status=status, **fields
    )


def days_from_today(n: int):
    return timezone.localdate() + timedelta(days=n)


# ---------------------------------------------------------------- the home page


def test_the_home_page_shows_the_next_shifts_and_consults_with_their_cards(
    login, bart, utrecht, orgs_utrecht
):
    shift = shift_on(utrecht, bart, days_from_today(2))
    consult = consult_in(shift, bart, minutes=20, organisation=orgs_utrecht["loket"])
    identity_set(
        user=consult.case.registered_by,
        case=consult.case,
        identity=Identity(full_name="Jantje Geheim"),
    )

    html = login(bart).get(HOME).content.decode()

    assert "Uw volgende diensten" in html
    assert f'href="{DAY}?dag={shift.date.isoformat()}"' in html
    assert "Komende consulten" in html and consult.question in html
    assert consult.case.number in html and "bezwaar kan nog" in html  # the preparation card
    assert "09:20" in html and "030 123 45 67" in html
    assert "Jantje" not in html  # pseudonymised: the vault is never touched
    assert "Te doen" not in html


def test_a_held_consult_without_advice_is_a_to_do_until_the_advice_is_in(
    login, bart, utrecht, orgs_utrecht
):
    shift = shift_on(utrecht, bart, days_from_today(-1))
    held = consult_in(shift, bart, status=Consult.Status.HELD, organisation=orgs_utrecht["loket"])
    client = login(bart)

    html = client.get(HOME).content.decode()

    assert "Te doen" in html
    assert f'href="{reverse("piket:consult_advice", args=[held.pk])}"' in html
    assert "Advies vastleggen: consult van" in html and held.case.number in html

    ConsultAdviceFactory(consult=held, subproblem=held.case.subproblems.get())
    assert "Te doen" not in client.get(HOME).content.decode()


def test_a_consult_that_is_over_without_an_outcome_is_a_to_do(login, bart, utrecht, orgs_utrecht):
    shift = shift_on(utrecht, bart, days_from_today(-1))
    over = consult_in(shift, bart, organisation=orgs_utrecht["loket"])

    html = login(bart).get(HOME).content.decode()

    assert "Gehouden of niet doorgegaan?" in html
    assert f'href="{reverse("piket:consult", args=[over.pk])}"' in html
    assert "Komende consulten" in html and over.question not in html  # not to come any more


def test_only_the_advocaats_own_work_shows(login, bart, anna, utrecht, orgs_utrecht):
    colleague_shift = shift_on(utrecht, CaseFactory().registered_by, days_from_today(1))
    other = consult_in(
        colleague_shift,
        colleague_shift.assignments.get().advocaat,
        organisation=orgs_utrecht["loket"],
    )

    assert other.case.number not in login(bart).get(HOME).content.decode()
    assert "Uw volgende diensten" not in login(anna).get(HOME).content.decode()


def test_the_home_page_queries_do_not_grow_with_the_work(login, bart, utrecht, orgs_utrecht):
    client = login(bart)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(HOME).status_code == 200
        return len(ctx.captured_queries)

    def more_work(n: int) -> None:
        shift = shift_on(utrecht, bart, days_from_today(n))
        consult_in(shift, bart, organisation=orgs_utrecht["loket"])
        past = shift_on(utrecht, bart, days_from_today(-n))
        consult_in(past, bart, status=Consult.Status.HELD, organisation=orgs_utrecht["loket"])
        consult_in(past, bart, minutes=20, organisation=orgs_utrecht["loket"])

    more_work(1)
    few = queries()
    for n in range(2, 6):
        more_work(n)
    assert queries() == few


# ---------------------------------------------------------------- "Mijn piket" opens on work


def test_my_piket_opens_on_the_next_day_with_a_shift(login, bart, utrecht):
    shift = shift_on(utrecht, bart, days_from_today(3))

    response = login(bart).get(DAY)

    assert response.context["day"] == shift.date
    assert "U ziet uw eerstvolgende dag met een dienst of consult." in response.text


def test_my_piket_opens_on_the_day_of_a_consult_even_without_a_shift(
    login, bart, utrecht, orgs_utrecht
):
    shift = shift_on(utrecht, CaseFactory().registered_by, days_from_today(5))
    shift_on(utrecht, bart, days_from_today(9))
    consult_in(shift, bart, organisation=orgs_utrecht["loket"])  # e.g. after a swap

    assert login(bart).get(DAY).context["day"] == days_from_today(5)


def test_my_piket_opens_on_today_when_today_has_work_or_nothing_is_coming(login, bart, utrecht):
    client = login(bart)
    past = shift_on(utrecht, bart, days_from_today(-2))
    response = client.get(DAY)
    assert response.context["day"] == timezone.localdate()
    assert "eerstvolgende dag" not in response.text

    shift_on(utrecht, bart, days_from_today(4))
    shift_on(utrecht, bart, timezone.localdate())
    assert client.get(DAY).context["day"] == timezone.localdate()
    assert past.date < timezone.localdate()


def test_cancelled_shifts_and_waitlist_holds_are_no_work(login, bart, utrecht, orgs_utrecht):
    cancelled = shift_on(utrecht, bart, days_from_today(2))
    cancelled.is_cancelled = True
    cancelled.save(update_fields=["is_cancelled"])
    other = shift_on(utrecht, CaseFactory().registered_by, days_from_today(3))
    consult_in(other, bart, status=Consult.Status.OFFERED, organisation=orgs_utrecht["loket"])
    shift = shift_on(utrecht, bart, days_from_today(6))

    assert login(bart).get(DAY).context["day"] == shift.date


def test_a_requested_day_is_still_shown(login, bart, utrecht):
    shift_on(utrecht, bart, days_from_today(3))
    client = login(bart)
    wanted = days_from_today(1)

    response = client.get(f"{DAY}?dag={wanted.isoformat()}")

    assert response.context["day"] == wanted
    assert "eerstvolgende dag" not in response.text
    assert client.get(f"{DAY}?dag=morgen").context["day"] == timezone.localdate()
