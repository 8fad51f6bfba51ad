"""A first-line worker raises a signal and finds it in the backlog; the coordinator makes a
recommendation of it, opens the consent round, and the three lines of Utrecht agree, so it
rises to the national level, where the stuurgroep sees it. Every page passes the axe scan and
fits 375 px without scrolling sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from signalering.models import Recommendation, Signal
from tests.accounts.factories import member
from tests.browser.support import assert_accessible, assert_no_console_errors

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PATTERN = "Bezwaren bij het UWV over de WW blijven vaak langer dan de wettelijke termijn liggen."


def check(page) -> None:
    """The axe scan at full width, and no sideways scrolling at 375 px."""
    assert_accessible(page)
    page.set_viewport_size({"width": 375, "height": 800})
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, f"{page.url} scrolls sideways at 375 px ({scroll} > {inner})"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_signal_backlog_recommendation_and_consent_round(
    anna, carla, stef, orgs_utrecht, utrecht, signed_in
):
    raadslieden = member(Role.COORDINATOR, orgs_utrecht["raadslieden"], email="rc@example.org")
    advocatuur = member(Role.COORDINATOR, orgs_utrecht["advocatuur"], email="ac@example.org")

    page = signed_in(anna)
    page.goto("/signalering/signalen/nieuw/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Signaal inbrengen")
    check(page)
    page.get_by_label("Knelpunt").check()
    page.get_by_label("Waar gaat het over?").select_option("counterparty")
    page.get_by_label("Wederpartij").fill("UWV")
    page.get_by_label("Omschrijving").fill(PATTERN)
    page.get_by_label("Aantal zaken (optioneel)").fill("6")
    page.get_by_role("button", name="Signaal inbrengen").click()
    expect(page.get_by_text("Dank u: het signaal staat")).to_be_visible()
    check(page)
    signal = Signal.objects.get()

    page.goto("/signalering/signalen/")
    expect(page.get_by_role("link", name="Knelpunt")).to_be_visible()
    check(page)

    page = signed_in(carla)
    page.goto("/signalering/aanbevelingen/nieuw/")
    check(page)
    page.get_by_label("Titel").fill("Vast aanspreekpunt bij het UWV")
    page.locator("#id_text").fill("Maak één aanspreekpunt voor bezwaren.")
    page.get_by_label("Locatie").select_option(str(utrecht.pk))
    page.get_by_label("Gericht aan").select_option("organisation")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vast aanspreekpunt bij het UWV")
    recommendation = Recommendation.objects.get()
    recommendation.signals.add(signal)
    page.reload()
    check(page)

    page.get_by_label("Nieuwe status").select_option("consent")
    page.get_by_role("button", name="Status wijzigen").click()
    expect(page.get_by_text("De aanbeveling is bijgewerkt.")).to_be_visible()
    for user in (carla, raadslieden, advocatuur):
        page = signed_in(user)
        page.goto(f"/signalering/aanbevelingen/{recommendation.pk}/")
        expect(page.get_by_role("heading", name="Instemming van de drie lijnen")).to_be_visible()
        check(page)
        page.get_by_label("Akkoord", exact=True).check()
        page.get_by_role("button", name="Antwoord geven").click()
        expect(page.get_by_text("De aanbeveling is bijgewerkt.")).to_be_visible()
    recommendation.refresh_from_db()
    assert (recommendation.level, recommendation.status) == ("national", "submitted")
    expect(page.get_by_text("Landelijk (Utrecht)")).to_be_visible()

    page.goto("/signalering/aanbevelingen/")
    expect(page.get_by_role("link", name="Vast aanspreekpunt bij het UWV")).to_be_visible()
    check(page)

    page = signed_in(stef)
    page.goto("/signalering/landelijk/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Landelijk beeld")
    expect(page.get_by_role("link", name="Vast aanspreekpunt bij het UWV")).to_be_visible()
    check(page)
    page.get_by_role("link", name="Vast aanspreekpunt bij het UWV").click()
    expect(page.get_by_text(PATTERN[:40])).to_be_visible()  # its signal, now national
    check(page)
    assert_no_console_errors(page)
