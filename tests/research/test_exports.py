"""The export workflow: request, approval, run, download and expiry, through the pages, the
task and the command."""

from __future__ import annotations

import html
import io
import zipfile
from datetime import date, timedelta

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Role
from cases.models import AuditEntry
from research import selectors, services, tasks
from research.export import catalogue
from research.models import ExportRequest, ExportStatusChange
from tests.accounts.factories import MembershipFactory
from tests.research.factories import (
    ExportRequestFactory,
    StudyFactory,
    allowed_fields,
    approve,
    cases_for_export,
    researcher,
)

pytestmark = pytest.mark.django_db

Status = ExportRequest.Status
NEW_URL = "/onderzoek/exports/nieuw/"
QUEUE_URL = "/onderzoek/exports/beoordelen/"


def url(export_request, part: str = "") -> str:
    return f"/onderzoek/exports/{export_request.pk}/{part}"


def audit_events(export_request) -> list[str]:
    entries = AuditEntry.objects.filter(
        object_type="research.ExportRequest", object_id=str(export_request.pk)
    ).order_by("at", "pk")
    return [entry.detail.get("export") for entry in entries]


@pytest.fixture
def data(orgs_utrecht):
    return cases_for_export(orgs_utrecht["loket"])


@pytest.fixture
def study():
    return StudyFactory(code="EVAL-TEST")


def form_data(chosen, **changes) -> dict:
    today = timezone.localdate()
    return {
        "study": chosen.pk,
        "purpose": "Hoe vaak is doorverwijzen naar een advocaat zinvol?",
        "period_start": (today - timedelta(days=30)).isoformat(),
        "period_end": today.isoformat(),
        "fields": allowed_fields(),
        "unit": "case",
        "format": "csv",
        "delimiter": ";",
        **changes,
    }


def ready_export(olga, bea, django_capture_on_commit_callbacks) -> ExportRequest:
    export_request = ExportRequestFactory(requester=olga)
    with django_capture_on_commit_callbacks(execute=True):
        approve(export_request, bea)
    export_request.refresh_from_db()
    assert export_request.status == Status.READY, export_request.failure_message
    return export_request


# ---------------------------------------------------------------- request


def test_researcher_requests_an_export_and_it_waits_for_a_decision(client, olga, study):
    client.force_login(olga)
    response = client.post(NEW_URL, form_data(study))
    export_request = ExportRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == url(export_request)
    assert export_request.requester == olga and export_request.status == Status.REQUESTED
    assert export_request.delimiter == ";" and export_request.fields == allowed_fields()
    assert list(export_request.status_changes.values_list("to_status", flat=True)) == [
        Status.REQUESTED
    ]
    assert audit_events(export_request) == ["aangevraagd"]


def test_the_form_shows_the_catalogues_fields_with_their_help(client, olga, study):
    client.force_login(olga)
    page = client.get(NEW_URL).content.decode()
    for name, label in catalogue.field_choices():
        assert f'value="{name}"' in page and str(label) in page
    helped = [field for field in catalogue.FIELDS.values() if field.help_nl]
    assert all(field.help_nl in page for field in helped)


@pytest.mark.parametrize(
    ("forbidden", "why"),
    [
        ("email", "direct identificerend"),
        ("question", "vrije tekst"),
        ("analysis", "vrije tekst"),
        ("bsn", "bestaat niet"),
    ],
)
def test_a_direct_identifier_or_free_text_field_is_refused_in_dutch(
    client, olga, study, forbidden, why
):
    client.force_login(olga)
    response = client.post(NEW_URL, form_data(study, fields=[allowed_fields()[0], forbidden]))
    assert response.status_code == 200
    assert why in catalogue.refuse_fields([forbidden])
    assert html.escape(catalogue.refuse_fields([forbidden])) in response.content.decode()
    assert not ExportRequest.objects.exists()


def test_the_service_refuses_a_forbidden_field_too(olga, study):
    data = services.RequestData(
        study=study,
        purpose="Doel",
        period_start=timezone.localdate(),
        period_end=timezone.localdate(),
        locations=[],
        fields=["client_name"],
        unit="case",
        format="csv",
    )
    with pytest.raises(services.ValidationError) as refused:
        services.export_request_create(user=olga, data=data)
    assert "fields" in refused.value.message_dict
    assert not ExportRequest.objects.exists()


def test_an_unknown_or_closed_study_is_refused_in_dutch(client, olga, study):
    closed = StudyFactory(code="OUD", is_active=False)
    client.force_login(olga)
    for pk in (987654, closed.pk):
        response = client.post(NEW_URL, form_data(study, study=pk))
        assert "Dit onderzoek bestaat niet of is afgesloten" in response.content.decode()
    assert not ExportRequest.objects.exists()


def test_a_period_that_ends_before_it_starts_is_refused(client, olga, study):
    client.force_login(olga)
    response = client.post(
        NEW_URL, form_data(study, period_start="2026-03-01", period_end="2026-02-01")
    )
    assert "Het einde van de periode ligt vóór het begin" in response.content.decode()
    assert not ExportRequest.objects.exists()


def test_the_list_shows_only_the_researchers_own_requests(
    client, olga, django_assert_max_num_queries
):
    mine = ExportRequestFactory.create_batch(3, requester=olga)
    other = ExportRequestFactory(requester=researcher())
    client.force_login(olga)
    with django_assert_max_num_queries(8):
        page = client.get("/onderzoek/exports/").content.decode()
    assert all(url(e) in page for e in mine) and url(other) not in page


# ---------------------------------------------------------------- approval


def test_the_approver_sees_the_dry_run_before_deciding(client, bea, olga, data):
    export_request = ExportRequestFactory(requester=olga)
    client.force_login(bea)
    page = client.get(url(export_request, "beoordelen/")).content.decode()
    assert "Risicorapport van de proefberekening" in page
    assert "k bereikt" in page
    assert ExportRequest.objects.get().status == Status.REQUESTED  # looking changes nothing


def test_approval_runs_the_export(client, bea, olga, data, django_capture_on_commit_callbacks):
    export_request = ExportRequestFactory(requester=olga)
    client.force_login(bea)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(export_request, "beoordelen/"), {"decision": "approve"})
    assert response.status_code == 302
    export_request.refresh_from_db()
    assert export_request.status == Status.READY
    assert export_request.approver == bea and export_request.risk_report
    assert (services.export_file_path(export_request)).is_file()
    assert export_request.expires_at == export_request.finished_at + timedelta(days=7)
    assert [c.to_status for c in export_request.status_changes.all()] == [
        Status.REQUESTED,
        Status.APPROVED,
        Status.RUNNING,
        Status.READY,
    ]
    assert audit_events(export_request) == ["goedgekeurd", "gemaakt"]


def test_an_approver_cannot_approve_their_own_request(client, olga, orgs_utrecht, data):
    MembershipFactory(user=olga, role=Role.ADMINISTRATOR, organisation=orgs_utrecht["bureau"])
    export_request = ExportRequestFactory(requester=olga)
    client.force_login(olga)
    page = client.get(url(export_request, "beoordelen/")).content.decode()
    assert "U kunt uw eigen exportaanvraag niet beoordelen" in page
    response = client.post(url(export_request, "beoordelen/"), {"decision": "approve"})
    assert "U kunt uw eigen exportaanvraag niet beoordelen" in response.content.decode()
    export_request.refresh_from_db()
    assert export_request.status == Status.REQUESTED and export_request.approver is None
    assert audit_events(export_request) == []
    assert export_request not in selectors.export_requests_to_decide(olga)


def test_the_database_refuses_an_approver_who_is_the_requester(olga):
    export_request = ExportRequestFactory(requester=olga)
    with pytest.raises(IntegrityError), transaction.atomic():
        ExportRequest.objects.filter(pk=export_request.pk).update(
            approver=olga, status=Status.APPROVED
        )


def test_a_rejection_needs_a_reason(client, bea, olga):
    export_request = ExportRequestFactory(requester=olga)
    client.force_login(bea)
    response = client.post(url(export_request, "beoordelen/"), {"decision": "reject"})
    assert "Geef een reden waarom u de export afwijst" in response.content.decode()
    assert ExportRequest.objects.get().status == Status.REQUESTED


def test_a_rejected_request_never_runs(client, bea, olga, data, django_capture_on_commit_callbacks):
    export_request = ExportRequestFactory(requester=olga)
    client.force_login(bea)
    reason = "Het doel rechtvaardigt de postcodegebieden niet."
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(url(export_request, "beoordelen/"), {"decision": "reject", "reason": reason})
    assert callbacks == []  # nothing enqueued
    export_request.refresh_from_db()
    assert export_request.status == Status.REJECTED and export_request.decision_reason == reason
    tasks.export_run.apply(args=[export_request.pk])
    export_request.refresh_from_db()
    assert export_request.status == Status.REJECTED and not export_request.file_name
    assert audit_events(export_request) == ["afgewezen"]
    client.force_login(olga)
    assert reason in client.get(url(export_request)).content.decode()


def test_only_approved_requests_run(olga):
    export_request = ExportRequestFactory(requester=olga)
    assert services.export_run(export_request_id=export_request.pk) is None
    assert services.export_run(export_request_id=987654) is None
    export_request.refresh_from_db()
    assert export_request.status == Status.REQUESTED and not export_request.file_name


def test_the_run_is_idempotent(olga, bea, data, django_capture_on_commit_callbacks, settings):
    export_request = ready_export(olga, bea, django_capture_on_commit_callbacks)
    name = export_request.file_name
    assert services.export_run(export_request_id=export_request.pk) is None
    export_request.refresh_from_db()
    assert export_request.file_name == name
    assert [p.name for p in settings.RESEARCH_EXPORT_DIR.iterdir()] == [name]
    assert audit_events(export_request).count("gemaakt") == 1


def test_a_period_without_data_cannot_be_approved(client, bea, olga):
    export_request = ExportRequestFactory(
        requester=olga, period_start=date(2003, 1, 1), period_end=date(2003, 12, 31)
    )
    client.force_login(bea)
    page = client.get(url(export_request, "beoordelen/")).content.decode()
    assert "Goedkeuren kan zo niet" in page
    client.post(url(export_request, "beoordelen/"), {"decision": "approve"})
    assert ExportRequest.objects.get().status == Status.REQUESTED


def test_a_refusal_during_the_run_releases_nothing(olga, bea, data, monkeypatch, settings):
    export_request = ExportRequestFactory(requester=olga)
    approve(export_request, bea)  # on_commit is not run here: the task follows by hand

    def refuse(*args, **kwargs):
        raise services.engine.ExportRefused("k = 5 is niet te halen zonder alles te onderdrukken.")

    monkeypatch.setattr(services.engine, "export_write", refuse)
    services.export_run(export_request_id=export_request.pk)
    export_request.refresh_from_db()
    assert export_request.status == Status.FAILED and not export_request.file_name
    assert "niet te halen" in export_request.failure_message
    assert not list(settings.RESEARCH_EXPORT_DIR.iterdir())
    assert audit_events(export_request)[-1] == "niet vrijgegeven"


# ---------------------------------------------------------------- progress and download


def test_the_status_endpoint_polls_until_the_export_is_ready(
    client, olga, bea, data, django_capture_on_commit_callbacks
):
    export_request = ExportRequestFactory(requester=olga)
    approve(export_request, bea)
    client.force_login(olga)
    running = client.get(url(export_request, "status/"), headers={"HX-Request": "true"})
    assert 'data-hx-trigger="every 2s"' in running.content.decode()
    assert "<progress" in running.content.decode()
    page = client.get(url(export_request)).content.decode()
    assert '<meta http-equiv="refresh"' in page  # without JavaScript: the page reloads
    services.export_run(export_request_id=export_request.pk)
    done = client.get(url(export_request, "status/"), headers={"HX-Request": "true"})
    body = done.content.decode()
    assert "data-hx-trigger" not in body and url(export_request, "download/") in body
    assert 'value="100"' in body
    assert client.get(url(export_request, "status/"))["Location"] == url(export_request)
    assert '<meta http-equiv="refresh"' not in client.get(url(export_request)).content.decode()


def test_the_requester_downloads_the_zip_and_the_download_is_audited(
    client, olga, bea, data, django_capture_on_commit_callbacks
):
    export_request = ready_export(olga, bea, django_capture_on_commit_callbacks)
    client.force_login(olga)
    response = client.get(url(export_request, "download/"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert "manifest.json" in archive.namelist()
    assert audit_events(export_request)[-1] == "gedownload"


def test_another_researcher_gets_404_and_the_approver_403_for_the_download(
    client, olga, bea, data, django_capture_on_commit_callbacks
):
    export_request = ready_export(olga, bea, django_capture_on_commit_callbacks)
    client.force_login(researcher())
    assert client.get(url(export_request, "download/")).status_code == 404
    assert client.get(url(export_request)).status_code == 404
    client.force_login(bea)
    assert client.get(url(export_request, "download/")).status_code == 403
    assert audit_events(export_request).count("gedownload") == 0


def test_a_download_before_the_export_is_ready_goes_back_to_the_request(client, olga):
    export_request = ExportRequestFactory(requester=olga)
    client.force_login(olga)
    response = client.get(url(export_request, "download/"), follow=True)
    assert "nog) niet beschikbaar" in response.content.decode()
    assert audit_events(export_request) == []


def test_after_seven_days_the_download_is_gone_and_the_file_deleted(
    client, olga, bea, data, django_capture_on_commit_callbacks
):
    export_request = ready_export(olga, bea, django_capture_on_commit_callbacks)
    path = services.export_file_path(export_request)
    client.force_login(olga)
    with time_machine.travel(timezone.now() + timedelta(days=6, hours=23)):
        client.force_login(olga)
        assert services.export_expire() == 0
        assert client.get(url(export_request, "download/")).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        client.force_login(olga)
        response = client.get(url(export_request, "download/"))  # before the beat task ran
        assert response.status_code == 410
        assert "Deze export is verlopen" in response.content.decode()
        assert tasks.export_expire() == 1
    assert not path.exists()
    export_request.refresh_from_db()
    assert export_request.status == Status.EXPIRED
    response = client.get(url(export_request, "download/"))
    assert response.status_code == 410 and "verlopen" in response.content.decode()
    assert audit_events(export_request)[-1] == "verlopen"
    assert audit_events(export_request).count("gedownload") == 1


def test_the_expiry_is_on_the_beat_schedule(settings):
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "research.tasks.export_expire" in tasks_scheduled


# ---------------------------------------------------------------- the queue


def test_the_queue_shows_waiting_requests_of_others(
    client, bea, olga, django_assert_max_num_queries
):
    waiting = ExportRequestFactory.create_batch(3, requester=olga)
    own = ExportRequestFactory(requester=bea)
    client.force_login(bea)
    with django_assert_max_num_queries(10):
        page = client.get(QUEUE_URL).content.decode()
    assert all(url(e, "beoordelen/") in page for e in waiting)
    assert url(own, "beoordelen/") not in page


# ---------------------------------------------------------------- the command


def test_the_command_writes_an_approved_request(olga, bea, data, tmp_path):
    export_request = ExportRequestFactory(requester=olga)
    approve(export_request, bea)
    out = tmp_path / "export.zip"
    call_command("export_research", request=export_request.pk, format="csv", out=out)
    assert "manifest.json" in zipfile.ZipFile(out).namelist()
    assert audit_events(export_request)[-1] == "gemaakt via de opdrachtregel"


def test_the_command_refuses_a_request_that_is_not_approved(olga, tmp_path):
    export_request = ExportRequestFactory(requester=olga)
    out = tmp_path / "export.zip"
    with pytest.raises(CommandError, match="niet goedgekeurd"):
        call_command("export_research", "--request", str(export_request.pk), "--out", str(out))
    with pytest.raises(CommandError, match="bestaat niet"):
        call_command("export_research", "--request", "987654", "--out", str(out))
    assert not out.exists()
    assert audit_events(export_request) == []


def test_status_changes_follow_the_table(olga):
    export_request = ExportRequestFactory(requester=olga)
    with pytest.raises(services.ValidationError):
        services.export_request_transition(
            export_request=export_request, to=Status.READY, actor=None
        )
    assert ExportRequest.objects.get().status == Status.REQUESTED
    assert ExportStatusChange.objects.count() == 1


def test_the_request_page_reads_in_a_fixed_number_of_queries(
    client, olga, bea, data, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    export_request = ready_export(olga, bea, django_capture_on_commit_callbacks)
    client.force_login(olga)
    with django_assert_max_num_queries(10):
        page = client.get(url(export_request)).content.decode()
    assert url(export_request, "download/") in page and "k bereikt" in page


def test_the_audit_log_shows_the_exports_steps(
    client, olga, bea, data, django_capture_on_commit_callbacks
):
    export_request = ready_export(olga, bea, django_capture_on_commit_callbacks)
    client.force_login(olga)
    client.get(url(export_request, "download/"))
    client.force_login(bea)
    page = client.get("/casussen/audit/").content.decode()
    assert f"Exportaanvraag {export_request.pk}" in page
    for event in ("goedgekeurd", "gemaakt", "gedownload"):
        assert event in page
