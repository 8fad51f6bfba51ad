"""Celery tasks of the signaleringsoverleg. They take ids, call a service, and are idempotent
(every mail records that it went out, in the same transaction)."""

from __future__ import annotations

from celery import shared_task

from signalering import services


@shared_task
def send_agenda(meeting_id: int) -> int:
    return services.send_agenda(meeting_id=meeting_id)


@shared_task
def send_minutes(version_id: int) -> int:
    return services.send_minutes(version_id=version_id)


@shared_task
def daily() -> dict:
    """Every morning: agendas due (days_before_agenda_mail) and reminders of overdue actions."""
    return {
        "agendas": services.send_due_agendas(),
        "reminders": services.send_action_reminders(),
    }
