"""A researcher requests an export, an approver approves it, the researcher sees the progress
bar finish and downloads the ZIP: every page passes the axe scan."""

from __future__ import annotations

import re
import zipfile

import pytest
from playwright.sync_api import expect

from research import services, tasks
from research.models import ExportRequest
from tests.browser.support import assert_accessible, assert_no_console_errors
from tests.research.factories import StudyFactory, allowed_fields, cases_for_export

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_request_approve_run_and_download(
    olga, bea, orgs_utrecht, signed_in, tmp_path, settings, monkeypatch
):
    settings.RESEARCH_EXPORT_DIR = tmp_path / "exports"
    cases_for_export(orgs_utrecht["loket"])
    StudyFactory(code="EVAL-BROWSER", name="Evaluatie in de browser")

    page = signed_in(olga)
    page.goto("/")
    page.get_by_role("link", name="Export aanvragen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Export aanvragen")
    assert_accessible(page)
    page.get_by_label("Onderzoek").select_option(label="EVAL-BROWSER — Evaluatie in de browser")
    page.get_by_label("Doel van de export").fill("Hoe vaak is doorverwijzen zinvol?")
    fields = page.get_by_role("group", name="Velden")
    for name in allowed_fields():
        fields.locator(f"input[value='{name}']").check()
    page.get_by_role("group", name="Eenheid van een rij").get_by_label("Eén rij per casus").check()
    page.get_by_role("group", name="Formaat").get_by_label("CSV").check()
    page.get_by_role("button", name="Aanvraag versturen").click()
    expect(page.get_by_text("Uw aanvraag is verstuurd")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Status:")).to_contain_text(
        "Wacht op beoordeling"
    )
    assert_accessible(page)
    export_request = ExportRequest.objects.get()

    # the run is held back until the researcher watches the page (then made below)
    monkeypatch.setattr(tasks.export_run, "delay", lambda export_request_id: None)
    page = signed_in(bea)
    page.goto("/onderzoek/exports/beoordelen/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Exportaanvragen beoordelen")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(f"Export {export_request.pk} ")).click()
    expect(page.get_by_text("Risicorapport van de proefberekening")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("group", name="Besluit").get_by_label("Goedkeuren").check()
    page.get_by_label("Toelichting").fill("Past bij het doel van de evaluatie.")
    page.get_by_role("button", name="Besluit vastleggen").click()
    expect(page.get_by_text("Uw besluit is vastgelegd")).to_be_visible()
    assert_accessible(page)

    page = signed_in(olga)
    page.goto("/onderzoek/exports/")
    assert_accessible(page)
    page.get_by_role("link", name=f"Export {export_request.pk}").click()
    progress = page.get_by_role("progressbar", name="Voortgang van de export")
    expect(progress).to_have_attribute("value", "0")
    assert_accessible(page)
    url = page.url
    services.export_run(export_request_id=export_request.pk)  # what the worker does
    # htmx polls the status and swaps in the finished bar and the download: no reload
    expect(progress).to_have_attribute("value", "100", timeout=20_000)
    assert page.url == url
    download_link = page.get_by_role("link", name="Export downloaden (ZIP)")
    expect(download_link).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as info:
        download_link.click()
    saved = tmp_path / "export.zip"
    info.value.save_as(saved)
    assert "manifest.json" in zipfile.ZipFile(saved).namelist()
    assert_no_console_errors(page)
