"""The coordinator's home page leads to the day's work: this week's piket, handovers waiting,
sociale-kaart entries due for a check, and who falls behind with their dagdelen."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from piket.localtime import LOCAL
from piket.models import PiketRules
from tests.browser.support import assert_accessible, assert_no_console_errors
from tests.cases.factories import CaseFactory, HandoverFactory, SocialMapEntryFactory
from tests.piket.factories import AdvocaatProfileFactory, RosterFactory, ShiftFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WEDNESDAY = date(2026, 12, 2)


@pytest.fixture
def wednesday_morning():
    with time_machine.travel(datetime.combine(WEDNESDAY, time(8), tzinfo=LOCAL), tick=True):
        yield


def test_coordinator_home_shows_the_work_of_the_week(
    wednesday_morning, carla, bart, utrecht, orgs_utrecht, orgs_amsterdam, signed_in
):
    thursday = WEDNESDAY + timedelta(days=1)
    roster = RosterFactory(location=utrecht, weekday=thursday.weekday())
    shift = ShiftFactory(roster=roster, date=thursday)
    HandoverFactory(
        case=CaseFactory(organisation=orgs_amsterdam["loket"]),
        to_organisation=orgs_utrecht["raadslieden"],
    )
    entry = SocialMapEntryFactory(
        location=utrecht,
        name="Schuldhulp Utrecht",
        last_checked_on=timezone.localdate() - timedelta(days=400),
    )
    AdvocaatProfileFactory(advocaat=bart, half_days_per_month=2)
    PiketRules.objects.update(period_starts_on=date(2026, 11, 1))

    page = signed_in(carla)
    page.goto("/")
    piket = page.get_by_role("region", name="Piket deze week")
    expect(piket.get_by_role("row", name="Utrecht")).to_contain_text("1")
    expect(piket).to_contain_text("Nog 1 dienst zonder (genoeg) advocaten")
    expect(piket.get_by_role("status")).to_contain_text(
        "1 advocaat loopt achter met de toegezegde dagdelen."
    )
    handovers = page.get_by_role("region", name="Overdrachten")
    expect(handovers).to_contain_text("1 wacht bij een organisatie van uw locatie")
    socialekaart = page.get_by_role("region", name="Sociale kaart")
    expect(socialekaart.get_by_role("link", name="Schuldhulp Utrecht")).to_have_attribute(
        "href", f"/casussen/sociale-kaart/{entry.pk}/"
    )
    assert_accessible(page)
    assert_no_console_errors(page)

    piket.get_by_role("link", name="donderdag 3 december", exact=False).click()
    expect(page).to_have_url(f"{page.url.split('/piket/')[0]}/piket/diensten/{shift.pk}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    page.goto("/")
    page.get_by_role("region", name="Piket deze week").get_by_role(
        "link", name="Bekijk de dagdelen per advocaat"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Maandoverzichten piket")
    expect(page.get_by_role("row", name="Bart Smit")).to_contain_text("loopt achter")
    assert_accessible(page)
