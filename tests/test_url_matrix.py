"""Every URL of the project x every role x own/other location, generated from the URL resolver:
no page ever answers with a server error, and a case's pages answer only to those who may see
the case (everyone else: 403 or 404, the same for every case)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from cases.models import Case
from tests.cases.factories import REGISTER_URL as REGISTER
from tests.cases.factories import registration_form_data as form_data
from tests.routes import ALL_ROUTES

PERSONAS = ["anna", "ravi", "bart", "carla", "olga", "bea", "eva", "cor"]
MAY_SEE_CASE = {"anna", "carla"}  # the registering team and the location's coordinator


@pytest.fixture
def case(anna) -> Case:
    registrar = Client()
    registrar.force_login(anna)
    registrar.post(REGISTER, form_data(**{"kluis-full_name": "Geheime Naam"}))
    return Case.objects.get()


def concrete(path: str, number: str) -> str:
    path = path.replace("Z-AAAA-AAAA", number)
    path = re.sub(r"/boeken/x/", f"/boeken/{number}/", path)
    return path.replace("/1.csv", "/11.csv").replace("overzicht/1/", "overzicht/2026/")


ROUTES = [p for p in ALL_ROUTES if not p.startswith(("/beheer/", "/accounts/", "/static/"))]


def test_the_matrix_covers_every_app():
    for prefix in ("/casussen/", "/piket/"):
        assert sum(p.startswith(prefix) for p in ROUTES) > 10
    assert sum("Z-AAAA-AAAA" in p or "/boeken/x/" in p for p in ROUTES) >= 12


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_page_fails_and_case_pages_stay_closed(personas, login, case, persona):
    client = login(personas[persona])
    for route in ROUTES:
        url = concrete(route, case.number)
        response = client.get(url)
        assert response.status_code < 500, (persona, url, response.status_code)
        if case.number in url and persona not in MAY_SEE_CASE:
            assert response.status_code in (403, 404, 405), (persona, url, response.status_code)
            assert "Geheime Naam" not in response.text
