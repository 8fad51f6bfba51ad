"""A real Celery worker against Redis makes an approved export: the request id goes through the
queue, the worker writes the ZIP and marks the request ready."""

from __future__ import annotations

import pytest

from research.models import ExportRequest
from research.services import export_file_path
from tests.integration.support import wait_for
from tests.research.factories import ExportRequestFactory, approve, cases_for_export

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def export_dir(monkeypatch, settings, tmp_path):
    """The worker (a process of its own) and this test share the export directory."""
    directory = tmp_path / "exports"
    monkeypatch.setenv("RESEARCH_EXPORT_DIR", str(directory))
    settings.RESEARCH_EXPORT_DIR = directory
    return directory


def test_worker_makes_the_approved_export(export_dir, celery, olga, bea, orgs_utrecht):
    start, tmp = celery
    start("worker", "--pool=solo", "--without-gossip", "--without-mingle")
    cases_for_export(orgs_utrecht["loket"])
    export_request = ExportRequestFactory(requester=olga)
    approve(export_request, bea)  # enqueues export_run(id) on commit

    def ready():
        export_request.refresh_from_db()
        return export_request.status in (ExportRequest.Status.READY, ExportRequest.Status.FAILED)

    assert wait_for(ready), (tmp / "worker.log").read_text()
    assert export_request.status == ExportRequest.Status.READY, export_request.failure_message
    assert export_file_path(export_request).is_file()
    assert export_request.progress_done == export_request.progress_total
