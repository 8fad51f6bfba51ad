"""Mails of the library: entering consultation tells coordinators and those who follow its
legal areas; followers hear of versions and status changes; each mail goes out once. The
owner's reminder past the review-by date (once per period) and the monthly digest."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bestpractices import notifications, services
from bestpractices.models import DigestSubscription, Entry, Notification
from tests.bestpractices.factories import (
    DigestSubscriptionFactory,
    EntryFactory,
    FollowFactory,
    LegalAreaFollowFactory,
    adopted_entry,
)
from tests.cases.factories import LegalAreaFactory

S = Entry.Status
AMS = ZoneInfo("Europe/Amsterdam")


def recipients(mailoutbox) -> list[str]:
    return sorted(address for mail in mailoutbox for address in mail.to)


def test_consultation_tells_coordinators_and_followers_of_its_legal_areas_once(
    anna, ravi, bart, carla, cor, eva, mailoutbox, django_capture_on_commit_callbacks
):
    area = LegalAreaFactory(slug="huurrecht")
    entry = EntryFactory(status=S.DRAFT, author=anna, legal_areas=[area])
    LegalAreaFollowFactory(user=ravi, legal_area=area)
    LegalAreaFollowFactory(user=bart, legal_area=LegalAreaFactory(slug="arbeidsrecht"))
    with django_capture_on_commit_callbacks(execute=True):
        change = services.entry_transition(user=anna, entry=entry, to=S.CONSULTATION)
    assert recipients(mailoutbox) == sorted([carla.email, cor.email, ravi.email])
    assert "In consultatie" in mailoutbox[0].subject
    assert notifications.send_status_change(status_change_id=change.pk) == 0  # a retry
    assert len(mailoutbox) == 3


def test_followers_hear_of_new_versions_and_status_changes_but_not_of_their_own(
    anna, ravi, carla, mailoutbox, django_capture_on_commit_callbacks
):
    entry = EntryFactory(status=S.IDEA, author=anna)
    FollowFactory(entry=entry, user=anna)
    FollowFactory(entry=entry, user=ravi)
    data = services.EntryData(kind=entry.kind, title=entry.title, body="Uitgewerkt.")
    with django_capture_on_commit_callbacks(execute=True):
        services.entry_update(user=anna, entry=entry, data=data)
    assert recipients(mailoutbox) == [ravi.email]
    assert "Nieuwe versie" in mailoutbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        services.entry_transition(user=anna, entry=entry, to=S.DRAFT)
    assert recipients(mailoutbox) == [ravi.email, ravi.email]
    assert Notification.objects.filter(recipient=ravi).count() == 2


def test_the_owner_is_reminded_once_per_period_past_the_review_by_date(anna, time_machine):
    time_machine.move_to(datetime(2026, 3, 2, 9, tzinfo=AMS))
    entry = adopted_entry(author=anna)
    Entry.objects.filter(pk=entry.pk).update(review_by=date(2026, 3, 1))
    from django.core import mail

    assert notifications.remind_reviews() == 1
    assert [m.to for m in mail.outbox] == [[anna.email]]
    assert "Herbeoordeling nodig" in mail.outbox[0].subject
    entry.refresh_from_db()
    assert entry.review_reminded_on == date(2026, 3, 2)
    assert notifications.remind_reviews() == 0  # the same day again
    time_machine.move_to(datetime(2026, 3, 20, 9, tzinfo=AMS))
    assert notifications.remind_reviews() == 0  # within the period
    time_machine.move_to(datetime(2026, 4, 2, 9, tzinfo=AMS))
    assert notifications.remind_reviews() == 1
    assert len(mail.outbox) == 2


def test_reconfirming_ends_the_reminders(anna, time_machine):
    time_machine.move_to(datetime(2026, 3, 2, 9, tzinfo=AMS))
    entry = adopted_entry(author=anna)
    Entry.objects.filter(pk=entry.pk).update(review_by=date(2026, 3, 1))
    entry.refresh_from_db()
    services.entry_review(user=anna, entry=entry, outcome="reconfirmed")
    entry.refresh_from_db()
    assert entry.review_by == date(2026, 3, 2) + timedelta(days=365)
    assert notifications.remind_reviews() == 0


def test_the_monthly_digest_goes_out_once_per_month_with_last_months_entries(
    anna, ravi, time_machine
):
    from django.core import mail

    time_machine.move_to(datetime(2026, 2, 10, 12, tzinfo=AMS))
    february = adopted_entry(title="Vastgesteld in februari")
    time_machine.move_to(datetime(2026, 1, 10, 12, tzinfo=AMS))
    adopted_entry(title="Vastgesteld in januari")
    DigestSubscriptionFactory(user=anna)
    time_machine.move_to(datetime(2026, 3, 1, 8, tzinfo=AMS))
    assert notifications.send_digests() == 1
    (digest,) = mail.outbox
    assert digest.to == [anna.email]
    assert february.title in digest.body and "januari" not in digest.body
    assert notifications.send_digests() == 0  # idempotent within the month
    time_machine.move_to(datetime(2026, 3, 15, 8, tzinfo=AMS))
    assert notifications.send_digests() == 0
    assert DigestSubscription.objects.get(user=anna).last_sent_on == date(2026, 3, 1)
    time_machine.move_to(datetime(2026, 4, 1, 8, tzinfo=AMS))
    assert notifications.send_digests() == 0  # nothing adopted in March: no mail
    assert DigestSubscription.objects.get(user=anna).last_sent_on == date(2026, 4, 1)
