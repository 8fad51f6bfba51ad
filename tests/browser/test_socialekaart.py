"""The sociale kaart in a real browser: a coordinator adds an organisation and keeps it current."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from cases.models import SocialMapEntry
from tests.browser.support import assert_accessible, assert_no_console_errors
from tests.cases.factories import SocialMapEntryFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_coordinator_adds_an_organisation_and_marks_a_stale_one_checked(carla, utrecht, signed_in):
    SocialMapEntryFactory(
        name="Oude Schuldhulp",
        location=utrecht,
        owner=carla,
        last_checked_on=datetime.date.today() - datetime.timedelta(days=400),
    )
    page = signed_in(carla)
    page.goto("/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Sociale kaart"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sociale kaart")
    expect(page.get_by_role("status").filter(has_text="niet gecontroleerd")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Organisatie toevoegen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisatie toevoegen")
    assert_accessible(page)
    page.get_by_label("Naam van de organisatie").fill("Huurteam Utrecht")
    page.get_by_role("button", name="Toevoegen").click()
    expect(page.get_by_text("Dit veld is verplicht.")).to_be_visible()
    assert_accessible(page)  # the form with its errors

    page.get_by_label("Locatie").select_option(label="Utrecht")
    page.get_by_role("group", name="Rechtsgebieden").get_by_label("Huurrecht").check()
    page.get_by_role("group", name="Soorten hulp").get_by_label("Wonen en huisvesting").check()
    page.get_by_label("Omschrijving").fill("Gratis hulp bij huurprijs en onderhoud.")
    page.get_by_label("Contactroute").fill("Aanmelden via huurteam.nl")
    page.get_by_role("button", name="Toevoegen").click()

    expect(page.get_by_text("Huurteam Utrecht staat nu op de sociale kaart.")).to_be_visible()
    new_row = page.get_by_role("row").filter(has_text="Huurteam Utrecht")
    expect(new_row).to_contain_text("Huurrecht")
    expect(new_row).to_contain_text("Wonen en huisvesting")
    expect(new_row).not_to_contain_text("Controle nodig")
    stale_row = page.get_by_role("row").filter(has_text="Oude Schuldhulp")
    expect(stale_row).to_contain_text("Controle nodig")

    stale_row.get_by_role("button", name="Gecontroleerd").click()
    expect(page.get_by_text("Oude Schuldhulp is gemarkeerd als gecontroleerd.")).to_be_visible()
    expect(page.get_by_text("Controle nodig")).to_have_count(0)
    assert_accessible(page)
    assert_no_console_errors(page)
    assert SocialMapEntry.objects.get(name="Oude Schuldhulp").last_checked_on == (
        datetime.date.today()
    )


def test_the_edit_page_and_the_filters_are_accessible(carla, utrecht, signed_in):
    entry = SocialMapEntryFactory(
        name="Oude Schuldhulp",
        location=utrecht,
        owner=carla,
        last_checked_on=datetime.date.today() - datetime.timedelta(days=400),
    )
    SocialMapEntryFactory(name="Buurtteam", location=utrecht, owner=carla)
    page = signed_in(carla)
    page.goto("/casussen/sociale-kaart/")
    page.get_by_label("Alleen verouderd").check()
    page.get_by_role("button", name="Filteren").click()
    expect(page.get_by_role("row")).to_have_count(2)  # the header and the stale entry
    assert_accessible(page)

    page.get_by_role("link", name="Oude Schuldhulp").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Oude Schuldhulp wijzigen")
    expect(page.get_by_text("Controle nodig")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Gecontroleerd").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Oude Schuldhulp wijzigen")
    expect(page.get_by_text("Controle nodig")).to_have_count(0)
    page.get_by_role("button", name="Deactiveren").click()
    expect(page.get_by_text("Oude Schuldhulp is gedeactiveerd")).to_be_visible()
    entry.refresh_from_db()
    assert not entry.is_active
