"""The library in a real browser: Anna proposes an idea and brings it into consultation, three
organisations (one of each line) endorse it, Carla adopts it, and it is in the library; and the
other pages (an adopted entry with a newer version, the diff, the editor with errors, the task
rows, the subscriptions). Every page passes the axe scan and fits 375 px without scrolling
sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from bestpractices.models import Entry
from cases.models import LegalArea
from tests.bestpractices.factories import (
    EndorsementFactory,
    EntryFactory,
    RevisionFactory,
    TaskRowFactory,
)
from tests.browser.support import assert_accessible, assert_no_console_errors

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def check(page) -> None:
    assert_accessible(page)
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll <= inner, f"{page.url} scrolls sideways at {width}px"


def endorse_as(signed_in, user, url: str) -> None:
    page = signed_in(user)
    page.goto(url)
    check(page)
    page.get_by_role("button", name="Steun betuigen").click()
    expect(page.get_by_text("uw steun is vastgelegd")).to_be_visible()


def test_propose_endorse_by_three_lines_adopt_and_find_it(anna, ravi, bart, carla, signed_in):
    page = signed_in(anna)
    page.goto("/bibliotheek/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bibliotheek van praktijkvoorbeelden")
    check(page)
    page.get_by_role("link", name="Idee voorstellen").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Idee voorstellen")
    check(page)
    page.get_by_label("Titel").fill("Samen de verhuurder bellen bij een huurachterstand")
    page.get_by_label("Samenvatting").fill("Bel binnen een week samen met de huurder.")
    page.get_by_label("Tekst").fill("## Aanpak\n\n- Bel samen\n- Leg de afspraak vast")
    page.get_by_role("button", name="Voorbeeld tonen").click()
    expect(page.locator("#voorbeeld h2")).to_have_text("Aanpak")
    page.get_by_role("group", name="Rechtsgebieden").get_by_label("Huurrecht").check()
    page.get_by_role("button", name="Idee voorstellen").click()
    expect(page.get_by_text("Uw idee staat in de bibliotheek")).to_be_visible()
    check(page)
    url = page.url

    page.get_by_role("button", name="Uitwerken tot concept").click()
    expect(page.get_by_text("Status: Concept.")).to_be_visible()
    page.get_by_role("button", name="In consultatie brengen").click()
    expect(page.get_by_text("Status: In consultatie.")).to_be_visible()
    check(page)

    endorse_as(signed_in, anna, url)  # Het Juridisch Loket
    endorse_as(signed_in, ravi, url)  # sociaal raadslieden
    endorse_as(signed_in, bart, url)  # sociale advocatuur

    page = signed_in(carla)
    page.goto("/bibliotheek/beoordelen/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Praktijkvoorbeelden beoordelen")
    check(page)
    page.get_by_role("link", name="Samen de verhuurder bellen").click()
    expect(page.get_by_text("Alle drie de lijnen steunen dit praktijkvoorbeeld.")).to_be_visible()
    page.get_by_role("button", name="Vaststellen").click()
    expect(page.get_by_text("Status: Vastgesteld.")).to_be_visible()
    support = page.locator("#steun")
    for organisation in ("Het Juridisch Loket", "Sociaal raadslieden", "Sociale advocatuur"):
        expect(support).to_contain_text(organisation)
    check(page)

    page.goto("/bibliotheek/?status=adopted")
    expect(page.get_by_role("link", name="Samen de verhuurder bellen")).to_be_visible()
    check(page)
    assert_no_console_errors(page)
    entry = Entry.objects.get()
    assert entry.status == Entry.Status.ADOPTED and entry.endorsements.count() == 3


def test_the_other_library_pages_are_accessible(anna, carla, orgs_utrecht, signed_in):
    huur = LegalArea.objects.get(slug="huurrecht")
    quality = EntryFactory(status=Entry.Status.ADOPTED, kind=Entry.Kind.QUALITY_REQUIREMENT)
    entry = EntryFactory(
        status=Entry.Status.ADOPTED,
        kind=Entry.Kind.TASK_DIVISION,
        author=anna,
        body="## Aanpak\n\nregel een\nregel twee",
        legal_areas=[huur],
    )
    row = TaskRowFactory(entry=entry, legal_area=huur)
    row.quality_requirements.set([quality])
    for key in ("loket", "raadslieden", "advocatuur"):
        EndorsementFactory(entry=entry, organisation=orgs_utrecht[key], endorsed_by=anna)
    newer = RevisionFactory(entry=entry, body="## Aanpak\n\nregel een\nregel drie")
    Entry.objects.filter(pk=entry.pk).update(current_revision=newer)
    page = signed_in(carla)
    base = f"/bibliotheek/{entry.slug}/"
    page.goto(base)
    expect(page.get_by_text("Aan een nieuwe versie (2) wordt gewerkt")).to_be_visible()
    expect(page.get_by_role("heading", name="Herbeoordelen")).to_be_visible()
    check(page)
    page.get_by_role("link", name="Bekijk wat er verandert").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Versies vergelijken")
    expect(page.locator("del")).to_contain_text("regel twee")
    expect(page.locator("ins")).to_contain_text("regel drie")
    check(page)
    page.goto(base + "wijzigen/")
    page.get_by_label("Titel").fill("")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Dit veld is verplicht.")).to_be_visible()
    check(page)  # the editor with its errors
    page.goto(base + "taakverdeling/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Taakverdeling bewerken")
    check(page)
    page.goto("/bibliotheek/volgen/")
    page.get_by_role("group", name="Rechtsgebieden die ik volg").get_by_label("Huurrecht").check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Uw voorkeuren zijn opgeslagen.")).to_be_visible()
    check(page)
    signed_in(anna)
    page.goto(base)
    page.get_by_role("button", name="Ja").click()  # helpful? (htmx)
    expect(page.get_by_text("Dank u voor uw antwoord.")).to_be_visible()
    check(page)
    assert_no_console_errors(page)
