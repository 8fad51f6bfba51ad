"""Celery tasks of the piket. They take ids, call a service, and are idempotent."""

from __future__ import annotations

from celery import shared_task

from piket.services import schedule


@shared_task
def generate_shifts() -> int:
    return schedule.shifts_generate()


@shared_task
def send_confirmation(consult_id: int) -> None:
    from piket.services import notifications

    notifications.send_confirmation(consult_id=consult_id)


@shared_task
def send_cancellation(consult_id: int) -> None:
    from piket.services import notifications

    notifications.send_cancellation(consult_id=consult_id)


@shared_task
def tick() -> None:
    """Every few minutes: reminders, expired waitlist offers."""
    from piket.services import notifications, waitlist

    notifications.send_due_reminders()
    waitlist.expire_offers()


@shared_task
def send_waitlist_offer(consult_id: int) -> None:
    from piket.services import notifications

    notifications.send_waitlist_offer(consult_id=consult_id)


@shared_task
def send_not_reached(consult_id: int) -> None:
    from piket.services import notifications

    notifications.send_not_reached(consult_id=consult_id)


@shared_task
def send_swap_offer(swap_id: int) -> None:
    from piket.services import notifications

    notifications.send_swap_offer(swap_id=swap_id)
