"""The composition root: the home page per role, the navigation per role (contributed by every
app), and the health endpoint."""

from __future__ import annotations

import pytest

# persona -> (navigation labels that must show, labels that must not)
NAVIGATION = {
    "anna": ({"Start"}, {"Gebruikers", "Beheer"}),
    "bart": ({"Start"}, {"Gebruikers", "Beheer"}),
    "carla": ({"Start", "Gebruikers"}, {"Beheer"}),
    "olga": ({"Start"}, {"Gebruikers", "Beheer"}),
    "bea": ({"Start", "Gebruikers", "Beheer"}, set()),
    "stef": ({"Start", "Cijfers"}, {"Gebruikers", "Beheer"}),
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
    "stef": "Stuurgroep",
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


MONITORING = {"Authorization": "Bearer monitor-geheim"}  # HEALTH_TOKEN: the details


def test_health_reports_database_and_redis(client, db, settings):
    settings.REDIS_URL, settings.HEALTH_TOKEN = "", "monitor-geheim"
    response = client.get("/health/", headers=MONITORING)
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "redis": "not configured",
        "worker": "not configured",
    }


def test_health_reports_an_unreachable_redis(client, db, settings):
    settings.REDIS_URL, settings.HEALTH_TOKEN = "redis://127.0.0.1:1/0", "monitor-geheim"
    response = client.get("/health/", headers=MONITORING)
    assert response.status_code == 503
    assert response.json()["redis"] == "unavailable"


def test_health_with_the_machines_redis(client, db, settings):
    import os

    if not os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL not set")
    settings.REDIS_URL, settings.HEALTH_TOKEN = os.environ["REDIS_URL"], "monitor-geheim"
    details = client.get("/health/", headers=MONITORING).json()
    assert details["redis"] == "ok"
    assert details["worker"] in ("ok", "unavailable"), "no worker runs during the unit tests"


def test_every_navigation_entry_and_home_card_link_points_at_a_url():
    """The menu is composed from each app's navigation.py; an entry whose URL does not exist
    fails here instead of being left out silently."""
    from django.urls import reverse

    from pilot.navigation import contributions

    items, cards = contributions()
    names = [item.url_name for item in items] + [n for card in cards for _label, n in card.links]
    assert len(names) > 10
    for name in names:
        assert reverse(name).startswith("/"), name


def test_the_calendar_link_shows_only_to_piket_roles(personas, login):
    for persona, shown in {
        "anna": True,
        "bart": True,
        "carla": False,
        "olga": False,
        "bea": False,
        "stef": False,
    }.items():
        response = login(personas[persona]).get("/")
        assert ("/piket/agenda/" in response.text) is shown, persona
