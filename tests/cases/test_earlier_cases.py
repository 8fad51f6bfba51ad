"""Repeat clients: while the identity block of the registration form is filled in, the worker
sees links to the client's earlier cases at their organisation (found by the keyed hash), by
POST only, audited as reads, never logged, and only cases the worker may see."""

from __future__ import annotations

import logging

import pytest
from django.utils import timezone

from cases.models import AuditEntry
from tests.cases.factories import (
    PIET,
    CaseFactory,
    CaseTeamPermissionFactory,
    ClientIdentityFactory,
    SubProblemFactory,
)

URL = "/casussen/nieuw/eerdere-casussen/"


def lookup(client, name="Piet Jansen", birth_date="1980-05-17"):
    return client.post(URL, {"kluis-full_name": name, "kluis-birth_date": birth_date})


def case_of_piet(organisation, registered_by=None, **identity):
    people = {"registered_by": registered_by} if registered_by else {}
    case = CaseFactory(organisation=organisation, **people)
    SubProblemFactory(case=case)
    ClientIdentityFactory(case=case, **identity)
    return case


@pytest.fixture
def earlier(anna, orgs_utrecht):
    return case_of_piet(orgs_utrecht["loket"], registered_by=anna)


def test_the_worker_sees_the_earlier_case_of_the_client(login, anna, earlier):
    response = lookup(login(anna), name="jansen, Piet")  # the name as normalised for the hash

    assert response.status_code == 200
    html = response.content.decode()
    assert earlier.number in html
    assert f"/casussen/{earlier.number}/" in html
    assert f"/casussen/{earlier.number}/deelprobleem/" in html
    assert "Deze rechtzoekende heeft al een casus bij uw organisatie." in html
    assert "Piet" not in html  # the hint never repeats the identity
    assert "no-cache" in response["Cache-Control"]


def test_a_colleague_of_the_same_team_registered_it(login, anna, orgs_utrecht):
    colleague_case = case_of_piet(orgs_utrecht["loket"])
    assert colleague_case.number in lookup(login(anna)).content.decode()


def test_showing_the_case_numbers_is_audited_as_a_read(login, anna, earlier):
    lookup(login(anna))
    entry = AuditEntry.objects.get(action=AuditEntry.Action.VIEW)
    assert entry.actor == anna
    assert entry.case == earlier or entry.detail == {"cases": [earlier.pk]}
    assert "Piet" not in str(entry.detail) + entry.reason


@pytest.mark.parametrize(
    ("name", "birth_date"),
    [
        ("Piet Jansen", ""),  # the birth date still missing
        ("", "1980-05-17"),  # the name still missing
        ("Piet Jansen", "1980-05-18"),  # another person
        ("Kees Jansen", "1980-05-17"),
        ("!!!", "1980-05-17"),  # no letters: no hash, never a match
        ("Piet Jansen", "morgen"),  # not a date
    ],
)
def test_no_match_shows_nothing_and_audits_nothing(login, anna, earlier, name, birth_date):
    response = lookup(login(anna), name=name, birth_date=birth_date)
    assert response.status_code == 200
    assert earlier.number not in response.content.decode()
    assert not AuditEntry.objects.filter(case=earlier, action=AuditEntry.Action.VIEW).exists()


def test_cases_of_another_organisation_are_not_shown(login, ravi, anna, earlier):
    """Ravi works at another organisation of the same location: he does not see Anna's case."""
    response = lookup(login(ravi))
    assert earlier.number not in response.content.decode()
    assert not AuditEntry.objects.filter(case=earlier).exists()


def test_a_case_handed_over_to_my_team_is_not_one_of_my_organisation(
    login, anna, ravi, orgs_utrecht
):
    theirs = case_of_piet(orgs_utrecht["raadslieden"], registered_by=ravi)
    CaseTeamPermissionFactory(content_object=theirs, organisation=orgs_utrecht["loket"])
    assert theirs.number not in lookup(login(anna)).content.decode()


def test_an_erased_identity_is_not_found(login, anna, earlier):
    earlier.identity.destroyed_at = timezone.now()
    earlier.identity.save(update_fields=["destroyed_at"])
    assert earlier.number not in lookup(login(anna)).content.decode()


def test_the_lookup_is_post_only(login, anna, earlier):
    response = login(anna).get(URL, {"kluis-full_name": "Piet Jansen"})
    assert response.status_code == 405


@pytest.mark.parametrize("persona", ["bart", "carla", "olga", "bea"])
def test_only_those_who_register_may_look_up(personas, login, earlier, persona):
    assert lookup(login(personas[persona])).status_code == 403
    assert not AuditEntry.objects.filter(case=earlier).exists()


def test_the_name_and_birth_date_are_never_logged(login, anna, earlier, caplog):
    with caplog.at_level(logging.DEBUG):
        lookup(login(anna))
        lookup(login(anna), birth_date="nooit")
    assert "Jansen" not in caplog.text and "1980-05-17" not in caplog.text


def test_the_form_asks_by_post_with_the_identity_fields_and_nothing_in_a_url(login, anna):
    html = login(anna).get("/casussen/nieuw/").content.decode()
    assert f'data-hx-post="{URL}"' in html
    assert 'data-hx-include="#id_kluis-full_name, #id_kluis-birth_date"' in html
    assert "data-hx-get" not in html.split('id="eerdere-casussen"')[1].split(">")[0]


def test_piet_is_the_client_of_the_factory():
    assert (PIET.full_name, PIET.birth_date.isoformat()) == ("Piet Jansen", "1980-05-17")
