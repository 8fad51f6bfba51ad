"""A booked consult is visible from its case (section and timeline) and in the worker's own list
of consults, with the actions the user may take there."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from piket.models import Consult
from piket.services import changes
from tests.cases.factories import CaseFactory, CaseUserPermissionFactory
from tests.piket.factories import AssignmentFactory, ConsultFactory, RosterFactory, ShiftFactory

MY_CONSULTS = "/piket/mijn-consulten/"


@pytest.fixture
def case(anna, orgs_utrecht):
    return CaseFactory(organisation=orgs_utrecht["loket"], registered_by=anna)


@pytest.fixture
def shift(utrecht, bart):
    shift = ShiftFactory(roster=RosterFactory(location=utrecht))
    AssignmentFactory(shift=shift, advocaat=bart)
    return shift


def consult_on(case, shift, advocaat, *, minutes=0, booked_by=None, **fields) -> Consult:
    return ConsultFactory(
        case=case,
        shift=shift,
        advocaat=advocaat,
        minutes=minutes,
        booked_by=booked_by or case.registered_by,
        **fields,
    )


@pytest.fixture
def consult(case, shift, bart):
    return consult_on(case, shift, bart, minutes=20)


def page_of(client, case):
    response = client.get(f"/casussen/{case.number}/")
    assert response.status_code == 200
    return response.text


def cancel_url(consult):
    return reverse("piket:consult_cancel", args=[consult.pk])


def move_url(consult):
    return reverse("piket:consult_move", args=[consult.pk])


def not_reached_url(consult):
    return reverse("piket:consult_not_reached", args=[consult.pk])


# ---------------------------------------------------------------- the case page


def test_the_case_page_shows_the_consult_with_time_advocaat_status_and_actions(
    login, anna, case, consult
):
    with time_machine.travel(consult.starts_at - timedelta(days=1), tick=False):
        html = page_of(login(anna), case)

    assert "Piketconsulten" in html
    assert reverse("piket:consult", args=[consult.pk]) in html
    assert "Bart Smit" in html and "Geboekt" in html
    assert "09:20–09:35" in html
    assert cancel_url(consult) in html and move_url(consult) in html
    assert not_reached_url(consult) not in html  # not before the callback time


def test_after_the_callback_time_the_worker_may_say_the_advocaat_was_not_reached(
    login, anna, case, consult
):
    with time_machine.travel(consult.starts_at + timedelta(minutes=16), tick=False):
        html = page_of(login(anna), case)

    assert not_reached_url(consult) in html
    assert cancel_url(consult) not in html  # past the cut-off


def test_a_cancelled_consult_offers_no_actions_and_its_outcome_is_in_the_timeline(
    login, anna, case, consult
):
    changes.consult_cancel(
        user=anna,
        consult=consult,
        reason="Vraag is al opgelost",
        now=consult.starts_at - timedelta(days=1),
    )

    with time_machine.travel(consult.starts_at - timedelta(hours=12), tick=False):
        response = login(anna).get(f"/casussen/{case.number}/")

    html = response.text
    assert "Geannuleerd" in html
    assert cancel_url(consult) not in html and move_url(consult) not in html
    kinds = [kind for kind, _at, _item in response.context["timeline"]]
    assert kinds.count("section") == 2  # booked, then cancelled
    assert "Piketconsult geboekt" in html
    assert "Piketconsult: Geannuleerd" in html and "Vraag is al opgelost" in html


def test_the_booking_is_in_the_timeline_in_order(login, anna, case, consult):
    case.notes.create(author=anna, line="eerste", text="Eerst gebeld.")
    response = login(anna).get(f"/casussen/{case.number}/")
    moments = [at for _kind, at, _item in response.context["timeline"]]
    assert moments == sorted(moments)
    assert any(
        kind == "section" and item["entry"]["consult"] == consult
        for kind, _at, item in response.context["timeline"]
    )


def test_the_advocaat_sees_his_own_consult_but_no_worker_actions(
    login, bart, case, consult, shift, utrecht
):
    other = ConsultFactory(case=case, shift=shift, minutes=40, booked_by=case.registered_by)
    CaseUserPermissionFactory(content_object=case, user=bart)  # consulted on the case

    with time_machine.travel(consult.starts_at + timedelta(minutes=16), tick=False):
        html = page_of(login(bart), case)

    assert reverse("piket:consult", args=[consult.pk]) in html
    assert reverse("piket:consult", args=[other.pk]) not in html
    assert not_reached_url(consult) not in html


def test_without_consults_the_worker_is_offered_to_book_one(login, anna, case):
    html = page_of(login(anna), case)
    assert "Voor deze casus is nog geen piketconsult geboekt." in html
    assert reverse("piket:book", args=[case.number]) in html


def test_the_coordinator_sees_no_empty_consult_section(login, carla, case):
    assert "Piketconsulten" not in page_of(login(carla), case)


def test_case_page_queries_do_not_grow_with_the_consults(login, anna, orgs_utrecht, shift, bart):
    client = login(anna)
    few = CaseFactory(organisation=orgs_utrecht["loket"], registered_by=anna)
    many = CaseFactory(organisation=orgs_utrecht["loket"], registered_by=anna)
    consult_on(few, shift, bart)
    for minutes in (20, 40, 60, 80, 100):
        consult_on(many, shift, bart, minutes=minutes)

    def count(case):
        with CaptureQueriesContext(connection) as ctx:
            page_of(client, case)
        return len(ctx.captured_queries)

    assert count(many) == count(few)


# ---------------------------------------------------------------- the worker's own consults


def test_my_consults_lists_upcoming_and_past_consults_booked_by_me(
    login, anna, ravi, case, shift, bart, orgs_utrecht
):
    soon = consult_on(case, shift, bart, minutes=20)
    earlier_shift = ShiftFactory(roster=shift.roster, date=shift.date - timedelta(days=7))
    AssignmentFactory(shift=earlier_shift, advocaat=bart)
    held = consult_on(case, earlier_shift, bart, status=Consult.Status.HELD)
    colleagues = CaseFactory(organisation=orgs_utrecht["raadslieden"], registered_by=ravi)
    theirs = consult_on(colleagues, shift, bart, minutes=40)

    with time_machine.travel(soon.starts_at - timedelta(days=1), tick=False):
        response = login(anna).get(MY_CONSULTS)

    assert response.status_code == 200
    assert [row.consult for row in response.context["upcoming"]] == [soon]
    assert [row.consult for row in response.context["past"]] == [held]
    html = response.text
    assert case.number in html and cancel_url(soon) in html
    assert reverse("piket:consult", args=[theirs.pk]) not in html


def test_my_consults_leave_out_waitlist_offers(login, anna, case, shift, bart):
    consult_on(case, shift, bart, status=Consult.Status.OFFERED)
    response = login(anna).get(MY_CONSULTS)
    assert response.context["upcoming"] == []
    assert "U heeft geen komende consulten." in response.text


def test_a_consult_on_a_case_i_no_longer_see_is_not_listed(
    login, anna, shift, bart, orgs_amsterdam
):
    elsewhere = CaseFactory(organisation=orgs_amsterdam["loket"])
    consult_on(elsewhere, shift, bart, booked_by=anna)
    assert login(anna).get(MY_CONSULTS).context["upcoming"] == []


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anna", 200), ("ravi", 200), ("eva", 200), ("bart", 403), ("carla", 403), ("olga", 403)],
)
def test_my_consults_is_for_those_who_book(personas, login, persona, status):
    assert login(personas[persona]).get(MY_CONSULTS).status_code == status


def test_my_consults_needs_a_login(client, db):
    response = client.get(MY_CONSULTS)
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_my_consults_is_in_the_menu_of_workers_only(login, anna, bart):
    assert MY_CONSULTS in login(anna).get("/").text
    assert MY_CONSULTS not in login(bart).get("/").text


def test_my_consults_queries_do_not_grow_with_the_consults(login, anna, orgs_utrecht, shift, bart):
    client = login(anna)
    first = CaseFactory(organisation=orgs_utrecht["loket"], registered_by=anna)
    consult_on(first, shift, bart)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(MY_CONSULTS).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for minutes in (20, 40, 60, 80):
        other = CaseFactory(organisation=orgs_utrecht["loket"], registered_by=anna)
        consult_on(other, shift, bart, minutes=minutes)
    assert count() == few
