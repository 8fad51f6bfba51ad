"""Celery tasks of the research app. They take ids, call a service, and are idempotent."""

from __future__ import annotations

from celery import shared_task

from research import services


@shared_task
def export_run(export_request_id: int) -> str:
    """Make an approved export's file (enqueued on approval). Returns the request's status."""
    export_request = services.export_run(export_request_id=export_request_id)
    return export_request.status if export_request else "niets te doen"


@shared_task
def export_expire() -> int:
    """Hourly (CELERY_BEAT_SCHEDULE): delete the files of expired exports."""
    return services.export_expire()
