"""Every foundation page in a real browser: it renders and axe finds no WCAG 2.1 AA violation."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import Role
from tests.browser.support import assert_accessible, assert_no_console_errors

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/password/reset/"])
def test_public_pages_are_accessible(page, path):
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)
    assert_no_console_errors(page)


@pytest.mark.parametrize("persona", ["anna", "bart", "carla", "olga", "bea", "stef"])
def test_home_page_of_each_role_is_accessible(personas, signed_in, persona):
    page = signed_in(personas[persona])
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welkom")
    expect(page.get_by_role("navigation", name="Hoofdmenu")).to_be_visible()
    assert_accessible(page)
    assert_no_console_errors(page)


@pytest.mark.parametrize(
    "path",
    ["/accounts/2fa/", "/accounts/2fa/recovery-codes/generate/", "/accounts/password/change/"],
)
def test_security_pages_are_accessible(anna, signed_in, path):
    page = signed_in(anna)
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)


def test_skip_link_moves_focus_to_the_content(anna, signed_in):
    page = signed_in(anna)
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Direct naar de inhoud")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    assert page.url.endswith("#inhoud")


def test_coordinator_invites_a_colleague_who_sets_a_password(
    carla, orgs_utrecht, signed_in, browser, live_server
):
    page = signed_in(carla)
    page.goto("/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Gebruikers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gebruikers uitnodigen")
    assert_accessible(page)

    page.get_by_label("Naam").fill("Nina Nieuw")
    page.get_by_label("E-mailadres").fill("geen-adres")
    page.get_by_role("button", name="Uitnodiging versturen").click()
    expect(page.get_by_text("Vul een geldig e-mailadres in")).to_be_visible()
    assert_accessible(page)  # the form with its errors

    page.get_by_label("E-mailadres").fill("nina@example.org")
    page.get_by_label("Organisatie").select_option(label=str(orgs_utrecht["advocatuur"]))
    page.get_by_label("Rol").select_option(Role.ADVOCAAT)
    page.get_by_role("button", name="Uitnodiging versturen").click()
    expect(page.get_by_text("De uitnodiging is verstuurd.")).to_be_visible()
    expect(page.get_by_role("cell", name="Nina Nieuw nina@example.org")).to_be_visible()

    link = re.search(r"/accounts/uitnodiging/[^/\s]+/", mail.outbox[-1].body).group(0)
    guest = browser.new_context(base_url=live_server.url, locale="nl-NL").new_page()
    guest.goto(link)
    expect(guest.get_by_role("heading", level=1)).to_have_text("Welkom bij de pilot eerstelijn")
    assert_accessible(guest)
    guest.get_by_label("Nieuw wachtwoord*", exact=True).fill("Een-heel-goed-wachtwoord-7")
    guest.get_by_label("Nieuw wachtwoord bevestigen*", exact=True).fill(
        "Een-heel-goed-wachtwoord-7"
    )
    guest.get_by_role("button", name="Wachtwoord instellen").click()
    expect(guest.get_by_role("heading", level=1)).to_have_text("Tweestapsverificatie instellen")
    guest.context.clear_cookies()
    guest.goto(link)
    expect(guest.get_by_role("heading", level=1)).to_have_text(
        "Deze uitnodiging is niet (meer) geldig"
    )
    assert_accessible(guest)
    guest.context.close()


def test_language_switch_shows_english(anna, signed_in):
    page = signed_in(anna)
    page.goto("/")
    page.get_by_label("Taal").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Direct naar de inhoud")).to_have_count(0)
    assert_accessible(page)


def test_admin_is_accessible_for_administrators(bea, signed_in):
    page = signed_in(bea)
    page.goto("/beheer/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)
