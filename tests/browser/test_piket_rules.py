"""A coordinator of the national level turns the pilot's referral rule off on the rules page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from piket.models import PiketRules
from tests.browser.support import assert_accessible, assert_no_console_errors
from tests.piket.factories import national_coordinator

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_national_coordinator_turns_the_referral_rule_off(signed_in):
    nadia = national_coordinator(email="nadia@example.org", full_name="Nadia Landman")
    page = signed_in(nadia)
    page.goto("/piket/roosters/")
    page.get_by_role("link", name="Piketregels").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Piketregels van de pilot")
    rule = page.get_by_role("group", name="Geen toevoeging na advies via het piket")
    expect(rule.get_by_role("radio", name="Aan:", exact=False)).to_be_checked()
    assert_accessible(page)

    # Nothing chosen (the browser itself can't send that): the server answers in Dutch.
    page.evaluate("document.querySelectorAll('input[type=radio]').forEach(r => r.checked = false)")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Kies of de regel aan of uit staat.")).to_be_visible()
    assert_accessible(page)
    assert PiketRules.objects.get().no_toevoeging_after_consult is True

    rule.get_by_role("radio", name="Uit:", exact=False).check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("De piketregels zijn opgeslagen.")
    expect(page.get_by_text("Laatst gewijzigd door Nadia Landman")).to_be_visible()
    expect(rule.get_by_role("radio", name="Uit:", exact=False)).to_be_checked()
    assert_accessible(page)
    assert_no_console_errors(page)
    assert PiketRules.objects.get().no_toevoeging_after_consult is False
