"""Case list and detail: filters, pagination, and query counts that do not grow with the data."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import Case, CaseStatusChange, LegalArea, Note
from cases.services.status import case_status_change
from tests.cases.factories import CaseUserPermissionFactory, register


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_queries_do_not_grow_with_the_number_of_cases(login, anna, orgs_utrecht):
    client = login(anna)
    for _ in range(3):
        register(anna, orgs_utrecht["loket"], areas=("huurrecht", "arbeidsrecht"))
    few = count_queries(client, "/casussen/")
    for _ in range(30):
        register(
            anna, orgs_utrecht["loket"], areas=("huurrecht", "arbeidsrecht", "consumentenrecht")
        )
    assert count_queries(client, "/casussen/") == few <= 10  # the page's budget
    assert count_queries(client, "/casussen/?status=open&legal_area=1") <= 10
    assert count_queries(client, f"/casussen/?number={Case.objects.first().number}") <= 10


def test_detail_queries_do_not_grow_with_subproblems_and_notes(login, anna, orgs_utrecht):
    client = login(anna)
    small = register(anna, orgs_utrecht["loket"])
    big = register(
        anna,
        orgs_utrecht["loket"],
        areas=(
            "huurrecht",
            "arbeidsrecht",
            "consumentenrecht",
            "asiel" if False else "vreemdelingenrecht",
        ),
    )
    for i in range(10):
        Note.objects.create(
            case=big, author=anna, line="eerste", text=f"Gebeld met wederpartij {i}."
        )
    assert count_queries(client, f"/casussen/{big.number}/") == count_queries(
        client, f"/casussen/{small.number}/"
    )


def test_filters_and_search_by_number(login, anna, ravi, orgs_utrecht, carla):
    rent = register(anna, orgs_utrecht["loket"], areas=("huurrecht",))
    work = register(anna, orgs_utrecht["loket"], areas=("arbeidsrecht",))
    closed = register(anna, orgs_utrecht["loket"], areas=("arbeidsrecht",))
    case_status_change(
        case=closed,
        to=Case.Status.CLOSED,
        actor=anna,
        reason=CaseStatusChange.Reason.MANUAL,
        solution_reached="ja",
    )
    other_worker = register(ravi, orgs_utrecht["raadslieden"])
    client = login(carla)  # the coordinator sees the whole location
    area = LegalArea.objects.get(slug="arbeidsrecht").pk

    def numbers(query):
        return {c.number for c in client.get(f"/casussen/?{query}").context["page"].object_list}

    assert numbers("") == {rent.number, work.number, closed.number, other_worker.number}
    assert numbers(f"legal_area={area}") == {work.number, closed.number}
    assert numbers("status=gesloten") == {closed.number}
    assert numbers(f"number={rent.number.lower()}") == {rent.number}
    assert numbers(f"worker={ravi.pk}") == {other_worker.number}
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert numbers(f"registered_from={tomorrow}") == set()


def test_list_is_paginated(login, anna, orgs_utrecht):
    for _ in range(27):
        register(anna, orgs_utrecht["loket"])
    client = login(anna)
    first = client.get("/casussen/").context["page"]
    assert len(first.object_list) == 25 and first.paginator.num_pages == 2
    assert len(client.get("/casussen/?pagina=2").context["page"].object_list) == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"status": "gesloten"}, "passende oplossing"),
        (
            {"status": "gesloten", "solution_reached": "ja", "closed_on": "2001-01-01"},
            "vóór het eerste contact",
        ),
        ({"status": "vliegend"}, "Selecteer een geldige keuze"),
    ],
)
def test_bad_status_change_is_refused_and_changes_nothing(login, anna, orgs_utrecht, data, message):
    case = register(anna, orgs_utrecht["loket"])
    response = login(anna).post(f"/casussen/{case.number}/status/", data)
    assert response.status_code == 400 and message in response.text
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN and case.closed_on is None


def test_closing_records_time_to_solution(login, anna, orgs_utrecht):
    case = register(
        anna, orgs_utrecht["loket"], first_contact_on=timezone.localdate() - timedelta(days=9)
    )
    response = login(anna).post(
        f"/casussen/{case.number}/status/",
        {"status": "gesloten", "solution_reached": "ja", "solution_where": "sociale_kaart"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.is_closed and case.days_to_solution == 9


def test_notes_form_a_timeline_with_first_and_second_line(login, anna, bart, orgs_utrecht):

    case = register(anna, orgs_utrecht["loket"])
    CaseUserPermissionFactory(content_object=case, user=bart)
    login(anna).post(
        f"/casussen/{case.number}/notitie/", {"text": "Brief van de verhuurder ontvangen."}
    )
    login(bart).post(
        f"/casussen/{case.number}/notitie/", {"text": "Termijn loopt nog; bezwaar mogelijk."}
    )
    assert list(case.notes.order_by("created_at").values_list("line", flat=True)) == [
        "eerste",
        "tweede",
    ]
    page = login(anna).get(f"/casussen/{case.number}/")
    assert "Notitie tweede lijn" in page.text and "Notitie eerste lijn" in page.text


def test_note_with_a_phone_number_is_refused(login, anna, orgs_utrecht):
    case = register(anna, orgs_utrecht["loket"])
    response = login(anna).post(
        f"/casussen/{case.number}/notitie/", {"text": "Bel cliënt op 06-12345678"}
    )
    assert response.status_code == 400 and "telefoonnummer" in response.text
    assert not case.notes.exists()


def test_earlier_cases_of_the_same_client_are_recognised_by_hash(login, anna, orgs_utrecht):
    from cases.services.cases import identity_set
    from cases.vault import Identity

    first = register(anna, orgs_utrecht["loket"])
    second = register(anna, orgs_utrecht["loket"])
    identity_set(
        user=anna,
        case=first,
        identity=Identity(
            full_name="Jansen, Piet", birth_date=timezone.localdate().replace(year=1980)
        ),
    )
    identity_set(
        user=anna,
        case=second,
        identity=Identity(
            full_name="piet  jansen", birth_date=timezone.localdate().replace(year=1980)
        ),
    )
    page = login(anna).get(f"/casussen/{second.number}/")
    assert "1 andere casus" in page.text


def test_a_huge_list_is_not_counted_to_the_end(login, anna, orgs_utrecht, monkeypatch):
    from cases.views import cases as case_views

    monkeypatch.setattr(case_views, "COUNT_CAP", 5)
    for _ in range(8):
        register(anna, orgs_utrecht["loket"])
    response = login(anna).get("/casussen/")
    assert "Meer dan 5 casussen: verfijn met de filters" in response.text
    assert len(response.context["page"].object_list) == 6  # at most cap + 1 rows are looked at


def test_period_filter_uses_local_days(login, anna, orgs_utrecht):
    case = register(anna, orgs_utrecht["loket"])
    today = timezone.localdate().isoformat()
    page = login(anna).get(f"/casussen/?registered_from={today}&registered_until={today}")
    assert [c.number for c in page.context["page"].object_list] == [case.number]


@pytest.mark.parametrize("persona", ["anna", "carla", "bart"])
def test_a_full_case_page_stays_within_twelve_queries(personas, login, orgs_utrecht, persona):
    """Everything a case page can show at once: sub-problems with considered organisations,
    advice with fitting ones, notes, a handover, the vault, a status change; for the
    registering team, the location's coordinator and the consulted advocaat."""
    from cases.models import Handover
    from tests.cases.factories import (
        ClientIdentityFactory,
        HandoverFactory,
        NoteFactory,
        SecondLineAdviceFactory,
        SocialMapEntryFactory,
    )

    anna, bart = personas["anna"], personas["bart"]
    case = register(anna, orgs_utrecht["loket"], areas=("huurrecht", "arbeidsrecht"))
    entry = SocialMapEntryFactory(location=case.location)
    for sub in case.subproblems.all():
        sub.considered_organisations.add(entry)
        SecondLineAdviceFactory(subproblem=sub, advocaat=bart).fitting_organisations.add(entry)
    NoteFactory(case=case)
    HandoverFactory(case=case, status=Handover.Status.PENDING)
    ClientIdentityFactory(case=case)
    CaseUserPermissionFactory(content_object=case, user=bart)
    response_queries = count_queries(login(personas[persona]), f"/casussen/{case.number}/")
    assert response_queries <= 12
