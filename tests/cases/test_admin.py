"""Functional administrators maintain reference data in the admin, but see no case records."""

from __future__ import annotations


def test_administrator_maintains_legal_areas_and_counterparties(login, bea):
    client = login(bea)
    assert client.get("/beheer/cases/legalarea/").status_code == 200
    assert client.get("/beheer/cases/counterparty/").status_code == 200
    response = client.post(
        "/beheer/cases/counterparty/add/",
        {"name": "Pensioenfonds", "position": 30, "is_active": "on"},
    )
    assert response.status_code == 302


def test_case_records_are_not_in_the_admin(login, bea):
    client = login(bea)
    for model in ("case", "clientidentity", "subproblem", "note", "auditentry"):
        assert client.get(f"/beheer/cases/{model}/").status_code == 404, model


def test_administrator_edits_a_user_with_memberships_and_a_legal_area_with_kinds(login, bea, anna):
    from cases.models import LegalArea

    client = login(bea)
    assert client.get(f"/beheer/accounts/user/{anna.pk}/change/").status_code == 200
    area = LegalArea.objects.get(slug="huurrecht")
    assert client.get(f"/beheer/cases/legalarea/{area.pk}/change/").status_code == 200
