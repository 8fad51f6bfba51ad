"""A first-line worker registers a case with two sub-problems and finds it in the list."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from cases.models import Case
from tests.browser.support import (
    assert_accessible,
    assert_no_console_errors,
    empty_controls,
    watch_effort,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_worker_registers_a_case_with_two_subproblems(anna, signed_in):
    page = signed_in(anna)
    effort = watch_effort(page)
    page.goto("/")
    page.get_by_role("link", name="Casus registreren").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Casus registreren")
    assert_accessible(page)
    # one required field: the legal area
    assert empty_controls(page, required_only=True) == ["deel-0-subject"]

    page.get_by_label("Rechtsgebied of soort zaak").fill(
        "Huurrecht — Huurachterstand en ontruiming"
    )
    page.get_by_role("button", name="Nog een deelprobleem toevoegen").click()
    second = page.locator("#deelprobleem-2")
    expect(second).to_be_visible()
    second.get_by_label("Rechtsgebied of soort zaak").fill("Arbeidsrecht — Ontslag")
    second.get_by_label("Ja").check()
    second.get_by_label("Uw juridische analyse").fill("Ontslag op staande voet; termijn loopt.")
    assert_accessible(page)
    page.get_by_role("button", name="Casus opslaan").click()

    case = Case.objects.get()
    expect(page.get_by_text(f"Casus {case.number} is geregistreerd.")).to_be_visible()
    assert [s.legal_area.slug for s in case.subproblems.order_by("position")] == [
        "huurrecht",
        "arbeidsrecht",
    ]
    assert_accessible(page)
    # What it took, as the browser saw it: one form page, its save and the redirect to the case
    # (the second sub-problem comes without a page load); three clicks: open the form, add the
    # second sub-problem, save. The other operations are the answers typed or chosen.
    assert effort.loads == [
        "GET /",
        "GET /casussen/nieuw/",
        "POST /casussen/nieuw/",
        f"GET /casussen/{case.number}/",
    ]
    assert effort.operations() == [
        ("link", "Casus registreren"),
        ("field", "deel-0-subject"),
        ("button", "Nog een deelprobleem toevoegen"),
        ("field", "deel-1-subject"),
        ("choice", "deel-1-referral_useful"),
        ("field", "deel-1-analysis"),
        ("button", "Casus opslaan"),
    ]

    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Casussen").click()
    expect(page.get_by_role("link", name=case.number)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Zaaknummer").fill(case.number)
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_role("link", name=case.number)).to_be_visible()
    assert_no_console_errors(page)


def test_keyboard_only_registration_with_the_enter_key(anna, signed_in):
    page = signed_in(anna)
    page.goto("/casussen/nieuw/")
    field = page.get_by_label("Rechtsgebied of soort zaak")
    field.focus()
    page.keyboard.type("Consumentenrecht")
    page.keyboard.press("Escape")  # close the list of suggestions, as a keyboard user does
    page.keyboard.press("Enter")
    expect(page.get_by_text(re.compile(r"Casus Z-.* is geregistreerd"))).to_be_visible()
    assert Case.objects.get().subproblems.get().legal_area.slug == "consumentenrecht"


def test_bad_input_shows_a_dutch_message_on_the_form(anna, signed_in):
    page = signed_in(anna)
    page.goto("/casussen/nieuw/")
    page.get_by_label("Rechtsgebied of soort zaak").fill("Sterrenkunde")
    page.get_by_label("Uw juridische analyse").fill("Cliënt is bereikbaar op 06-12345678.")
    page.get_by_role("button", name="Casus opslaan").click()
    expect(page.get_by_text("staat niet in de lijst")).to_be_visible()
    expect(page.get_by_text("bevat een telefoonnummer")).to_be_visible()
    assert_accessible(page)
    assert not Case.objects.exists()


def test_case_pages_are_accessible(anna, carla, signed_in):
    from cases.models import LegalArea
    from cases.services.cases import SubProblemData, case_register, identity_set
    from cases.vault import Identity

    case = case_register(
        user=anna,
        organisation=anna.memberships.get().organisation,
        data={},
        subproblems=[
            SubProblemData(
                legal_area=LegalArea.objects.get(slug="huurrecht"),
                analysis="Huurverhoging te hoog.",
            )
        ],
    )
    identity_set(user=anna, case=case, identity=Identity(full_name="Karel Appel"))
    page = signed_in(anna)
    for path in ["", "wijzigen/", "deelprobleem/", "identiteit/"]:
        page.goto(f"/casussen/{case.number}/{path}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page)
    page.goto(f"/casussen/{case.number}/")
    page.get_by_label("Waarom wilt u de identiteit inzien?").fill("cliënt terugbellen")
    page.get_by_role("button", name="Identiteit inzien").click()
    expect(page.get_by_text("Karel Appel")).to_be_visible()
    assert_accessible(page)
