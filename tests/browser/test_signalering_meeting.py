"""A coordinator (the chair) prepares last month's meeting, minutes it with one decision and one
action, records who was there, approves the minutes and exports the PDF: every page passes the
axe scan, and the meeting page fits 375 px without scrolling sideways."""

from __future__ import annotations

import datetime
import io

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from signalering import services
from signalering.models import ActionItem, Decision, MinutesVersion
from tests.browser.support import assert_accessible, assert_no_console_errors
from tests.signalering.factories import GuestFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def meeting(carla, anna, utrecht):
    series = services.series_create(
        user=carla,
        data=services.SeriesData(name="Signaleringsoverleg Utrecht", location=utrecht),
    )
    services.series_member_add(user=carla, series=series, member_user=anna)
    GuestFactory(series=series, guest_name="Gijs Buurtteam", guest_organisation="Buurtteam")
    last_month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=5)
    starts_at = timezone.make_aware(datetime.datetime.combine(last_month, datetime.time(14)))
    return services.meeting_plan(user=carla, series=series, starts_at=starts_at, place="Zaal 2")


def _fits_375(page) -> None:
    page.set_viewport_size({"width": 375, "height": 900})
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, f"{page.url}: {scroll}px wide at 375px"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_prepare_minute_approve_and_export_a_meeting(carla, meeting, signed_in):
    page = signed_in(carla)
    page.goto("/")
    page.get_by_role("link", name="Overleg", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Signaleringsoverleg")
    assert_accessible(page)
    page.goto(f"/signalering/overleggen/{meeting.pk}/")
    assert_accessible(page)

    page.get_by_role("button", name="Overleg voorbereiden").click()
    expect(page.get_by_text("Het overleg is voorbereid")).to_be_visible()
    expect(page.get_by_role("heading", name="Maandrapport", exact=False).first).to_be_visible()
    assert_accessible(page)
    _fits_375(page)

    item = page.locator("article.card", has_text="Wat kan beter").first
    item.get_by_label("Verslag", exact=True).fill("Doorverwijzingen naar de schuldhulp duren lang.")
    item.get_by_role("button", name="Verslag opslaan").click()
    expect(
        page.locator("article.card", has_text="Wat kan beter").first.get_by_text("Opgeslagen.")
    ).to_be_visible()

    item = page.locator("article.card", has_text="Wat kan beter").first
    item.get_by_label("Nieuw besluit").fill("We vragen de gemeente om een vast aanspreekpunt.")
    item.get_by_role("button", name="Besluit toevoegen").click()
    expect(page.get_by_text("We vragen de gemeente om een vast aanspreekpunt.")).to_be_visible()

    item = page.locator("article.card", has_text="Wat kan beter").first
    item.get_by_label("Nieuwe actie").fill("Aanspreekpunt navragen bij de gemeente")
    item.get_by_label("Eigenaar").select_option(label="Gijs Buurtteam (gast)")
    item.get_by_label("Uiterlijk op").fill(
        (timezone.localdate() + datetime.timedelta(days=14)).isoformat()
    )
    item.get_by_role("button", name="Actie toevoegen").click()
    expect(page.get_by_text("Aanspreekpunt navragen bij de gemeente")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("group", name="Wie was er aanwezig?").get_by_label("Carla Bos").check()
    page.get_by_role("button", name="Aanwezigheid opslaan").click()
    expect(page.get_by_text("De aanwezigheid is opgeslagen")).to_be_visible()

    page.get_by_role("button", name="Verslag vaststellen").click()
    expect(page.get_by_text("Versie 1 van het verslag is vastgesteld")).to_be_visible()
    assert_accessible(page)
    _fits_375(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Verslag als PDF").click()
    document = download.value.path().read_bytes()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(document)).pages)
    assert "We vragen de gemeente om een vast aanspreekpunt." in text
    assert "Aanspreekpunt navragen bij de gemeente" in text

    version = MinutesVersion.objects.get()
    assert version.status == MinutesVersion.Status.APPROVED
    assert Decision.objects.count() == 1 and ActionItem.objects.count() == 1

    page.goto("/signalering/acties/?alle=1")
    expect(page.get_by_role("heading", level=1)).to_have_text("Acties van het overleg")
    assert_accessible(page)
    _fits_375(page)
    assert_no_console_errors(page)
