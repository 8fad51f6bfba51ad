"""Piket mails: idempotent tasks, an .ics attachment without client data, reminders."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from accounts.models import Location
from cases.models import LegalArea
from cases.services.cases import identity_set
from cases.vault import Identity
from piket import tasks
from piket.models import AdvocaatProfile, Assignment, Consult, Notification, Roster, Shift
from piket.selectors import free_slots
from piket.services import notifications
from piket.services.booking import consult_book
from tests.cases.test_case_pages import register

QUESTION = "Is een advocaat nodig voor deze huurachterstand, of kan de eerste lijn dit oplossen?"
AMSTERDAM_TZ = timezone.get_default_timezone()


def area(slug: str = "huurrecht") -> LegalArea:
    return LegalArea.objects.get(slug=slug)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=AMSTERDAM_TZ)


def make_shift(
    location: Location, advocaten=(), *, day: date | None = None, start=10, end=12
) -> Shift:
    """A roster and its shift on `day` (tomorrow by default) with these advocaten on duty."""
    day = day or timezone.localdate() + timedelta(days=1)
    creator = advocaten[0]
    roster = Roster.objects.create(
        location=location,
        weekday=day.weekday(),
        start_time=time(start),
        end_time=time(end),
        consult_minutes=15,
        buffer_minutes=5,
        capacity=len(advocaten),
        valid_from=min(day, timezone.localdate()),
        created_by=creator,
    )
    roster.legal_areas.set([area()])
    shift = Shift.objects.create(
        roster=roster,
        location=location,
        date=day,
        starts_at=at(day, start),
        ends_at=at(day, end),
        capacity=len(advocaten),
    )
    for advocaat in advocaten:
        profile, _ = AdvocaatProfile.objects.get_or_create(advocaat=advocaat)
        profile.legal_areas.add(area())
        Assignment.objects.create(shift=shift, advocaat=advocaat, assigned_by=creator)
    return shift


def slot_key(case, starts_at: datetime, now: datetime | None = None) -> str:
    for slot in free_slots(legal_area=area(), location=case.location, now=now, limit=200):
        if slot.starts_at == starts_at:
            return slot.key
    raise AssertionError(f"no free slot at {starts_at}")


def book(user, case, starts_at: datetime, now: datetime | None = None) -> Consult:
    return consult_book(
        user=user,
        case=case,
        legal_area=area(),
        slot_key=slot_key(case, starts_at, now),
        question=QUESTION,
        callback_number="030 123 45 67",
        now=now,
    )


@pytest.fixture
def case(anna, orgs_utrecht):
    case = register(anna, orgs_utrecht["loket"], areas=("huurrecht",))
    identity_set(
        user=anna,
        case=case,
        identity=Identity(full_name="Piet Jansen", birth_date=date(1980, 5, 17)),
    )
    return case


@pytest.fixture
def shift(utrecht, bart):
    return make_shift(utrecht, [bart])


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


def assert_no_client_data(text: str, case) -> None:
    assert QUESTION[:30] not in text
    assert "Piet" not in text and "Jansen" not in text
    assert case.number not in text
    assert "030 123 45 67" not in text


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
