"""Celery tasks of the research app. They take ids (never personal data), call a service or the
figures module, and are idempotent."""

from __future__ import annotations

from celery import shared_task

from research import figures, services


@shared_task
def export_run(export_request_id: int) -> str:
    """Make an approved export's file (enqueued on approval). Returns the request's status."""
    export_request = services.export_run(export_request_id=export_request_id)
    return export_request.status if export_request else "niets te doen"


@shared_task
def export_expire() -> int:
    """Hourly (CELERY_BEAT_SCHEDULE): delete the files of expired exports."""
    return services.export_expire()


@shared_task
def refresh_figures() -> int:
    """Count this year's dashboard figures again, so that pages read them from the cache."""
    return figures.refresh_counts()


@shared_task
def count_figures(year: int, location_ids: list[int] | None) -> None:
    """Count one scope a page asked for (a year; the location ids, None for all) into the
    cache. Its arguments are ids only: no personal data."""
    ids = None if location_ids is None else tuple(location_ids)
    figures.count_pending(figures.Pending(year, ids))


def count_soon(pending: figures.Pending) -> None:
    """Ask a worker to count the scope, once however many requests ask (figures.claim_count).
    Nothing is written, so there is no transaction to wait for."""
    if figures.claim_count(pending):
        ids = None if pending.location_ids is None else list(pending.location_ids)
        count_figures.delay(pending.year, ids)
