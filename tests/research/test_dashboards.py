"""The research dashboard: who sees which figures, suppressed how, as page and CSV."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from research import tasks
from research.figures import MONTH_NAMES
from tests.research.factories import cases_at, held_consults, page_tables

pytestmark = pytest.mark.django_db

URL = reverse("research:dashboard")
CSV_URL = reverse("research:dashboard_csv")


@pytest.fixture
def figures(orgs_utrecht, orgs_amsterdam, bart):
    """Utrecht: 3 cases at the loket, one with 2 held consults with Bart. Amsterdam: 12."""
    utrecht = cases_at(orgs_utrecht["loket"], 3)
    cases_at(orgs_amsterdam["loket"], 12)
    held_consults(utrecht[0], bart, 2)


def _row(table, label):
    return next(row for row in table if row[0] == label)


def test_a_researcher_sees_small_numbers_as_less_than_five(login, olga, figures):
    response = login(olga).get(URL)
    assert response.status_code == 200
    tables = page_tables(response.content.decode())
    per_month = tables["casussen-per-maand"]
    assert _row(per_month, "Utrecht")[-1] == "<5"
    assert _row(per_month, "Amsterdam")[-1] == "12"
    # Utrecht's year total is hidden, so a second cell of that column is too (complementary)
    assert _row(per_month, "Totaal")[-1] in {"×", "15"}
    year_column = [row[-1] for row in per_month[1:]]
    assert year_column.count("<5") + year_column.count("×") != 1
    assert _row(tables["lat-voorkomen"], "Utrecht")[1:3] == ["<5", "<5"]
    assert "&lt;5" in response.content.decode()


def test_a_coordinator_sees_the_raw_figures_of_their_own_location_only(login, carla, figures):
    response = login(carla).get(URL)
    tables = page_tables(response.content.decode())
    per_month = tables["casussen-per-maand"]
    assert [row[0] for row in per_month[1:]] == ["Utrecht", "Totaal"]
    assert _row(per_month, "Utrecht")[-1] == "3"
    assert _row(tables["lat-voorkomen"], "Utrecht")[1:] == ["2", "2", "100%"]
    assert "Amsterdam" not in response.content.decode()


def test_a_coordinator_cannot_choose_another_location(login, carla, amsterdam, figures):
    response = login(carla).get(URL, {"locatie": amsterdam.pk})
    assert response.status_code == 200
    assert "Een filter klopte niet" in response.content.decode()
    assert _row(page_tables(response.content.decode())["casussen-per-maand"], "Utrecht")[-1] == "3"


@pytest.mark.parametrize("persona", ["anna", "bart", "bea"])
def test_workers_advocaten_and_administrators_get_403(login, personas, persona):
    client = login(personas[persona])
    assert client.get(URL).status_code == 403
    assert client.get(CSV_URL).status_code == 403
    assert URL not in client.get(reverse("home")).content.decode()


def test_researchers_and_coordinators_find_the_dashboard_in_the_menu(login, olga, carla):
    for user in (olga, carla):
        assert f'href="{URL}"' in login(user).get(reverse("home")).content.decode()


def test_no_figure_per_advocaat_appears(login, olga, carla, bart, figures):
    for user in (olga, carla):
        client = login(user)
        for response in (client.get(URL), client.get(CSV_URL)):
            text = response.content.decode()
            assert bart.full_name not in text
            assert bart.email not in text
            assert "advocaat" not in " ".join(
                row[0].lower() for table in page_tables(text).values() for row in table
            )


@pytest.mark.parametrize("persona", ["olga", "carla"])
def test_each_csv_holds_the_table_as_the_page_shows_it(login, personas, persona, figures):
    client = login(personas[persona])
    tables = page_tables(client.get(URL).content.decode())
    assert len(tables) == 17
    for slug, shown in tables.items():
        response = client.get(CSV_URL, {"tabel": slug})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))
        assert rows == shown, slug


def test_the_whole_csv_holds_every_table(login, olga, figures):
    text = login(olga).get(CSV_URL).content.decode()
    assert "Geregistreerde casussen per maand" in text
    assert "Warme overdrachten" in text


def test_an_unknown_table_is_404(login, olga):
    assert login(olga).get(CSV_URL, {"tabel": "bestaat-niet"}).status_code == 404


def test_a_location_filter_picks_rows_of_the_same_protected_table(
    login, olga, utrecht, amsterdam, orgs_utrecht, orgs_amsterdam
):
    """Amsterdam 8, Utrecht 9, and 3 at a third location. Recomputed per filter, a researcher
    would read 20 for all, 8 and 9 for two of them, and 3 by subtracting. Sliced from one
    protected table the views agree cell for cell, and Zwolle's 3 is hidden together with at
    least one other location (here the locations without cases, whose 0 reads "<5" too)."""
    from tests.accounts.factories import LocationFactory, OrganisationFactory

    zwolle = LocationFactory(name="Zwolle", slug="zwolle")
    cases_at(orgs_amsterdam["loket"], 8)
    cases_at(orgs_utrecht["loket"], 9)
    cases_at(OrganisationFactory(location=zwolle), 3)
    client = login(olga)
    whole = page_tables(client.get(URL).content.decode())["casussen-per-maand"]
    views = {}
    for location in (amsterdam, utrecht, zwolle):
        table = page_tables(client.get(URL, {"locatie": location.pk}).content.decode())[
            "casussen-per-maand"
        ]
        assert [row[0] for row in table[1:]] == [location.name, "Totaal, alle locaties"]
        assert table[1] == _row(whole, location.name)
        assert table[2][1:] == _row(whole, "Totaal")[1:]
        views[location.name] = table[1][-1]
    assert views["Zwolle"] == "<5"
    hidden = [row[0] for row in whole[1:-1] if row[-1] in ("<5", "×")]
    assert "Zwolle" in hidden
    assert len(hidden) >= 2


def test_a_legal_area_filter_picks_rows_and_says_which_tables_it_does_not_split(
    login, carla, orgs_utrecht
):
    from tests.piket.factories import area

    cases_at(orgs_utrecht["loket"], 6, legal_area="huurrecht")
    cases_at(orgs_utrecht["loket"], 2, legal_area="arbeidsrecht")
    response = login(carla).get(URL, {"rechtsgebied": area("arbeidsrecht").pk})
    text = response.content.decode()
    table = page_tables(text)["deelproblemen-per-rechtsgebied"]
    assert [row[0] for row in table[1:]] == ["Arbeidsrecht", "Totaal, alle rechtsgebieden"]
    assert table[1][1] == "2"
    assert table[2][1] == "8"
    assert "niet per rechtsgebied" in text


def test_bad_filters_give_a_message_and_the_default_figures(login, olga):
    response = login(olga).get(URL, {"jaar": "abc", "locatie": "999", "rechtsgebied": "x"})
    assert response.status_code == 200
    assert "Een filter klopte niet" in response.content.decode()
    assert login(olga).get(CSV_URL, {"jaar": "1800"}).status_code == 200


def test_month_columns_are_the_twelve_months(login, carla, figures):
    header = page_tables(login(carla).get(URL).content.decode())["casussen-per-maand"][0]
    assert header == ["Locatie", *map(str, MONTH_NAMES), "Jaar"]


def test_the_number_of_queries_does_not_grow_with_the_data(
    login, olga, carla, orgs_utrecht, orgs_amsterdam, bart, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small = cases_at(orgs_utrecht["loket"], 1)
    held_consults(small[0], bart, 1)
    budgets = {}
    for user in (olga, carla):
        client = login(user)
        client.get(URL)  # the session is warm
        cache.clear()  # counted now by the eager task, not read from the cache
        with CaptureQueriesContext(connection) as one:
            client.get(URL)
        budgets[user.pk] = len(one.captured_queries)
    more = cases_at(orgs_utrecht["loket"], 15) + cases_at(orgs_amsterdam["loket"], 15)
    held_consults(more[0], bart, 3, hour=14)
    for user in (olga, carla):
        client = login(user)
        client.get(URL)
        cache.clear()
        with django_assert_max_num_queries(budgets[user.pk]):
            assert client.get(URL).status_code == 200
        # from the cache: the counts in one query
        with django_assert_max_num_queries(budgets[user.pk] - 15):
            assert client.get(URL).status_code == 200
    assert max(budgets.values()) <= 40  # with the task's lock and the cache's upkeep


def test_the_counts_come_from_the_cache_until_refreshed(login, carla, orgs_utrecht):
    from research.tasks import refresh_figures

    cases_at(orgs_utrecht["loket"], 6)
    client = login(carla)
    assert (
        _row(page_tables(client.get(URL).content.decode())["casussen-per-maand"], "Utrecht")[-1]
        == "6"
    )
    cases_at(orgs_utrecht["loket"], 1)
    table = page_tables(client.get(URL).content.decode())["casussen-per-maand"]
    assert _row(table, "Utrecht")[-1] == "6"
    assert refresh_figures() >= 2
    table = page_tables(client.get(URL).content.decode())["casussen-per-maand"]
    assert _row(table, "Utrecht")[-1] == "7"


@pytest.fixture
def no_worker(monkeypatch):
    """The counting task is asked for but does not run (as with a busy worker): the calls."""
    from research import tasks

    calls = []
    monkeypatch.setattr(tasks.count_figures, "delay", lambda *args: calls.append(args))
    return calls


def test_uncounted_figures_are_counted_by_a_worker_asked_once(
    login, olga, figures, no_worker, django_assert_max_num_queries
):
    client = login(olga)
    client.get(URL)  # the session is warm
    cache.clear()
    no_worker.clear()
    for _reload in range(10):
        # session, user, memberships, locations, legal areas; the cache twice, the lock
        with django_assert_max_num_queries(14):
            response = client.get(URL)
        assert response.status_code == 200
        page = response.content.decode()
        assert "De cijfers worden geteld; deze pagina ververst zichzelf." in page
        assert 'data-hx-trigger="every 3s"' in page
        assert ">Vernieuwen</a>" in page
        assert "casussen-per-maand" not in page
    assert no_worker == [(timezone.localdate().year, None)]  # ids only: the year, all locations

    poll = {"HX-Request": "true"}
    assert client.get(URL, headers=poll).status_code == 204  # still counting: nothing to swap
    tasks.count_figures(*no_worker[0])  # the worker finishes
    response = client.get(URL, headers=poll)
    assert response.headers["HX-Refresh"] == "true"
    assert "casussen-per-maand" in page_tables(client.get(URL).content.decode())


def test_a_coordinators_scope_is_counted_by_its_location_ids(login, carla, utrecht, no_worker):
    cache.clear()
    assert login(carla).get(URL).status_code == 200
    assert no_worker == [(timezone.localdate().year, [utrecht.pk])]


def test_the_csv_of_uncounted_figures_says_to_try_again(login, olga, figures, no_worker):
    client = login(olga)
    cache.clear()
    response = client.get(CSV_URL, {"tabel": "casussen-per-maand"})
    assert response.status_code == 202
    assert response["Content-Type"].startswith("text/html")
    assert "worden nu geteld" in response.content.decode()
    assert "Download opnieuw proberen" in response.content.decode()
    client.get(URL)
    assert len(no_worker) == 1  # the page and the download share the count
    tasks.count_figures(*no_worker[0])
    response = client.get(CSV_URL, {"tabel": "casussen-per-maand"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
