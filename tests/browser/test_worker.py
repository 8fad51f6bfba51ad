"""What a first-line worker needs, in a real browser: the consults of a case and of their own,
the registration form's disclosures, character counter and repeat-client hint, and the sociale
kaart to read. Each page passes axe and fits 375 and 1280 pixels wide."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from cases.models import AuditEntry
from piket.models import Consult
from tests.browser.support import assert_accessible, assert_no_console_errors
from tests.cases.factories import (
    CaseFactory,
    ClientIdentityFactory,
    SocialMapEntryFactory,
    SubProblemFactory,
)
from tests.piket.factories import AssignmentFactory, ConsultFactory, RosterFactory, ShiftFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WIDTHS = (375, 1280)


def assert_fits(page) -> None:
    """No horizontal scrolling at a phone's and a laptop's width."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"{page.url} is {scroll}px wide at {width}px"
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.fixture
def case(anna, orgs_utrecht):
    case = CaseFactory(organisation=orgs_utrecht["loket"], registered_by=anna)
    SubProblemFactory(case=case)
    return case


@pytest.fixture
def consults(case, utrecht, bart, anna):
    """A consult still to come and one held last week, both booked by Anna with Bart."""
    roster = RosterFactory(location=utrecht)
    coming = ShiftFactory(roster=roster)
    last_week = ShiftFactory(roster=roster, date=coming.date - timedelta(days=7))
    for shift in (coming, last_week):
        AssignmentFactory(shift=shift, advocaat=bart)
    return (
        ConsultFactory(case=case, shift=coming, advocaat=bart, booked_by=anna, minutes=20),
        ConsultFactory(
            case=case,
            shift=last_week,
            advocaat=bart,
            booked_by=anna,
            status=Consult.Status.HELD,
        ),
    )


def test_the_worker_finds_her_consults_and_cancels_one(anna, case, consults, signed_in):
    coming, held = consults
    page = signed_in(anna)
    page.goto("/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Mijn consulten"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn piketconsulten")
    upcoming = page.get_by_role("region", name="Komende consulten")
    expect(upcoming.get_by_role("listitem")).to_have_count(1)
    expect(upcoming).to_contain_text("Bart Smit")
    expect(upcoming).to_contain_text("Geboekt")
    expect(upcoming.get_by_role("link", name=case.number)).to_be_visible()
    past = page.get_by_role("region", name="Eerdere consulten")
    expect(past).to_contain_text("Gehouden")
    expect(past.get_by_role("link", name="Annuleren")).to_have_count(0)
    assert_accessible(page)
    assert_fits(page)

    # the same consult from its case: section and timeline
    upcoming.get_by_role("link", name=case.number).click()
    consults_section = page.get_by_role("region", name="Piketconsulten")
    expect(consults_section.get_by_role("listitem")).to_have_count(2)
    expect(page.get_by_role("region", name="Tijdlijn")).to_contain_text("Piketconsult geboekt")
    assert_accessible(page)
    assert_fits(page)

    consults_section.get_by_role("link", name="Annuleren").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("annuleren")
    page.get_by_label("Reden").fill("De vraag is al opgelost")
    page.get_by_role("button", name="Consult annuleren").click()
    expect(page.get_by_text("Het consult is geannuleerd")).to_be_visible()
    coming.refresh_from_db()
    assert coming.status == Consult.Status.CANCELLED

    page.goto("/piket/mijn-consulten/")
    expect(page.get_by_role("region", name="Komende consulten")).to_contain_text("Geannuleerd")
    assert_no_console_errors(page)


def test_the_registration_form_opens_its_blocks_counts_characters_and_finds_the_client(
    anna, orgs_utrecht, signed_in
):
    earlier = CaseFactory(organisation=orgs_utrecht["loket"], registered_by=anna)
    SubProblemFactory(case=earlier)
    ClientIdentityFactory(case=earlier)  # Piet Jansen, 17 May 1980
    page = signed_in(anna)
    page.goto("/casussen/nieuw/")

    # the collapsible blocks show their disclosure marker and open
    for title in ("Over de rechtzoekende", "Identiteit rechtzoekende"):
        summary = page.locator("summary", has_text=title)
        assert summary.evaluate("e => getComputedStyle(e).display") == "list-item"
        expect(summary).to_have_attribute("class", "h5 disclosure")
    page.locator("summary", has_text="Identiteit rechtzoekende").click()
    expect(page.get_by_label("Naam", exact=True)).to_be_visible()

    # a long paste is not cut: the counter says how much is too much
    analysis = page.get_by_label("Uw juridische analyse")
    expect(page.locator("#id_deel-0-analysis-teller")).to_have_text(
        "Nog 4.000 van 4.000 tekens over"
    )
    analysis.focus()
    page.keyboard.insert_text("a" * 20_000)
    assert analysis.evaluate("e => e.value.length") == 20_000
    expect(page.locator("#id_deel-0-analysis-teller")).to_contain_text(
        "16.000 tekens te veel (maximaal 4.000)"
    )
    # said once typing pauses, by a polite live region beside the (silent) counter
    expect(page.locator("#id_deel-0-analysis-teller + [aria-live=polite]")).to_contain_text(
        "16.000 tekens te veel"
    )
    expect(analysis).to_have_attribute(
        "aria-describedby", "id_deel-0-analysis_helptext id_deel-0-analysis-teller"
    )
    analysis.fill("Huurverhoging boven het maximum.")
    expect(page.locator("#id_deel-0-analysis-teller")).to_have_text(
        "Nog 3.968 van 4.000 tekens over"
    )

    # the client's earlier case appears while the identity is filled in
    page.get_by_label("Naam", exact=True).fill("Jansen, Piet")
    page.get_by_label("Geboortedatum").fill("1980-05-17")
    page.get_by_label("Telefoonnummer").focus()  # leaving the field sends it (POST)
    hint = page.locator("#eerdere-casussen")
    expect(hint.get_by_role("link", name=earlier.number, exact=True)).to_be_visible()
    expect(hint).to_contain_text("Deze rechtzoekende heeft al een casus bij uw organisatie.")
    assert AuditEntry.objects.filter(case=earlier, actor=anna, action="view").exists()
    assert_accessible(page)
    assert_fits(page)
    assert_no_console_errors(page)


def test_a_worker_reads_the_sociale_kaart(anna, carla, utrecht, signed_in):
    SocialMapEntryFactory(
        name="Schuldhulp Utrecht",
        location=utrecht,
        owner=carla,
        contact_route="Bel 030-2345678 of meld u aan via schuldhulp.example.nl",
    )
    page = signed_in(anna)
    page.goto("/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Sociale kaart"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sociale kaart")
    row = page.get_by_role("row").filter(has_text="Schuldhulp Utrecht")
    expect(row).to_contain_text("Bel 030-2345678")
    expect(page.get_by_role("link", name="Organisatie toevoegen")).to_have_count(0)
    expect(row.get_by_role("button", name="Gecontroleerd")).to_have_count(0)
    assert_accessible(page)
    assert_fits(page)
    assert_no_console_errors(page)
