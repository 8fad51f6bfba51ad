"""The pilot's piket rules as a domain setting: coordinators of the national level change them
on /piket/regels/, every change is audited, everyone else gets 403."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError

from accounts.models import Organisation, Role
from cases.models import AuditEntry
from piket import selectors
from piket.models import PiketRules
from piket.services.rules import piket_rules_update
from tests.accounts.factories import OrganisationFactory, member
from tests.piket.factories import national_coordinator, national_location

URL = "/piket/regels/"
ERROR = "Kies of de regel aan of uit staat."
PERSONAS = ["anna", "ravi", "bart", "carla", "olga", "bea", "eva", "cor"]


@pytest.fixture
def nadia(db):
    return national_coordinator(email="nadia@example.org", full_name="Nadia Landman")


def rule() -> bool:
    return PiketRules.objects.get().no_toevoeging_after_consult


def rule_audits():
    return AuditEntry.objects.filter(object_type="piket.PiketRules")


def test_the_migration_starts_with_the_rule_on(db):
    rules = PiketRules.objects.get()
    assert rules.pk == PiketRules.ROW
    assert rules.no_toevoeging_after_consult is True
    assert rules.changed_by is None and rules.changed_at is None


def test_a_national_coordinator_turns_the_rule_off_and_the_change_is_audited(login, nadia):
    response = login(nadia).post(URL, {"no_toevoeging_after_consult": "uit"})
    assert response.status_code == 302 and response.url == URL
    rules = PiketRules.objects.get()
    assert rules.no_toevoeging_after_consult is False
    assert rules.changed_by == nadia and rules.changed_at is not None
    assert selectors.no_toevoeging_after_consult() is False
    (entry,) = rule_audits()
    assert entry.actor == nadia
    assert entry.action == AuditEntry.Action.UPDATE
    assert entry.object_id == str(PiketRules.ROW)
    assert entry.detail == {"no_toevoeging_after_consult": {"from": True, "to": False}}

    page = login(nadia).get(URL).text
    assert "De piketregels zijn opgeslagen." in page
    assert "Laatst gewijzigd door Nadia Landman" in page
    assert re.search(r'value="uit"[^>]*\bchecked\b', page)


def test_turning_it_back_on_is_audited_too(nadia):
    piket_rules_update(user=nadia, data={"no_toevoeging_after_consult": False})
    piket_rules_update(user=nadia, data={"no_toevoeging_after_consult": True})
    assert rule() is True
    assert [e.detail["no_toevoeging_after_consult"] for e in rule_audits().order_by("pk")] == [
        {"from": True, "to": False},
        {"from": False, "to": True},
    ]


def test_saving_without_a_change_writes_nothing(login, nadia):
    response = login(nadia).post(URL, {"no_toevoeging_after_consult": "aan"})
    assert response.status_code == 302
    assert not rule_audits().exists()
    assert PiketRules.objects.get().changed_by is None


@pytest.mark.parametrize("data", [{"no_toevoeging_after_consult": "misschien"}, {}])
def test_bad_input_gets_a_dutch_message_and_changes_nothing(login, nadia, data):
    response = login(nadia).post(URL, data)
    assert response.status_code == 200
    assert ERROR in response.text
    assert rule() is True
    assert not rule_audits().exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_but_a_national_coordinator_gets_403(personas, login, persona):
    client = login(personas[persona])
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"no_toevoeging_after_consult": "uit"}).status_code == 403
    assert rule() is True and not rule_audits().exists()


def test_another_role_at_the_national_level_gets_403(login):
    org = OrganisationFactory(
        location=national_location(), name="Landelijk loket", kind=Organisation.Kind.JURIDISCH_LOKET
    )
    worker = member(Role.FIRST_LINE, org, email="landelijk@example.org")
    assert login(worker).get(URL).status_code == 403


def test_a_local_coordinator_may_not_change_the_rules_through_the_service(carla):
    with pytest.raises(PermissionDenied):
        piket_rules_update(user=carla, data={"no_toevoeging_after_consult": False})
    assert rule() is True


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, db):
    for response in (client.get(URL), client.post(URL, {"no_toevoeging_after_consult": "uit"})):
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")
    assert rule() is True


def test_only_a_national_coordinator_finds_the_link_on_the_roster_page(login, nadia, carla):
    assert f'href="{URL}"' in login(nadia).get("/piket/roosters/").text
    assert f'href="{URL}"' not in login(carla).get("/piket/roosters/").text


def test_the_rule_is_read_in_one_query(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert selectors.no_toevoeging_after_consult() is True


def test_without_the_row_the_rule_keeps_its_default(db):
    # A flushed database (transactional tests) has no row; the pilot's rule stays on.
    PiketRules.objects.all().delete()
    assert selectors.no_toevoeging_after_consult() is True


def test_the_database_holds_one_row_only(db):
    with pytest.raises(IntegrityError):
        PiketRules.objects.create(id=2)
