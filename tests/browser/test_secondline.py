"""Anna consults Bart, Bart advises on both sub-problems in one form, Ravi takes the case over."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cases.models import Case, Handover, SecondLineAdvice
from tests.browser.support import assert_accessible, assert_no_console_errors, fill_advice
from tests.cases.factories import (
    CaseFactory,
    ClientIdentityFactory,
    LegalAreaFactory,
    SubProblemFactory,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def case(anna, orgs_utrecht) -> Case:
    case = CaseFactory(organisation=orgs_utrecht["loket"], registered_by=anna)
    SubProblemFactory(case=case, legal_area=LegalAreaFactory(slug="huurrecht"))
    SubProblemFactory(
        case=case,
        legal_area=LegalAreaFactory(slug="arbeidsrecht"),
        analysis="Ontslag op staande voet; de termijn loopt.",
    )
    ClientIdentityFactory(case=case)  # Piet Jansen
    return case


def test_anna_consults_bart_who_advises_on_both_sub_problems_in_one_form(
    anna, bart, case, signed_in
):
    page = signed_in(anna)
    page.goto(f"/casussen/{case.number}/advocaat/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Advocaat raadplegen")
    assert_accessible(page)
    page.get_by_label("Advocaat*", exact=True).select_option(label="Bart Smit")
    page.get_by_label("Uw vraag aan de advocaat").fill("Is bezwaar tegen de huurverhoging zinvol?")
    page.get_by_role("button", name="Advocaat raadplegen").click()
    expect(page.get_by_text("Bart Smit kan de casus nu inzien.")).to_be_visible()
    assert [p.user for p in case.person_permissions.all()] == [bart]

    page = signed_in(bart)
    page.goto(f"/casussen/{case.number}/advies/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Advies per deelprobleem")
    assert "Piet" not in page.content() and "Jansen" not in page.content()
    assert_accessible(page)
    first = page.get_by_role("region", name="Deelprobleem 1: Huurrecht")
    second = page.get_by_role("region", name="Deelprobleem 2: Arbeidsrecht")
    expect(second.get_by_text("Ontslag op staande voet; de termijn loopt.")).to_be_visible()
    fill_advice(
        first,
        analysis="Bezwaar bij de huurcommissie volstaat.",
        match="Zelfde analyse",
        continuation="Wordt in de eerste lijn afgehandeld",
    )
    page.get_by_role("button", name="Advies opslaan").click()
    expect(second.get_by_text("Vul uw juridische analyse in.")).to_be_visible()
    assert not SecondLineAdvice.objects.exists()
    assert_accessible(page)  # the form with its errors

    fill_advice(
        second,
        analysis="Dringende reden ontbreekt; loonvordering instellen.",
        match="Andere analyse",
        continuation="Doorverwezen naar een advocaat",
    )
    second.get_by_label("Ik neem de zaak aan").check()
    page.get_by_role("button", name="Advies opslaan").click()
    expect(page.get_by_text("Uw advies is vastgelegd.")).to_be_visible()
    assert SecondLineAdvice.objects.filter(advocaat=bart).count() == 2
    assert "Jansen" not in page.content()
    assert_accessible(page)
    page.get_by_role("link", name="Advies vastleggen — Arbeidsrecht").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Advies vastleggen")
    expect(page.get_by_label("Uw juridische analyse")).to_have_value(
        "Dringende reden ontbreekt; loonvordering instellen."
    )
    assert_accessible(page)

    page = signed_in(anna)
    page.goto(f"/casussen/{case.number}/")
    expect(page.get_by_role("heading", name="Advies tweede lijn — Bart Smit")).to_have_count(2)
    expect(page.get_by_text("Dringende reden ontbreekt; loonvordering instellen.")).to_be_visible()
    assert_accessible(page)
    assert_no_console_errors(page)


def test_anna_hands_the_case_over_and_ravi_accepts(anna, ravi, case, orgs_utrecht, signed_in):
    page = signed_in(anna)
    page.goto(f"/casussen/{case.number}/")
    page.get_by_role("link", name="Warm overdragen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Warm overdragen")
    assert_accessible(page)
    page.get_by_label("Naar organisatie").select_option(label=str(orgs_utrecht["raadslieden"]))
    page.get_by_label("Context voor de ontvanger").fill("Bezwaar moet binnen twee weken weg.")
    page.get_by_role("button", name="Overdracht versturen").click()
    expect(
        page.get_by_text("Zonder toestemming van de rechtzoekende kan de zaak niet")
    ).to_be_visible()
    assert_accessible(page)  # the form with its error
    page.get_by_label("De rechtzoekende stemt in met de overdracht").check()
    page.get_by_role("button", name="Overdracht versturen").click()
    expect(page.get_by_text("De overdracht is verstuurd.")).to_be_visible()
    expect(page.get_by_text("Wacht op antwoord")).to_be_visible()

    page = signed_in(ravi)
    page.goto("/casussen/overdrachten/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Warme overdrachten")
    expect(page.get_by_text("Bezwaar moet binnen twee weken weg.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Accepteren").click()
    expect(page.get_by_text("U heeft de overdracht geaccepteerd.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.number)
    expect(
        page.get_by_text("Warme overdracht naar Sociaal raadslieden Utrecht: Geaccepteerd")
    ).to_be_visible()
    assert Handover.objects.get().status == Handover.Status.ACCEPTED
    assert_accessible(page)
    assert_no_console_errors(page)
