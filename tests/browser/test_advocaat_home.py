"""Bart's home page leads to his work: a held consult without advice is a to-do whose link opens
the consult's advice form; once the advice is in, the to-do is gone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import LegalArea
from piket.models import Consult, ConsultAdvice
from tests.browser.support import assert_accessible, assert_no_console_errors
from tests.cases.factories import CaseFactory, CaseUserPermissionFactory, SubProblemFactory
from tests.piket.factories import AssignmentFactory, ConsultFactory, RosterFactory, ShiftFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def consult_of(bart, case, day, status):
    shift = ShiftFactory(roster=RosterFactory(location=case.location), date=day)
    AssignmentFactory(shift=shift, advocaat=bart)
    return ConsultFactory(
        shift=shift,
        advocaat=bart,
        case=case,
        booked_by=case.registered_by,
        subproblem=case.subproblems.get(),
        status=status,
        question="Is bezwaar tegen de huurverhoging zinvol?",
    )


def test_bart_goes_from_his_to_do_to_the_advice_of_a_held_consult(
    anna, bart, orgs_utrecht, signed_in
):
    case = CaseFactory(organisation=orgs_utrecht["loket"], registered_by=anna)
    SubProblemFactory(case=case, legal_area=LegalArea.objects.get(slug="huurrecht"))
    CaseUserPermissionFactory(content_object=case, user=bart)
    today = timezone.localdate()
    held = consult_of(bart, case, today - timedelta(days=1), Consult.Status.HELD)
    consult_of(bart, case, today + timedelta(days=2), Consult.Status.BOOKED)

    page = signed_in(bart)
    page.goto("/")
    todo = page.get_by_role("region", name="Te doen")
    expect(todo).to_contain_text(case.number)
    expect(page.get_by_role("region", name="Komende consulten")).to_contain_text(
        "Is bezwaar tegen de huurverhoging zinvol?"
    )
    assert_accessible(page)

    todo.get_by_role("link", name="Advies vastleggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Advies na het piketconsult")
    assert_accessible(page)
    form = page.get_by_role("region", name="Deelprobleem 1: Huurrecht")
    form.get_by_label("Uw juridische analyse").fill("Bezwaar bij de huurcommissie volstaat.")
    for group, answer in [
        ("Komt uw analyse overeen", "Zelfde analyse"),
        ("Is doorverwijzen naar een advocaat zinvol", "Nee"),
        ("Hoe gaat de zaak verder", "Wordt in de eerste lijn afgehandeld"),
        ("Zonder dit overleg", "Ja"),
    ]:
        form.get_by_role("group", name=group).get_by_label(answer, exact=True).check()
    page.get_by_role("button", name="Advies opslaan").click()
    expect(page.get_by_text("Uw advies bij dit consult is vastgelegd.")).to_be_visible()
    assert ConsultAdvice.objects.get().consult == held
    assert_accessible(page)

    page.goto("/")
    expect(page.get_by_role("heading", name="Komende consulten")).to_be_visible()
    expect(page.get_by_role("region", name="Te doen")).to_have_count(0)
    assert_no_console_errors(page)
