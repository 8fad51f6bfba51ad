"""The library found where it is needed, in a real browser: a worker searches the library in her
own words and finds an adopted entry, opens it, meets it again on a case of that legal area;
the task matrix; and the public pages without an account. Every page passes axe and fits 375
pixels without scrolling sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from bestpractices.models import Entry
from cases.models import LegalArea
from tests.bestpractices.factories import SynonymFactory, TaskRowFactory, adopted_entry
from tests.browser.support import assert_accessible, assert_no_console_errors
from tests.cases.factories import register

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WIDTHS = (375, 1280)
TITLE = "Huurachterstand: samen met de huurder de verhuurder bellen"


def check(page) -> None:
    """axe at the default width, then no sideways scrolling at 375 and 1280 pixels."""
    assert_accessible(page)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"{page.url} is {scroll}px wide at {width}px"


def test_find_an_entry_read_it_meet_it_on_a_case_and_publicly(anna, orgs_utrecht, signed_in):
    huur = LegalArea.objects.get(slug="huurrecht")
    entry = adopted_entry(
        areas=["huurrecht"],
        title=TITLE,
        summary="Voordat de achterstand oploopt: één gesprek met alle partijen.",
        body="## Aanpak\n\nBel binnen een week samen met de huurders de verhuurder.\n\n"
        "- Leg de afspraken vast\n- Stuur een bevestiging",
        is_public=True,
        author=anna,
    )
    adopted_entry(
        areas=["arbeidsrecht"], title="Ontslag: de eerste week", summary="", body="Over ontslag."
    )
    SynonymFactory(term="huurbaas", synonyms=["verhuurder"])
    division = adopted_entry(
        kind=Entry.Kind.TASK_DIVISION,
        areas=["huurrecht"],
        title="Taakverdeling huur",
        is_public=True,
    )
    TaskRowFactory(
        entry=division,
        legal_area=huur,
        first_line_can="Uitleg over huurachterstand en een betalingsregeling voorstellen.",
        second_line_when="Bij een dagvaarding of een ontruimingsvonnis.",
    )
    case = register(anna, orgs_utrecht["loket"], areas=("huurrecht",))

    page = signed_in(anna)
    page.goto("/bibliotheek/")
    # her own word; the text says "verhuurder"
    page.get_by_role("searchbox", name="Zoeken").fill("huurbaas")
    page.get_by_role("button", name="Zoeken").click()
    result = page.get_by_role("link", name=TITLE)
    expect(result).to_be_visible()
    expect(page.locator("mark").first).to_have_text("verhuurder")
    expect(page.get_by_role("link", name="Ontslag: de eerste week")).to_have_count(0)
    check(page)

    result.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Huurachterstand")
    check(page)

    page.goto(f"/casussen/{case.number}/")
    section = page.get_by_role("region", name="Werkwijzen uit de bibliotheek")
    expect(section.get_by_role("link", name=TITLE)).to_be_visible()
    expect(section.get_by_role("link", name="Ontslag: de eerste week")).to_have_count(0)
    check(page)
    section.get_by_role("link", name=TITLE).click()  # one click to read
    expect(page).to_have_url(f"{page.url.split('/bibliotheek/')[0]}/bibliotheek/{entry.slug}/")

    page.goto("/bibliotheek/taakverdeling/")
    expect(page.get_by_text("Bij een dagvaarding of een ontruimingsvonnis.")).to_be_visible()
    expect(page.get_by_text("Nog geen taakverdeling.").first).to_be_visible()  # the gaps
    check(page)
    assert_no_console_errors(page)

    page.context.clear_cookies()  # a visitor without an account
    page.goto("/praktijk/")
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text("Het Juridisch Loket Utrecht")).to_be_visible()
    expect(page.get_by_text(anna.full_name)).to_have_count(0)
    check(page)
    page.get_by_role("link", name="Afdrukversie").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    check(page)
    page.goto("/praktijk/taakverdeling/")
    expect(page.get_by_text("Bij een dagvaarding of een ontruimingsvonnis.")).to_be_visible()
    check(page)
    assert_no_console_errors(page)
