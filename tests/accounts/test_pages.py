"""Home page per role, navigation per role, and the health endpoint."""

from __future__ import annotations

import pytest

# persona -> (navigation labels that must show, labels that must not)
NAVIGATION = {
    "anna": ({"Start"}, {"Gebruikers", "Beheer"}),
    "bart": ({"Start"}, {"Gebruikers", "Beheer"}),
    "carla": ({"Start", "Gebruikers"}, {"Beheer"}),
    "olga": ({"Start"}, {"Gebruikers", "Beheer"}),
    "bea": ({"Start", "Gebruikers", "Beheer"}, set()),
}


@pytest.mark.parametrize("persona", sorted(NAVIGATION))
def test_navigation_shows_what_the_role_may_use(personas, login, persona):
    response = login(personas[persona]).get("/")
    labels = {item["label"] for item in response.context["nav_items"]}
    shown, hidden = NAVIGATION[persona]
    assert shown <= labels
    assert not (hidden & labels)


HOME_SECTIONS = {
    "anna": "Eerstelijn",
    "bart": "Advocaat",
    "carla": "Coördinator",
    "olga": "Onderzoek",
    "bea": "Functioneel beheer",
}


@pytest.mark.parametrize("persona", sorted(HOME_SECTIONS))
def test_home_page_speaks_to_the_role(personas, login, persona):
    response = login(personas[persona]).get("/")
    assert response.status_code == 200
    headings = [h for h in HOME_SECTIONS.values() if f">{h}</h2>" in response.text]
    assert headings == [HOME_SECTIONS[persona]]


def test_home_page_queries_do_not_grow_with_memberships(
    login, anna, orgs_amsterdam, django_assert_max_num_queries
):
    from accounts.models import Membership, Role

    client = login(anna)
    client.get("/")
    for org in orgs_amsterdam.values():
        Membership.objects.create(user=anna, organisation=org, role=Role.FIRST_LINE)
    with django_assert_max_num_queries(8):
        assert client.get("/").status_code == 200


def test_health_reports_database_and_redis(client, db, settings):
    settings.REDIS_URL = ""
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "redis": "not configured"}


def test_health_reports_an_unreachable_redis(client, db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["redis"] == "unavailable"


def test_health_with_the_machines_redis(client, db, settings):
    import os

    if not os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL not set")
    settings.REDIS_URL = os.environ["REDIS_URL"]
    assert client.get("/health/").json()["redis"] == "ok"


def test_pages_carry_a_strict_content_security_policy(client, db):
    policy = client.get("/accounts/login/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_times_are_shown_in_amsterdam(settings):
    assert settings.TIME_ZONE == "Europe/Amsterdam" and settings.USE_TZ


def test_dutch_is_the_default_even_for_an_english_browser(client, db):
    response = client.get("/accounts/login/", headers={"accept-language": "en-US,en;q=0.9"})
    assert '<html lang="nl">' in response.text
    assert "Inloggen" in response.text


def test_the_language_switch_chooses_english(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    page = client.get("/accounts/login/")
    assert '<html lang="en">' in page.text
    assert page.headers["Content-Language"] == "en"
