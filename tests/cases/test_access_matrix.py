"""The access matrix of every case URL, generated from the URL resolver: for each URL that names
a case, each persona who may not see that case gets 404 (GET and POST), and roles without any
case access get 403. Nothing about the case leaks in either answer."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import get_resolver

from cases.models import Case
from tests.cases.factories import REGISTER_URL as REGISTER
from tests.cases.factories import registration_form_data as form_data


def _case_routes() -> list[str]:
    resolver = get_resolver()
    routes = []
    cases_resolver = next(
        p for p in resolver.url_patterns if getattr(p, "namespace", None) == "cases"
    )
    for pattern in cases_resolver.url_patterns:
        route = str(pattern.pattern)
        if "<casenr:number>" in route:
            routes.append(route)
    return routes


ROUTES = _case_routes()
# persona -> status for a case registered by anna (Utrecht, Juridisch Loket) that they may not see
OUTSIDERS = {"ravi": 404, "eva": 404, "cor": 404, "bart": 404, "olga": 403, "bea": 403}


def _url(route: str, number: str) -> str:
    return "/casussen/" + route.replace("<casenr:number>", number).replace("<int:position>", "1")


def test_the_matrix_covers_the_case_pages():
    assert len(ROUTES) >= 11
    assert "<casenr:number>/" in ROUTES


@pytest.fixture
def case(anna) -> Case:
    registrar = Client()
    registrar.force_login(anna)
    registrar.post(REGISTER, form_data(**{"kluis-full_name": "Geheime Naam"}))
    return Case.objects.get()


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("persona", sorted(OUTSIDERS))
def test_outsiders_get_no_case_page(personas, login, case, route, persona):
    client = login(personas[persona])
    url = _url(route, case.number)
    get = client.get(url)
    post = client.post(url, {"reason": "x" * 10, "text": "poging"})
    # GET on a POST-only page answers 405 for every case alike: it reveals nothing
    assert get.status_code in (OUTSIDERS[persona], 405), (url, get.status_code)
    assert post.status_code == OUTSIDERS[persona], (url, post.status_code)
    for response in (get, post):
        assert "Geheime Naam" not in response.text
        assert "Huurachterstand" not in response.text


@pytest.mark.parametrize("route", ROUTES)
def test_registering_worker_reaches_every_case_page(login, anna, case, route):
    response = login(anna).get(_url(route, case.number))
    assert response.status_code in (200, 302, 403, 405), route  # 403: advocaat-only pages
