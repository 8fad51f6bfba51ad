"""Approval, immutability (service and PostgreSQL trigger), correction by a new version, the
PDF with and without confidential items, and the mails (agenda, minutes, reminders)."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from icalendar import Calendar
from pypdf import PdfReader

from signalering import pdf, services
from signalering.models import ActionItem, Meeting, MinutesVersion
from tests.signalering.factories import at

pytestmark = pytest.mark.django_db

CONFIDENTIAL = "Spanning tussen loket en advocatuur"
OPEN = "Wachttijden schuldhulp"


@pytest.fixture
def minuted(meeting, carla, anna, guest):
    """The meeting minuted: an open item with a decision and an action, a confidential one."""
    item = services.agenda_item_add(user=anna, meeting=meeting, title=OPEN)
    services.agenda_item_minute(
        user=carla,
        item=item,
        minutes="De wachttijd is opgelopen tot zes weken.",
        is_confidential=False,
        is_done=False,
    )
    services.decision_add(user=carla, item=item, text="We vragen de gemeente om cijfers.")
    services.action_add(
        user=carla,
        item=item,
        description="Cijfers opvragen bij de gemeente",
        owner=guest,
        due_date=meeting.date + datetime.timedelta(days=14),
    )
    secret = services.agenda_item_add(user=carla, meeting=meeting, title=CONFIDENTIAL)
    services.agenda_item_minute(
        user=carla,
        item=secret,
        minutes="Gesprek tussen de coördinatoren volgt.",
        is_confidential=True,
        is_done=True,
    )
    return meeting


def _pdf_text(document: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(document)).pages)


def test_the_chair_approves_and_the_version_is_immutable(minuted, carla):
    version = services.minutes_approve(user=carla, meeting=minuted)
    assert (version.number, version.status) == (1, MinutesVersion.Status.APPROVED)
    titles = [item["title"] for item in version.content["items"]]
    assert OPEN in titles and CONFIDENTIAL in titles
    minuted.refresh_from_db()
    assert minuted.report_frozen_at is not None and minuted.status == Meeting.Status.HELD
    item = minuted.items.get(title=OPEN)
    with pytest.raises(ValidationError, match="Het verslag is vastgesteld"):
        services.agenda_item_minute(
            user=carla, item=item, minutes="Later veranderd.", is_confidential=False, is_done=True
        )
    with pytest.raises(ValidationError, match="Het verslag is vastgesteld"):
        services.decision_add(user=carla, item=item, text="Nog een besluit")
    item.refresh_from_db()
    assert item.minutes == "De wachttijd is opgelopen tot zes weken."


def test_postgresql_refuses_changing_or_deleting_approved_minutes(minuted, carla):
    version = services.minutes_approve(user=carla, meeting=minuted)
    table = MinutesVersion._meta.db_table
    for sql in (
        f"UPDATE {table} SET content = '{{}}'::jsonb WHERE id = %s",
        f"UPDATE {table} SET status = 'draft' WHERE id = %s",
        f"DELETE FROM {table} WHERE id = %s",
    ):
        with (
            pytest.raises(IntegrityError, match="approved minutes"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [version.pk])
    version.refresh_from_db()
    assert version.status == MinutesVersion.Status.APPROVED and version.content["items"]


def test_editing_approved_minutes_on_the_page_is_refused_in_dutch(login, minuted, carla):
    services.minutes_approve(user=carla, meeting=minuted)
    item = minuted.items.get(title=OPEN)
    response = login(carla).post(
        reverse("signalering:item", args=[item.pk]), {f"v{item.pk}-minutes": "Anders"}
    )
    assert "Het verslag is vastgesteld en kan niet meer worden gewijzigd" in (
        response.content.decode()
    )
    item.refresh_from_db()
    assert item.minutes == "De wachttijd is opgelopen tot zes weken."


def test_only_the_chair_approves(login, minuted, anna):
    response = login(anna).post(reverse("signalering:minutes_approve", args=[minuted.pk]))
    assert response.status_code == 403
    assert not MinutesVersion.objects.exists()


def test_a_correction_is_a_new_version_that_keeps_the_old_one(login, minuted, carla):
    first = services.minutes_approve(user=carla, meeting=minuted)
    minuted.refresh_from_db()
    frozen = (minuted.report, minuted.report_frozen_at)
    assert frozen[0]["month"] and frozen[1] is not None
    client = login(carla)
    client.post(
        reverse("signalering:minutes_correct", args=[minuted.pk]),
        {"correction_reason": "Besluit verkeerd genoteerd"},
    )
    item = minuted.items.get(title=OPEN)
    services.agenda_item_minute(
        user=carla,
        item=item,
        minutes="De wachttijd is vijf weken.",
        is_confidential=False,
        is_done=False,
    )
    client.post(reverse("signalering:minutes_approve", args=[minuted.pk]))
    first.refresh_from_db()
    second = minuted.versions.get(number=2)
    assert first.status == MinutesVersion.Status.SUPERSEDED
    assert second.status == MinutesVersion.Status.APPROVED
    minutes_of = {v.number: v.content["items"] for v in (first, second)}
    assert "zes weken" in next(i["minutes"] for i in minutes_of[1] if i["title"] == OPEN)
    assert "vijf weken" in next(i["minutes"] for i in minutes_of[2] if i["title"] == OPEN)
    minuted.refresh_from_db()
    assert (minuted.report, minuted.report_frozen_at) == frozen  # the figures stay frozen
    page = client.get(reverse("signalering:meeting", args=[minuted.pk])).content.decode()
    assert "vijf weken" in page and "Versie 1" in page and "Versie 2" in page
    old = client.get(reverse("signalering:minutes_version", args=[first.pk])).content.decode()
    assert "zes weken" in old


def test_the_pdf_has_the_confidential_item_only_in_the_participants_version(minuted, carla):
    version = services.minutes_approve(user=carla, meeting=minuted)
    full = _pdf_text(pdf.minutes_pdf(version.content, confidential=True))
    guests = _pdf_text(pdf.minutes_pdf(version.content, confidential=False))
    assert OPEN in full and CONFIDENTIAL in full
    assert OPEN in guests and "We vragen de gemeente om cijfers." in guests
    assert CONFIDENTIAL not in guests and "coördinatoren volgt" not in guests


def test_the_pdf_is_exported_from_the_meeting_page(login, minuted, carla):
    services.minutes_approve(user=carla, meeting=minuted)
    client = login(carla)
    response = client.get(reverse("signalering:minutes_pdf", args=[minuted.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert CONFIDENTIAL in _pdf_text(response.content)
    response = client.get(reverse("signalering:minutes_pdf", args=[minuted.pk]) + "?gasten=1")
    assert CONFIDENTIAL not in _pdf_text(response.content)


def test_approved_minutes_are_mailed_once_and_the_guest_gets_no_confidential_item(
    minuted, carla, guest, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        version = services.minutes_approve(user=carla, meeting=minuted)
    assert len(mailoutbox) == 3
    assert services.send_minutes(version_id=version.pk) == 0  # never twice
    assert len(mailoutbox) == 3
    to_guest = next(m for m in mailoutbox if m.to == [guest.guest_email])
    html = to_guest.alternatives[0][0]
    assert OPEN in to_guest.body and OPEN in html
    assert CONFIDENTIAL not in to_guest.body and CONFIDENTIAL not in html
    (name, document, mimetype) = to_guest.attachments[0]
    assert mimetype == "application/pdf" and CONFIDENTIAL not in _pdf_text(document)
    to_carla = next(m for m in mailoutbox if m.to == [carla.email])
    assert CONFIDENTIAL in to_carla.body


def test_the_agenda_goes_out_days_before_with_an_ics_once(series, carla, guest, mailoutbox):
    start = at(datetime.date(2031, 3, 20))
    meeting = services.meeting_plan(user=carla, series=series, starts_at=start, place="Zaal 2")
    services.agenda_item_add(user=carla, meeting=meeting, title=CONFIDENTIAL, is_confidential=True)
    with time_machine.travel(datetime.datetime(2031, 3, 10, 8, 0, tzinfo=datetime.UTC)):
        assert services.send_due_agendas() == 0  # ten days before: too early
    with time_machine.travel(datetime.datetime(2031, 3, 15, 8, 0, tzinfo=datetime.UTC)):
        assert services.send_due_agendas() == 3
        assert services.send_due_agendas() == 0
    assert len(mailoutbox) == 3
    to_guest = next(m for m in mailoutbox if m.to == [guest.guest_email])
    assert CONFIDENTIAL not in to_guest.body
    assert CONFIDENTIAL in next(m for m in mailoutbox if m.to == [carla.email]).body
    name, ics, mimetype = to_guest.attachments[0]
    assert mimetype.startswith("text/calendar")
    event = Calendar.from_ical(ics).walk("VEVENT")[0]
    assert event.decoded("dtstart") == start
    assert CONFIDENTIAL not in str(ics)
    # the answer links carry a token whose hash only is stored
    link = next(line for line in to_guest.body.splitlines() if "/antwoord/" in line)
    token = link.split("/antwoord/")[1].split("/")[0]
    attendance = meeting.attendances.get(member=guest)
    assert attendance.response_token_hash == services.token_hash(token) != token


def test_overdue_actions_are_reminded_once_a_week_with_a_link(minuted, carla, guest, mailoutbox):
    action = ActionItem.objects.get()
    day_after = action.due_date + datetime.timedelta(days=1)
    noon = datetime.time(10, 0, tzinfo=datetime.UTC)
    with time_machine.travel(datetime.datetime.combine(action.due_date, noon)):
        assert services.send_action_reminders() == 0  # due today: not late yet
    with time_machine.travel(datetime.datetime.combine(day_after, noon)):
        assert services.send_action_reminders() == 1
        assert services.send_action_reminders() == 0
    with time_machine.travel(
        datetime.datetime.combine(day_after + datetime.timedelta(days=3), noon)
    ):
        assert services.send_action_reminders() == 0
    with time_machine.travel(
        datetime.datetime.combine(day_after + datetime.timedelta(days=7), noon)
    ):
        assert services.send_action_reminders() == 1
    assert [m.to for m in mailoutbox] == [[guest.guest_email]] * 2
    action.refresh_from_db()
    assert action.last_reminded_on == day_after + datetime.timedelta(days=7)
    services.action_set_status(user=carla, action=action, status=ActionItem.Status.DONE)
    with time_machine.travel(
        datetime.datetime.combine(day_after + datetime.timedelta(days=30), noon)
    ):
        assert services.send_action_reminders() == 0


def test_a_participant_is_reminded_with_a_link_to_the_meeting(minuted, carla, anna, mailoutbox):
    item = minuted.items.get(title=OPEN)
    owner = minuted.series.members.get(user=anna)
    action = services.action_add(
        user=carla, item=item, description="Folder maken", owner=owner, due_date=minuted.date
    )
    with time_machine.travel(
        datetime.datetime.combine(
            action.due_date + datetime.timedelta(days=20), datetime.time(9, tzinfo=datetime.UTC)
        )
    ):
        services.send_action_reminders()
    mail = next(m for m in mailoutbox if m.to == [anna.email])
    assert reverse("signalering:meeting", args=[minuted.pk]) in mail.body


def test_the_daily_task_sends_due_agendas_and_reminders(minuted, mailoutbox):
    from signalering import tasks

    action = ActionItem.objects.get()
    late = datetime.datetime.combine(
        action.due_date + datetime.timedelta(days=2), datetime.time(7, tzinfo=datetime.UTC)
    )
    with time_machine.travel(late):
        assert tasks.daily.delay().get() == {"agendas": 0, "reminders": 1}
        assert tasks.daily.delay().get() == {"agendas": 0, "reminders": 0}
