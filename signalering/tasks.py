"""Celery tasks of the signaleringsoverleg. They take ids, call a service, and are idempotent
(every mail records that it went out, in the same transaction)."""

from __future__ import annotations

from datetime import date, timedelta

from celery import shared_task
from django.utils import timezone

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


@shared_task
def count_month_reports() -> int:
    """Every two hours: last month's report figures of every active series, kept warm in the
    cache (its entries live three hours), so preparing a meeting never counts."""
    return services.month_reports_count()


# ---------------------------------------------------------------- signals and recommendations
@shared_task
def generate_signals(month: str | None = None) -> int:
    """Daily (CELERY_BEAT_SCHEDULE): the automatic signals of the past month and of this month
    so far, from the second line's feedback and the piket's not-reached counts; `month`
    ("2026-03-01") does one month. Idempotent: running it again adds nothing. Returns how many
    signals were new."""
    if month:
        months = [date.fromisoformat(month)]
    else:
        this_month = timezone.localdate().replace(day=1)
        months = [(this_month - timedelta(days=1)).replace(day=1), this_month]
    return sum(services.signals_generate_for_month(month=m) for m in months)
