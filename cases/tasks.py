from __future__ import annotations

from celery import shared_task

from cases.services import privacy


@shared_task
def apply_retention() -> dict[str, int]:
    """Daily (CELERY_BEAT_SCHEDULE): apply the retention periods. Takes and returns no personal
    data, only counts."""
    report = privacy.retention_apply()
    return {
        "identities_destroyed": len(report.identities_to_destroy),
        "cases_anonymised": len(report.cases_to_anonymise),
    }
