"""Celery tasks of the library. They take ids, call `bestpractices.notifications`, and are
idempotent (each mail is sent once; the reminder and the digest record their day)."""

from __future__ import annotations

from celery import shared_task

from bestpractices import notifications


@shared_task
def notify_status(status_change_id: int) -> int:
    """Enqueued on commit of a status change: mails to followers (and, entering consultation,
    to coordinators and followers of its legal areas)."""
    return notifications.send_status_change(status_change_id=status_change_id)


@shared_task
def notify_revision(revision_id: int) -> int:
    """Enqueued on commit of a new version: mails to the entry's followers."""
    return notifications.send_new_revision(revision_id=revision_id)


@shared_task
def remind_reviews() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): remind owners of adopted entries past their review-by date."""
    return notifications.remind_reviews()


@shared_task
def send_digests() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): the monthly digest, once per month per subscriber."""
    return notifications.send_digests()
