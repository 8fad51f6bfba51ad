"""Piket mails: idempotent tasks, an .ics attachment without client data, reminders."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from piket import tasks
from piket.models import Consult, Notification
from piket.services import notifications
from tests.piket.factories import assert_no_client_data, book

AMSTERDAM_TZ = timezone.get_default_timezone()


@pytest.fixture
def consult(anna, case, shift, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return book(anna, case, shift.starts_at)


def attachment_calendar(message) -> Calendar:
    (name, content, mimetype) = message.attachments[0]
    assert name.endswith(".ics")
    assert mimetype.startswith("text/calendar")
    return Calendar.from_ical(content)


def full_text(message) -> str:
    parts = [message.subject, message.body, *(c for c, _ in message.alternatives)]
    parts += [c.decode() if isinstance(c, bytes) else str(c) for _n, c, _m in message.attachments]
    return "\n".join(parts)


def test_booking_mails_a_confirmation_to_the_worker_and_the_advocaat(
    consult, mailoutbox, anna, bart
):
    assert sorted(m.to[0] for m in mailoutbox) == [anna.email, bart.email]
    assert all("Piketconsult geboekt" in m.subject for m in mailoutbox)
    assert Notification.objects.filter(consult=consult, kind="bevestiging").count() == 2


def test_a_retried_confirmation_task_sends_no_second_mail(consult, mailoutbox):
    tasks.send_confirmation.delay(consult.pk)
    tasks.send_confirmation(consult.pk)
    assert notifications.send_confirmation(consult_id=consult.pk) == 0
    assert len(mailoutbox) == 2


def test_the_ics_has_the_time_in_amsterdam_and_no_client_data(consult, mailoutbox, case, shift):
    for message in mailoutbox:
        calendar = attachment_calendar(message)
        assert str(calendar["METHOD"]) == "REQUEST"
        (event,) = calendar.walk("VEVENT")
        start = event.decoded("DTSTART").astimezone(AMSTERDAM_TZ)
        assert (start.date(), start.hour, start.minute) == (shift.date, 10, 0)
        assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=15)
        assert str(event["SUMMARY"]) == "Piketconsult Huurrecht"
        assert str(event["LOCATION"]) == shift.location.name
        assert f"/piket/consult/{consult.pk}/" in str(event["URL"])
        assert str(event["UID"]) == f"piket-consult-{consult.pk}@127.0.0.1"
        assert_no_client_data(full_text(message), case)


def test_a_cancellation_carries_a_cancel_with_the_same_uid(consult, mailoutbox, anna):
    first_uid = str(attachment_calendar(mailoutbox[0]).walk("VEVENT")[0]["UID"])
    Consult.objects.filter(pk=consult.pk).update(status=Consult.Status.CANCELLED)
    mailoutbox.clear()
    assert notifications.send_cancellation(consult_id=consult.pk) == 2
    assert notifications.send_cancellation(consult_id=consult.pk) == 0
    calendar = attachment_calendar(mailoutbox[0])
    assert str(calendar["METHOD"]) == "CANCEL"
    (event,) = calendar.walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == first_uid
    assert "geannuleerd" in mailoutbox[0].subject


def test_no_confirmation_for_a_consult_cancelled_before_the_task_ran(consult, mailoutbox):
    Notification.objects.all().delete()
    Consult.objects.filter(pk=consult.pk).update(status=Consult.Status.CANCELLED)
    mailoutbox.clear()
    assert notifications.send_confirmation(consult_id=consult.pk) == 0
    assert mailoutbox == []


def test_reminders_go_out_once_within_the_reminder_window(consult, mailoutbox, settings, case):
    settings.PIKET_REMINDER_MINUTES = 120
    mailoutbox.clear()
    assert notifications.send_due_reminders(now=consult.starts_at - timedelta(hours=3)) == 0
    assert notifications.send_due_reminders(now=consult.starts_at - timedelta(hours=1)) == 2
    assert notifications.send_due_reminders(now=consult.starts_at - timedelta(minutes=30)) == 0
    assert len(mailoutbox) == 2
    assert all("Herinnering" in m.subject for m in mailoutbox)
    assert_no_client_data(full_text(mailoutbox[0]), case)


def test_the_tick_task_sends_due_reminders(consult, mailoutbox, time_machine):
    time_machine.move_to(consult.starts_at - timedelta(minutes=30), tick=False)
    mailoutbox.clear()
    tasks.tick()
    assert len(mailoutbox) == 2


def test_mails_and_task_arguments_hold_no_personal_data(consult, mailoutbox, case):
    for message in mailoutbox:
        assert_no_client_data(full_text(message), case)
