"""Piket mails: confirmation, reminder, cancellation, waitlist offer, not reached, a shift
offered by a colleague; and the personal calendar feed.

Every mail is idempotent: the Notification row (unique per kind, consult and recipient) is
inserted first, inside the transaction, and a recipient who already has one gets nothing. A
retried task therefore sends no second mail; a mail that fails rolls its row back.
Mails carry time, legal area, location and a link; never the question or anything of the client.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from cases.models import AuditEntry
from cases.services.audit import audit_log
from piket import ics, selectors
from piket.models import CalendarFeed, Consult, Notification, Swap

log = logging.getLogger(__name__)

Kind = Notification.Kind


def _consult(consult_id: int) -> Consult | None:
    return (
        Consult.objects.select_related("legal_area", "shift__location", "advocaat", "booked_by")
        .filter(pk=consult_id)
        .first()
    )


def _mail(*, consult: Consult, kind: str, template: str, recipients, extra=None) -> int:
    """Mail each recipient once per kind and consult; returns how many mails went out.

    One transaction per recipient: the Notification row commits with its own mail, so a task
    retried after a failure halfway sends nothing twice. A "not reached" alert carries no
    calendar file (nothing changes in anyone's agenda).
    """
    sent = 0
    cancelled = kind == Kind.CANCELLATION
    attachment = None
    if kind != Kind.NOT_REACHED:
        attachment = ics.consult_ics(
            consult, cancelled=cancelled, tentative=kind == Kind.WAITLIST_OFFER
        )
    method = "CANCEL" if cancelled else "REQUEST"
    for recipient in {r.pk: r for r in recipients if r is not None and r.is_active}.values():
        with transaction.atomic():
            sent += _mail_one(consult, kind, template, recipient, extra, attachment, method)
    log.info("piket mail %s consult=%s sent=%s", kind, consult.pk, sent)
    return sent


def _mail_one(consult, kind, template, recipient, extra, attachment, method) -> int:
    """One recipient: record the mail and send it, both or neither (the caller's transaction)."""
    _row, created = Notification.objects.get_or_create(
        kind=kind, consult=consult, recipient=recipient
    )
    if not created:
        return 0
    context = {
        "consult": consult,
        "recipient": recipient,
        "is_advocaat": recipient.pk == consult.advocaat_id,
        "starts_at": timezone.localtime(consult.starts_at),
        "ends_at": timezone.localtime(consult.ends_at),
        "link": ics.consult_url(consult),
        "has_calendar": attachment is not None,
        **(extra or {}),
    }
    message = EmailMultiAlternatives(
        subject=render_to_string(f"emails/piket-{template}-subject.txt", context).strip(),
        body=render_to_string(f"emails/piket-{template}-body.txt", context),
        to=[recipient.email],
    )
    message.attach_alternative(
        render_to_string(f"emails/piket-{template}-body.html", context), "text/html"
    )
    if attachment is not None:
        message.attach("piketconsult.ics", attachment, f"text/calendar; method={method}")
    message.send()
    return 1


def send_confirmation(*, consult_id: int) -> int:
    """To the worker who booked and to the advocaat, once the consult is booked."""
    consult = _consult(consult_id)
    if consult is None or consult.status != Consult.Status.BOOKED:
        return 0
    return _mail(
        consult=consult,
        kind=Kind.CONFIRMATION,
        template="confirmation",
        recipients=[consult.booked_by, consult.advocaat],
    )


def send_cancellation(*, consult_id: int) -> int:
    """To both sides when a booked consult was cancelled or moved."""
    consult = _consult(consult_id)
    if consult is None or consult.status not in (
        Consult.Status.CANCELLED,
        Consult.Status.MOVED,
    ):
        return 0
    return _mail(
        consult=consult,
        kind=Kind.CANCELLATION,
        template="cancellation",
        recipients=[consult.booked_by, consult.advocaat],
        extra={"moved": consult.status == Consult.Status.MOVED},
    )


def send_due_reminders(*, now: datetime | None = None) -> int:
    """Remind both sides of booked consults that start within PIKET_REMINDER_MINUTES."""
    now = now or timezone.now()
    due = Consult.objects.filter(
        status=Consult.Status.BOOKED,
        starts_at__gt=now,
        starts_at__lte=now + timedelta(minutes=settings.PIKET_REMINDER_MINUTES),
    ).values_list("pk", flat=True)
    return sum(_send_reminder(consult_id=pk) for pk in due)


def _send_reminder(*, consult_id: int) -> int:
    consult = _consult(consult_id)
    if consult is None or consult.status != Consult.Status.BOOKED:
        return 0
    return _mail(
        consult=consult,
        kind=Kind.REMINDER,
        template="reminder",
        recipients=[consult.booked_by, consult.advocaat],
    )


def send_waitlist_offer(*, consult_id: int) -> int:
    """To the worker on the waitlist: a slot is held for them until the offer expires."""
    consult = _consult(consult_id)
    if consult is None or consult.status != Consult.Status.OFFERED:
        return 0
    return _mail(
        consult=consult,
        kind=Kind.WAITLIST_OFFER,
        template="waitlist-offer",
        recipients=[consult.booked_by],
        extra={"expires_at": timezone.localtime(consult.offer_expires_at)},
    )


def send_not_reached(*, consult_id: int) -> int:
    """The advocaat hears they were not reached; without a replacement, the coordinators too."""
    consult = _consult(consult_id)
    if consult is None or consult.status != Consult.Status.NOT_REACHED:
        return 0
    replaced = Consult.objects.filter(replaces=consult).exclude(
        status__in=[Consult.Status.CANCELLED, Consult.Status.MOVED]
    )
    recipients = [consult.advocaat]
    if not replaced.exists():
        recipients += list(
            selectors.coordinators_of({consult.case.location_id, consult.shift.location_id})
        )
    return _mail(
        consult=consult,
        kind=Kind.NOT_REACHED,
        template="not-reached",
        recipients=recipients,
        extra={"replaced": replaced.exists()},
    )


def send_swap_offer(*, swap_id: int) -> int:
    """To the colleague a shift is offered to, once, while the offer is open. The mail says
    who offers which shift and links to their piket page, where they take it over or decline;
    consults booked in the shift are not described."""
    with transaction.atomic():
        swap = (
            Swap.objects.select_for_update(of=("self",))
            .select_related("assignment__shift__location", "assignment__advocaat", "to_advocaat")
            .filter(pk=swap_id, status=Swap.Status.OFFERED, offer_mailed_at__isnull=True)
            .first()
        )
        if swap is None or not swap.to_advocaat.is_active:
            return 0
        swap.offer_mailed_at = timezone.now()
        swap.save(update_fields=["offer_mailed_at"])
        shift = swap.assignment.shift
        context = {
            "recipient": swap.to_advocaat,
            "offered_by": swap.assignment.advocaat,
            "shift": shift,
            "starts_at": timezone.localtime(shift.starts_at),
            "ends_at": timezone.localtime(shift.ends_at),
            "areas": ", ".join(area.name for area in shift.roster.legal_areas.all()),
            "link": settings.SITE_URL + reverse("piket:profile"),
        }
        message = EmailMultiAlternatives(
            subject=render_to_string("emails/piket-swap-offer-subject.txt", context).strip(),
            body=render_to_string("emails/piket-swap-offer-body.txt", context),
            to=[swap.to_advocaat.email],
        )
        message.attach_alternative(
            render_to_string("emails/piket-swap-offer-body.html", context), "text/html"
        )
        message.send()
    log.info("piket mail swap offer swap=%s", swap_id)
    return 1


@transaction.atomic
def calendar_feed_renew(*, user: User) -> str:
    """A new secret feed token for the user; the old URL stops working. Only its hash is kept."""
    token, token_hash = CalendarFeed.new_token()
    feed, created = CalendarFeed.objects.get_or_create(
        user=user, defaults={"token_hash": token_hash}
    )
    if not created:
        feed.token_hash = token_hash
        feed.created_at = timezone.now()
        feed.save(update_fields=["token_hash", "created_at"])
    audit_log(
        actor=user,
        action=AuditEntry.Action.UPDATE if not created else AuditEntry.Action.CREATE,
        obj=feed,
        detail={"agenda": "nieuwe link"},
    )
    return token
