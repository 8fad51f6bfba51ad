"""A coordinator sets up a roster, puts an advocaat on duty, and the week view shows it."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from piket.models import Roster
from tests.browser.support import assert_accessible
from tests.piket.factories import AdvocaatProfileFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_coordinator_creates_a_roster_assigns_bart_and_the_week_shows_it(carla, bart, signed_in):
    AdvocaatProfileFactory(advocaat=bart, legal_areas=["huurrecht"])
    page = signed_in(carla)
    page.goto("/piket/roosters/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Piketrooster")
    assert_accessible(page)

    page.get_by_role("link", name="Piketmoment toevoegen").click()
    assert_accessible(page)
    weekday = (timezone.localdate() + timezone.timedelta(days=2)).weekday()
    page.get_by_label("Weekdag").select_option(str(weekday))
    page.get_by_label("Huurrecht", exact=True).check()
    page.locator("#id_start_time").fill("09:00")
    page.locator("#id_end_time").fill("12:00")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("opgeslagen")
    roster = Roster.objects.get()
    assert roster.shifts.exists()

    page.get_by_role("link", name="Weekoverzicht").click()
    shift = roster.shifts.order_by("starts_at").first()
    year, week, _day = shift.date.isocalendar()
    page.goto(f"/piket/week/?locatie={shift.location_id}&week={year}-W{week:02d}")
    assert_accessible(page)
    page.get_by_role("link", name="Indelen").first.click()
    page.locator("#id_advocaat").select_option(str(bart.pk))
    page.get_by_role("button", name="Indelen").click()
    expect(page.get_by_role("status")).to_contain_text("ingedeeld")

    page.goto(f"/piket/week/?locatie={shift.location_id}&week={year}-W{week:02d}")
    table = page.get_by_role("table")
    expect(table).to_contain_text("Bart Smit")
    expect(table).to_contain_text("ochtend")
    page.get_by_role("link", name="Volgende week").click()
    expect(page.get_by_role("heading", level=2)).not_to_contain_text(shift.date.strftime("%-d "))
    assert_accessible(page)

    page.goto("/piket/capaciteit/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Capaciteit van het piket")
    assert_accessible(page)
