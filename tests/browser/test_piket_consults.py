"""The calendar page (link shown once, renewable) and a consult cancelled from its page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from piket.models import Consult
from tests.browser.support import assert_accessible, assert_no_console_errors
from tests.cases.factories import register
from tests.piket.factories import book, make_shift

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_calendar_page_shows_a_new_link_once(anna, signed_in):
    page = signed_in(anna)
    page.goto("/piket/agenda/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Piket in uw agenda")
    assert_accessible(page)
    page.get_by_role("button", name="Agendalink maken").click()
    link = page.get_by_label(re.compile("Uw persoonlijke agendalink"))
    expect(link).to_have_value(re.compile(r"/piket/agenda/feed/.+\.ics$"))
    assert_accessible(page)
    page.goto("/piket/agenda/")
    expect(page.get_by_label(re.compile("Uw persoonlijke agendalink"))).to_have_count(0)
    expect(page.get_by_role("button", name="Nieuwe link (oude vervalt)")).to_be_visible()
    assert_no_console_errors(page)


def test_the_worker_cancels_a_consult_from_its_page(anna, bart, orgs_utrecht, utrecht, signed_in):
    shift = make_shift(utrecht, [bart])
    consult = book(anna, register(anna, orgs_utrecht["loket"]), shift.starts_at)
    page = signed_in(anna)
    page.goto(f"/piket/consult/{consult.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Piketconsult Huurrecht")
    assert_accessible(page)
    page.get_by_role("link", name="Annuleren").click()
    assert_accessible(page)
    page.get_by_label("Reden").fill("De vraag is al beantwoord")
    page.get_by_role("button", name="Consult annuleren").click()
    expect(page.get_by_text("Het consult is geannuleerd")).to_be_visible()
    assert_accessible(page)
    assert_no_console_errors(page)
    assert Consult.objects.get(pk=consult.pk).status == Consult.Status.CANCELLED
