"""Celery tasks of the research app."""

from __future__ import annotations

from celery import shared_task

from research import figures


@shared_task
def refresh_figures() -> int:
    """Count this year's dashboard figures again, so that pages read them from the cache."""
    return figures.refresh_counts()
