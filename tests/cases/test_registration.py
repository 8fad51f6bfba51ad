"""Registering a case through the form: the fast path, and bad input that changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.models import AuditEntry, Case, ClientIdentity, SubProblem
from tests.cases.factories import REGISTER_URL as URL
from tests.cases.factories import registration_form_data as form_data


@pytest.fixture
def anna_client(login, anna):
    return login(anna)


def test_minimal_registration_needs_one_legal_area(anna_client, anna, orgs_utrecht):
    response = anna_client.post(URL, form_data())
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == f"/casussen/{case.number}/"
    assert case.organisation == orgs_utrecht["loket"] and case.location.slug == "utrecht"
    assert case.registered_by == anna and case.status == Case.Status.OPEN
    sub = case.subproblems.get()
    assert (
        sub.legal_area.slug == "huurrecht"
        and sub.kind_of_case.name == "Huurachterstand en ontruiming"
    )
    assert AuditEntry.objects.filter(case=case, action="create", actor=anna).exists()
    assert not ClientIdentity.objects.exists()


def test_two_subproblems_and_an_identity(anna_client):
    data = form_data(
        **{
            "deel-TOTAL_FORMS": "2",
            "deel-1-subject": "arbeidsrecht",
            "deel-1-referral_useful": "ja",
            "deel-1-analysis": "Ontslag op staande voet zonder dringende reden.",
            "kluis-full_name": "Piet Jansen",
            "kluis-birth_date": "1980-04-01",
        }
    )
    response = anna_client.post(URL, data)
    assert response.status_code == 302
    case = Case.objects.get()
    assert [s.legal_area.slug for s in case.subproblems.order_by("position")] == [
        "huurrecht",
        "arbeidsrecht",
    ]
    identity = ClientIdentity.objects.get(case=case)
    assert "Piet" not in identity.encrypted and identity.identity_hash
    assert "Piet" not in str(Case.objects.filter(pk=case.pk).values().first())


def test_case_number_says_nothing_about_the_client(anna_client):
    anna_client.post(URL, form_data())
    number = Case.objects.get().number
    assert len(number) == 11 and number.startswith("Z-")
    assert str(timezone.localdate().year) not in number


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"deel-0-subject": "Sterrenkunde"}, "staat niet in de lijst"),
        ({"deel-0-subject": ""}, "Kies een rechtsgebied uit de lijst"),
        ({"deel-TOTAL_FORMS": "0"}, "Verstuur minimaal 1 formulier"),
        (
            {"casus-first_contact_on": (timezone.localdate() + timedelta(days=2)).isoformat()},
            "in de toekomst",
        ),
        ({"deel-0-analysis": "Cliënt heeft BSN 111222333 genoemd."}, "bevat een BSN"),
        ({"deel-0-analysis": "x" * 4001}, "niet meer dan 4000 tekens"),
        ({"casus-postcode_area": "3511 AB"}, "vier cijfers"),
        (
            {"kluis-birth_date": (timezone.localdate() + timedelta(days=1)).isoformat()},
            "geboortedatum ligt in de toekomst",
        ),
    ],
)
def test_bad_input_gets_a_dutch_message_and_saves_nothing(anna_client, overrides, message):
    response = anna_client.post(URL, form_data(**overrides))
    assert response.status_code == 200
    assert message in response.text
    assert not Case.objects.exists() and not SubProblem.objects.exists()


def test_tampered_organisation_of_another_location_is_refused(anna_client, orgs_amsterdam):
    response = anna_client.post(
        URL, form_data(**{"casus-organisation": orgs_amsterdam["loket"].pk})
    )
    assert response.status_code == 200
    assert "Kies een organisatie" in response.text
    assert not Case.objects.exists()


def test_script_in_text_is_escaped_not_executed(anna_client):
    anna_client.post(URL, form_data(**{"deel-0-analysis": "<script>alert(1)</script> huurschuld"}))
    case = Case.objects.get()
    page = anna_client.get(f"/casussen/{case.number}/")
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text


def test_without_javascript_a_second_row_is_added_and_nothing_saved(anna_client):
    response = anna_client.post(URL, form_data(add_subproblem="1"))
    assert response.status_code == 200
    assert 'name="deel-1-subject"' in response.text
    assert not Case.objects.exists()


def test_htmx_row_carries_the_next_index(anna_client):
    response = anna_client.get(
        "/casussen/nieuw/deelprobleem/?deel-TOTAL_FORMS=2", headers={"HX-Request": "true"}
    )
    assert 'name="deel-2-subject"' in response.text
    assert 'value="3"' in response.text and 'data-hx-swap-oob="true"' in response.text


@pytest.mark.parametrize("persona", ["bart", "carla", "olga", "bea"])
def test_only_first_line_workers_register(personas, login, persona):
    assert login(personas[persona]).get(URL).status_code == 403
