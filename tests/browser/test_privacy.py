"""The audit log and a data subject request, in a real browser, checked by axe."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from cases.models import AuditEntry, Case, ClientIdentity
from cases.services.audit import audit_log
from tests.browser.support import assert_accessible, assert_no_console_errors
from tests.cases.factories import CaseFactory, ClientIdentityFactory, SubProblemFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_administrator_browses_and_filters_the_audit_log(bea, anna, eva, orgs_utrecht, signed_in):
    case = CaseFactory(organisation=orgs_utrecht["loket"], registered_by=anna)
    audit_log(actor=anna, action=AuditEntry.Action.VIEW, case=case)
    audit_log(actor=eva, action=AuditEntry.Action.REVEAL, case=case, reason="Terugbellen")
    page = signed_in(bea)
    page.goto("/casussen/audit/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Auditlog")
    expect(page.get_by_role("heading", name="2 regels")).to_be_visible()
    assert_accessible(page)
    assert_no_console_errors(page)

    page.get_by_label("Actie").select_option(AuditEntry.Action.REVEAL)
    page.get_by_role("button", name="Filteren").click()
    expect(page.get_by_role("heading", name="1 regel", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="Terugbellen")).to_be_visible()
    assert_accessible(page)


def test_administrator_handles_a_data_subject_request(bea, anna, orgs_utrecht, signed_in):
    case = CaseFactory(organisation=orgs_utrecht["loket"], registered_by=anna)
    SubProblemFactory(case=case)
    ClientIdentityFactory(case=case)
    page = signed_in(bea)
    page.goto("/casussen/avg/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Verzoeken van rechtzoekenden (AVG)")
    assert_accessible(page)

    page.get_by_label("Volledige naam").fill("piet jansen")
    page.get_by_label("Geboortedatum").fill("1980-05-17")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_role("cell", name=case.number)).to_be_visible()
    assert page.url.endswith("/casussen/avg/")  # the name never goes into the URL
    assert_accessible(page)

    export = page.get_by_role("region", name="Inzage (artikel 15)")
    export.get_by_label("Reden").fill("Verzoek per brief ontvangen")
    with page.expect_download() as download:
        export.get_by_role("button", name="Gegevens downloaden (JSON)").click()
    data = json.loads(download.value.path().read_text(encoding="utf-8"))
    assert data["cases"][0]["identity"]["full_name"] == "Piet Jansen"

    erase = page.get_by_role("region", name="Wissen (artikel 17)")
    erase.get_by_label("Reden").fill("Verzoek per brief ontvangen")
    erase.get_by_role("button", name="Definitief wissen").click()
    expect(page.get_by_text("Dit veld is verplicht.")).to_be_visible()  # the confirmation
    assert_accessible(page)

    erase = page.get_by_role("region", name="Wissen (artikel 17)")
    erase.get_by_label("Reden").fill("Verzoek per brief ontvangen")
    erase.get_by_label("Ik begrijp").check()
    erase.get_by_role("button", name="Definitief wissen").click()
    expect(page.get_by_text("1 casus is geanonimiseerd")).to_be_visible()
    assert_accessible(page)
    assert_no_console_errors(page)

    assert ClientIdentity.objects.get(case=case).encrypted == ""
    assert Case.objects.get(pk=case.pk).anonymised_at is not None
    assert set(AuditEntry.objects.values_list("action", flat=True)) == {
        AuditEntry.Action.VIEW,  # the search's results: a read of the cases found
        AuditEntry.Action.EXPORT,
        AuditEntry.Action.ERASE,
    }


def test_a_request_without_a_date_of_birth_is_confirmed_per_case(
    bea, anna, ravi, orgs_utrecht, signed_in
):
    mine = CaseFactory(organisation=orgs_utrecht["loket"], registered_by=anna)
    namesake = CaseFactory(organisation=orgs_utrecht["raadslieden"], registered_by=ravi)
    for case in (mine, namesake):
        ClientIdentityFactory(case=case)
    page = signed_in(bea)
    page.goto("/casussen/avg/")
    page.get_by_label("Volledige naam").fill("Piet Jansen")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_role("table", name="Alleen op naam gevonden")).to_be_visible()
    assert_accessible(page)

    export = page.get_by_role("region", name="Inzage (artikel 15)")
    export.get_by_label("Reden").fill("Verzoek per brief ontvangen")
    export.get_by_label(mine.number).check()
    with page.expect_download() as download:
        export.get_by_role("button", name="Gegevens downloaden (JSON)").click()
    data = json.loads(download.value.path().read_text(encoding="utf-8"))
    assert [case["number"] for case in data["cases"]] == [mine.number]
    assert_no_console_errors(page)
