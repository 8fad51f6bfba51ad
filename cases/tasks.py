from __future__ import annotations

from celery import shared_task

from cases.services import privacy


@shared_task
def apply_retention() -> dict[str, int]:
    """Daily (CELERY_BEAT_SCHEDULE): apply the retention periods. Takes and returns no personal
    data, only counts."""
    report = privacy.retention_apply()  # then `vacuum_case_content`, when anything was done
    return {
        "identities_destroyed": len(report.identities_to_destroy),
        "cases_anonymised": len(report.cases_to_anonymise),
    }


@shared_task
def send_handover_new(handover_id: int) -> None:
    from cases.services import notifications

    notifications.send_handover_new(handover_id=handover_id)


@shared_task
def flag_handovers_not_picked_up() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): flag and mail handovers not picked up in time."""
    from cases.services import notifications

    return notifications.handovers_flag_not_picked_up()


@shared_task
def vacuum_case_content() -> list[str]:
    """After an erasure or retention: VACUUM the vault and the tables of case content, so the
    old versions of the rows (ciphertext, text) leave the tables. Takes no arguments; returns
    the table names."""
    return privacy.case_content_vacuum()
