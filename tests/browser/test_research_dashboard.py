"""The research dashboard in the browser: a researcher and a coordinator reach it from the home
page, filter it and download a table; it passes axe and fits 375 and 1280 pixels wide."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.support import assert_accessible, assert_no_console_errors
from tests.research.factories import cases_at, held_consults

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WIDTHS = (375, 1280)


@pytest.fixture
def figures(orgs_utrecht, orgs_amsterdam, bart):
    utrecht = cases_at(orgs_utrecht["loket"], 3)
    cases_at(orgs_amsterdam["loket"], 7)
    held_consults(utrecht[0], bart, 2)


def assert_accessible_and_fits(page) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"{page.url} is {scroll}px wide at {width}px"
        assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_researcher_reads_the_figures_suppressed_and_downloads_a_table(figures, olga, signed_in):
    page = signed_in(olga)
    page.goto("/")
    page.get_by_role("link", name="Cijfers van de pilot").click()
    expect(page.get_by_role("heading", name="Cijfers van de pilot", level=1)).to_be_visible()
    per_month = page.get_by_role("region", name="Geregistreerde casussen per maand")
    expect(per_month.get_by_role("row", name="Utrecht")).to_contain_text("<5")
    expect(
        page.get_by_role("img", name="Staafdiagram: Geregistreerde casussen per maand")
    ).to_be_visible()
    assert_accessible_and_fits(page)

    page.get_by_label("Locatie", exact=True).select_option(label="Amsterdam")
    page.get_by_role("button", name="Tonen").click()
    rows = page.get_by_role("region", name="Geregistreerde casussen per maand").get_by_role("row")
    expect(rows).to_have_count(3)  # header, Amsterdam, the total of all locations
    assert_accessible_and_fits(page)

    with page.expect_download() as download:
        page.get_by_role("article", name="Geregistreerde casussen per maand").get_by_role(
            "link", name="Download als CSV"
        ).click()
    assert download.value.suggested_filename.startswith("onderzoek-casussen-per-maand-")
    assert_no_console_errors(page)


def test_a_coordinator_reads_the_raw_figures_of_their_location(figures, carla, signed_in):
    page = signed_in(carla)
    page.goto("/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Cijfers").click()
    lat = page.get_by_role("region", name="LAT of toevoeging voorkomen per consult")
    expect(lat.get_by_role("row", name="Utrecht")).to_contain_text("100%")
    expect(page.get_by_text("Amsterdam")).to_have_count(0)
    assert_accessible_and_fits(page)
    assert_no_console_errors(page)


def test_figures_not_yet_counted_say_so_and_the_page_reloads_itself(
    figures, olga, signed_in, monkeypatch
):
    from django.core.cache import cache

    from research import tasks

    calls = []  # the worker is busy: the count is asked for, it runs below
    monkeypatch.setattr(tasks.count_figures, "delay", lambda *args: calls.append(args))
    page = signed_in(olga)
    cache.clear()
    page.goto("/onderzoek/cijfers/")
    expect(
        page.get_by_text("De cijfers worden geteld; deze pagina ververst zichzelf.")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Vernieuwen")).to_be_visible()
    assert_accessible_and_fits(page)
    assert len(calls) == 1

    tasks.count_figures(*calls[0])  # the worker counts; the page's poll notices and reloads
    expect(page.get_by_role("region", name="Geregistreerde casussen per maand")).to_be_visible(
        timeout=10_000
    )
    expect(page.get_by_text("De cijfers worden geteld")).to_have_count(0)
    assert_no_console_errors(page)
