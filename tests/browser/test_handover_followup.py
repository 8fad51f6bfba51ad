"""Ravi accepted Anna's handover: he prints the referral letter and confirms contact with the
client; Anna sees it picked up, and sees another handover flagged as not picked up in time."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Handover, LegalArea
from cases.services.secondline import handover_accept
from tests.browser.support import assert_accessible, assert_no_console_errors
from tests.cases.factories import (
    CaseFactory,
    ClientIdentityFactory,
    HandoverFactory,
    SubProblemFactory,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_ravi_prints_the_letter_and_confirms_contact(anna, ravi, orgs_utrecht, signed_in):
    case = CaseFactory(organisation=orgs_utrecht["loket"], registered_by=anna)
    SubProblemFactory(
        case=case,
        legal_area=LegalArea.objects.get(slug="huurrecht"),
        analysis="Huurverhoging boven het maximum; bezwaar kan nog.",
    )
    ClientIdentityFactory(case=case)  # Piet Jansen
    handover = HandoverFactory(
        case=case,
        to_organisation=orgs_utrecht["raadslieden"],
        context="Hulp bij het bezwaarschrift nodig.",
        identity_consent=True,
    )
    handover_accept(user=ravi, handover=handover)
    late = HandoverFactory(
        case=CaseFactory(organisation=orgs_utrecht["loket"], registered_by=anna),
        to_organisation=orgs_utrecht["advocatuur"],
        not_picked_up_flagged_at=timezone.now(),
    )

    page = signed_in(ravi)
    page.goto("/casussen/overdrachten/")
    region = page.get_by_role("region", name="Geaccepteerd: bevestig het contact")
    expect(region).to_contain_text(case.number)
    assert_accessible(page)

    region.get_by_role("link", name=f"Verwijsbrief — {case.number}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Verwijsbrief")
    expect(page.get_by_text("Hulp bij het bezwaarschrift nodig.")).to_be_visible()
    expect(page.get_by_text("bezwaar kan nog")).to_be_visible()
    expect(page.get_by_text("Piet Jansen")).to_be_visible()
    expect(page.get_by_role("button", name="Afdrukken")).to_be_visible()
    assert_accessible(page)
    page.emulate_media(media="print")
    expect(page.locator("body > header")).to_be_hidden()
    expect(page.get_by_role("button", name="Afdrukken")).to_be_hidden()
    expect(page.get_by_text("Piet Jansen")).to_be_visible()
    page.emulate_media(media="screen")

    page.goto("/casussen/overdrachten/")
    page.get_by_role(
        "button", name=f"Opgepakt: ik heb contact met de rechtzoekende — {case.number}"
    ).click()
    expect(page.get_by_text("Vastgelegd: u heeft contact met de rechtzoekende.")).to_be_visible()
    assert Handover.objects.get(pk=handover.pk).picked_up_by == ravi
    assert_accessible(page)

    page = signed_in(anna)
    page.goto("/casussen/overdrachten/")
    flagged = page.get_by_role("region", name="Niet opgepakt binnen 3 werkdagen")
    expect(flagged).to_contain_text(late.case.number)
    expect(flagged).not_to_contain_text(case.number)
    assert_accessible(page)
    page.goto(f"/casussen/{case.number}/")
    expect(page.get_by_text("Opgepakt op")).to_be_visible()
    assert_accessible(page)
    assert_no_console_errors(page)
