"""The national view: signals and recommendations across locations by theme and month, the rode
draden (a theme raised at three or more locations), the zelfredzaamheidscriterium gathered
across locations; counts only, never another location's signal text."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from accounts.models import Location
from signalering import selectors
from tests.signalering.factories import RecommendationFactory, SignalFactory


def _counterparty(location, name="UWV", **fields):
    return SignalFactory(
        location=location,
        theme="counterparty",
        counterparty=name,
        process_step="",
        description=f"Patroon bij {name} in {location.name}",
        **fields,
    )


def test_a_theme_at_three_locations_is_a_rode_draad(carla, utrecht, amsterdam):
    rotterdam = Location.objects.create(name="Rotterdam-test", slug="rotterdam-test")
    for location in (utrecht, amsterdam, rotterdam):
        _counterparty(location, "UWV")
    _counterparty(utrecht, "IND")
    _counterparty(amsterdam, "ind ")  # the same counterparty, typed otherwise
    overview = selectors.national_overview(carla)
    draden = {row.theme: row for row in overview.rode_draden}
    assert set(draden) == {"Wederpartij: UWV"}
    assert (draden["Wederpartij: UWV"].total, draden["Wederpartij: UWV"].locations) == (3, 3)
    themes = {row.theme: row for row in overview.themes}
    assert themes["Wederpartij: IND"].locations == 2
    this_month = overview.months.index(timezone.localdate().replace(day=1))
    assert themes["Wederpartij: UWV"].counts[this_month] == 3


def test_the_page_shows_counts_not_other_locations_texts(login, carla, stef, utrecht, amsterdam):
    _counterparty(utrecht, "UWV")
    _counterparty(amsterdam, "UWV")
    for user in (carla, stef):
        response = login(user).get(reverse("signalering:national"))
        assert response.status_code == 200
        assert "Wederpartij: UWV" in response.text
        assert "Patroon bij UWV in Amsterdam" not in response.text
        assert "Patroon bij UWV in Utrecht" not in response.text


def test_first_line_and_researchers_do_not_get_the_national_view(login, anna, olga):
    for user in (anna, olga):
        assert login(user).get(reverse("signalering:national")).status_code == 403


def test_zelfredzaamheid_is_gathered_across_locations(carla, utrecht, amsterdam):
    for location, refused in ((utrecht, 2), (utrecht, 3), (amsterdam, 4)):
        SignalFactory(location=location, kind="zelfredzaamheid", refused_count=refused)
    SignalFactory(location=amsterdam, kind="idea")
    overview = selectors.national_overview(carla)
    assert set(overview.zelfredzaamheid) == {("Utrecht", 2, 5), ("Amsterdam", 1, 4)}


def test_national_recommendations_are_listed_merged_sources_are_not(carla, utrecht):
    national = RecommendationFactory(level="national", location=None, title="Landelijk punt")
    RecommendationFactory(location=utrecht, title="Lokaal punt")
    overview = selectors.national_overview(carla)
    assert [r.title for r in overview.national_recommendations] == [national.title]
    assert ("Landelijk", "Concept", 1) in overview.recommendations
    assert ("Lokaal", "Concept", 1) in overview.recommendations


def test_the_national_view_costs_the_same_queries_for_more_data(
    login, stef, utrecht, amsterdam, django_assert_max_num_queries
):
    client = login(stef)
    _counterparty(utrecht)
    RecommendationFactory(level="national", location=None)
    client.get(reverse("signalering:national"))
    with django_assert_max_num_queries(14) as few:
        client.get(reverse("signalering:national"))
    for name in ("UWV", "IND", "DUO", "CAK", "SVB"):
        _counterparty(utrecht, name)
        _counterparty(amsterdam, name, kind="zelfredzaamheid", refused_count=1)
        RecommendationFactory(level="national", location=None)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("signalering:national"))
