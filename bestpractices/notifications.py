"""Mails of the library: an entry entering consultation (to coordinators and to members who
follow its legal areas), its status changes and new versions (to its followers), the owner's
reminder that an adopted entry is past its review-by date, and the monthly digest.

Each mail is sent once: a Notification row (unique per recipient, kind and event) is written
in the same transaction as the mail is sent, so a retried task sends nothing twice and a mail
that fails rolls its row back. Mails carry titles and links, never case content.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.access import CAPABILITIES
from accounts.models import Membership, User
from bestpractices.models import (
    DigestSubscription,
    Entry,
    Follow,
    LegalAreaFollow,
    Notification,
    Revision,
    Status,
    StatusChange,
)

log = logging.getLogger(__name__)

Kind = Notification.Kind


def send(template: str, recipient: User, context: dict) -> None:
    context = {**context, "recipient": recipient}
    message = EmailMultiAlternatives(
        subject=render_to_string(f"emails/{template}-subject.txt", context).strip(),
        body=render_to_string(f"emails/{template}-body.txt", context),
        to=[recipient.email],
    )
    message.attach_alternative(
        render_to_string(f"emails/{template}-body.html", context), "text/html"
    )
    message.send()


def _once(*, entry: Entry, kind: str, key: str, recipients, template: str, context: dict) -> int:
    sent = 0
    for recipient in recipients:
        with transaction.atomic():
            _row, created = Notification.objects.get_or_create(
                recipient=recipient, kind=kind, key=key, defaults={"entry": entry}
            )
            if created:
                send(template, recipient, context)
                sent += 1
    log.info("library mail %s %s sent=%s", kind, key, sent)
    return sent


def _link(entry: Entry) -> str:
    return settings.SITE_URL + reverse("bestpractices:entry", args=[entry.slug])


def _users_with(capability: str):
    roles = CAPABILITIES[capability]
    return User.objects.filter(
        is_active=True,
        pk__in=Membership.objects.active()
        .filter(role__in=roles, organisation__is_active=True)
        .values("user_id"),
    )


def _followers(entry: Entry):
    return User.objects.filter(
        is_active=True, pk__in=Follow.objects.filter(entry=entry).values("user_id")
    )


def send_status_change(*, status_change_id: int) -> int:
    """Followers hear of every status change. Entering consultation also tells the
    coordinators and the members who follow one of the entry's legal areas. Never the person
    who took the step."""
    change = (
        StatusChange.objects.select_related("entry", "changed_by")
        .filter(pk=status_change_id)
        .first()
    )
    if change is None:
        return 0
    entry = change.entry
    recipients = _followers(entry)
    kind, template = Kind.STATUS, "bp-status"
    if change.to_status == Status.CONSULTATION and change.from_status != Status.CONSULTATION:
        areas = entry.legal_areas.values("pk")
        area_followers = LegalAreaFollow.objects.filter(legal_area__in=areas).values("user_id")
        recipients = (
            recipients
            | _users_with("bestpractices.review")
            | _users_with("bestpractices.take_part").filter(pk__in=area_followers)
        )
        kind, template = Kind.CONSULTATION, "bp-consultation"
    recipients = recipients.exclude(pk=change.changed_by_id).distinct().order_by("pk")
    return _once(
        entry=entry,
        kind=kind,
        key=f"status:{change.pk}",
        recipients=recipients,
        template=template,
        context={"entry": entry, "change": change, "link": _link(entry)},
    )


def send_new_revision(*, revision_id: int) -> int:
    """Followers hear of a new version (not its author)."""
    revision = Revision.objects.select_related("entry", "author").filter(pk=revision_id).first()
    if revision is None:
        return 0
    entry = revision.entry
    recipients = _followers(entry).exclude(pk=revision.author_id).order_by("pk")
    return _once(
        entry=entry,
        kind=Kind.REVISION,
        key=f"revision:{revision.pk}",
        recipients=recipients,
        template="bp-revision",
        context={"entry": entry, "revision": revision, "link": _link(entry)},
    )


REMINDER_INTERVAL = timedelta(days=30)


def remind_reviews(*, today: date | None = None) -> int:
    """Remind the owner of every adopted entry past its review-by date: once, then again
    after REMINDER_INTERVAL while nobody reviewed it. The day is recorded on the entry."""
    today = today or timezone.localdate()
    due = Entry.objects.past_review(today).filter(
        Q(review_reminded_on__isnull=True) | Q(review_reminded_on__lte=today - REMINDER_INTERVAL)
    )
    reminded = 0
    for pk in due.order_by("review_by", "pk").values_list("pk", flat=True):
        with transaction.atomic():
            entry = Entry.objects.select_for_update().select_related("owner").get(pk=pk)
            if entry.review_reminded_on and entry.review_reminded_on > today - REMINDER_INTERVAL:
                continue
            _once(
                entry=entry,
                kind=Kind.REVIEW_DUE,
                key=f"review:{entry.pk}:{today.isoformat()}",
                recipients=[entry.owner] if entry.owner.is_active else [],
                template="bp-review-due",
                context={"entry": entry, "link": _link(entry)},
            )
            entry.review_reminded_on = today
            entry.save(update_fields=["review_reminded_on"])
            reminded += 1
    return reminded


def _previous_month(today: date) -> tuple[date, date]:
    first = today.replace(day=1)
    start = (first - timedelta(days=1)).replace(day=1)
    return start, first


def send_digests(*, today: date | None = None) -> int:
    """The monthly digest: the entries adopted last month, to those who opted in. Once per
    month per person (DigestSubscription.last_sent_on); a month without new entries sends
    nothing but counts as done."""
    today = today or timezone.localdate()
    start, end = _previous_month(today)
    entries = list(
        Entry.objects.adopted()
        .filter(adopted_at__date__gte=start, adopted_at__date__lt=end)
        .order_by("adopted_at", "pk")
    )
    sent = 0
    due = DigestSubscription.objects.filter(
        Q(last_sent_on__isnull=True) | Q(last_sent_on__lt=today.replace(day=1)),
        user__is_active=True,
    )
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            subscription = (
                DigestSubscription.objects.select_for_update().select_related("user").get(pk=pk)
            )
            if subscription.last_sent_on and subscription.last_sent_on >= today.replace(day=1):
                continue
            if entries:
                links = [(entry, _link(entry)) for entry in entries]
                context = {"entries": links, "month": start, "library": _library_link()}
                send("bp-digest", subscription.user, context)
                sent += 1
            subscription.last_sent_on = today
            subscription.save(update_fields=["last_sent_on"])
    return sent


def _library_link() -> str:
    return settings.SITE_URL + reverse("bestpractices:library")
