"""Who sees which case, as a matrix: roles x same/other organisation x same/other location,
over the list, detail, edit and reveal URLs. A case the user may not see answers 404."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from cases.models import Case
from cases.selectors import can_advise, cases_visible_to
from tests.cases.factories import REGISTER_URL as REGISTER
from tests.cases.factories import (
    CaseTeamPermissionFactory,
    CaseUserPermissionFactory,
)
from tests.cases.factories import registration_form_data as form_data

CLIENT_NAME = "Priscilla Vermeulen-Oosterhout"


@pytest.fixture
def case(anna) -> Case:
    registrar = Client()  # its own client: the success message must not leak into other sessions
    registrar.force_login(anna)
    registrar.post(
        REGISTER, form_data(**{"kluis-full_name": CLIENT_NAME, "kluis-birth_date": "1975-02-03"})
    )
    return Case.objects.get()


# persona -> expected status for (list shows the case, detail, edit, reveal)
MATRIX = {
    "anna": (
        True,
        200,
        200,
        200,
    ),  # registering team (first line, same organisation, same location)
    "ravi": (False, 404, 404, 404),  # first line, other organisation, same location
    "eva": (False, 404, 404, 404),  # first line, other location
    "bart": (False, 404, 404, 404),  # advocaat, same location, not consulted
    "carla": (True, 200, 403, 403),  # coordinator, same location: pseudonymised, read only
    "cor": (False, 404, 404, 404),  # coordinator, other location
    "olga": (False, 403, 403, 403),  # researcher: no case records at all
    "bea": (False, 403, 403, 403),  # administrator: no case records
}


@pytest.mark.parametrize("persona", sorted(MATRIX))
def test_case_visibility_matrix(personas, login, case, persona):
    in_list, detail, edit, reveal = MATRIX[persona]
    client = login(personas[persona])
    listing = client.get("/casussen/")
    if in_list:
        assert case.number in listing.text
    else:
        assert listing.status_code == 403 or case.number not in listing.text
    assert client.get(f"/casussen/{case.number}/").status_code == detail
    assert client.get(f"/casussen/{case.number}/wijzigen/").status_code == edit
    response = client.post(
        f"/casussen/{case.number}/identiteit/inzien/", {"reason": "terugbellen over afspraak"}
    )
    assert response.status_code == reveal
    if reveal == 200:
        assert CLIENT_NAME in response.text
    elif response.status_code == 200:
        pytest.fail("reveal must not succeed")
    assert CLIENT_NAME not in listing.text


def test_consulted_advocaat_sees_the_case_pseudonymised(login, bart, case):
    CaseUserPermissionFactory(content_object=case, user=bart)
    client = login(bart)
    assert case.number in client.get("/casussen/").text
    page = client.get(f"/casussen/{case.number}/")
    assert page.status_code == 200 and CLIENT_NAME not in page.text
    assert client.get(f"/casussen/{case.number}/wijzigen/").status_code == 403
    assert (
        client.post(
            f"/casussen/{case.number}/identiteit/inzien/", {"reason": "nieuwsgierig"}
        ).status_code
        == 403
    )


def test_coordinator_never_sees_the_identity(login, carla, case):
    page = login(carla).get(f"/casussen/{case.number}/")
    assert CLIENT_NAME not in page.text
    assert "Identiteit inzien" not in page.text


def test_team_with_accepted_handover_sees_the_case_and_identity_only_with_consent(
    login, ravi, case, orgs_utrecht
):
    CaseTeamPermissionFactory(content_object=case, organisation=orgs_utrecht["raadslieden"])
    client = login(ravi)
    assert client.get(f"/casussen/{case.number}/").status_code == 200
    assert (
        client.post(
            f"/casussen/{case.number}/identiteit/inzien/", {"reason": "cliënt terugbellen"}
        ).status_code
        == 403
    )
    CaseTeamPermissionFactory(
        content_object=case, organisation=orgs_utrecht["raadslieden"], codename="reveal_identity"
    )
    response = login(ravi).post(
        f"/casussen/{case.number}/identiteit/inzien/", {"reason": "cliënt terugbellen"}
    )
    assert response.status_code == 200 and CLIENT_NAME in response.text


def test_every_view_and_reveal_is_audited(login, anna, case):
    from cases.models import AuditEntry

    client = login(anna)
    client.get(f"/casussen/{case.number}/")
    client.post(f"/casussen/{case.number}/identiteit/inzien/", {"reason": "cliënt terugbellen"})
    actions = list(
        AuditEntry.objects.filter(case=case).order_by("at").values_list("action", flat=True)
    )
    assert actions == ["create", "view", "reveal"]
    reveal = AuditEntry.objects.get(action="reveal")
    assert reveal.reason == "cliënt terugbellen" and reveal.actor == anna
    assert CLIENT_NAME not in str(reveal.detail)


def test_reveal_without_a_reason_is_refused_and_not_decrypted(login, anna, case):
    response = login(anna).post(f"/casussen/{case.number}/identiteit/inzien/", {"reason": ""})
    assert response.status_code == 400
    assert CLIENT_NAME not in response.text


def test_case_pages_are_never_cached(login, anna, case):
    response = login(anna).get(f"/casussen/{case.number}/")
    assert (
        "no-store" in response.headers["Cache-Control"]
        or "no-cache" in response.headers["Cache-Control"]
    )


def test_a_global_permission_opens_no_case(bart, case):
    """Only object permissions count: a model-wide `advise_case` would open every location's
    cases, so it is ignored."""
    bart.user_permissions.add(Permission.objects.get(codename="advise_case"))
    bart = type(bart).objects.get(pk=bart.pk)
    assert bart.has_perm("cases.advise_case")  # the global permission is there
    assert not cases_visible_to(bart).exists()
    assert not can_advise(bart, case)
    CaseUserPermissionFactory(content_object=case, user=bart)
    bart = type(bart).objects.get(pk=bart.pk)
    assert list(cases_visible_to(bart)) == [case]
    assert can_advise(bart, Case.objects.get(pk=case.pk))


def test_object_permissions_are_read_in_an_indexed_join(bart, case, django_assert_num_queries):
    CaseUserPermissionFactory(content_object=case, user=bart)
    with django_assert_num_queries(2):  # memberships, then the cases
        assert list(cases_visible_to(bart)) == [case]
