"""Mails about warm handovers: the receivers hear of a new handover; the sending team and the
location's coordinators hear when nobody confirmed contact with the client ("opgepakt") within
HANDOVER_PICK_UP_WORKING_DAYS working days.

Every mail is idempotent, as the piket's: the HandoverNotification row (unique per kind,
handover and recipient) is inserted first, in one transaction per recipient with its mail, so a
retried task sends nothing twice and a mail that fails rolls its row back. Mails carry the case
number, the sending organisation and a link; never the context, the client or the question.
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

from cases import selectors
from cases.models import Handover, HandoverNotification

log = logging.getLogger(__name__)

Kind = HandoverNotification.Kind


def _handover(handover_id: int) -> Handover | None:
    return (
        Handover.objects.select_related("case", "from_organisation", "to_organisation")
        .filter(pk=handover_id)
        .first()
    )


def _mail(*, handover: Handover, kind: str, template: str, recipients, link: str) -> int:
    sent = 0
    for recipient in recipients:
        with transaction.atomic():
            _row, created = HandoverNotification.objects.get_or_create(
                kind=kind, handover=handover, recipient=recipient
            )
            if not created:
                continue
            context = {
                "handover": handover,
                "recipient": recipient,
                "link": link,
                "working_days": settings.HANDOVER_PICK_UP_WORKING_DAYS,
            }
            message = EmailMultiAlternatives(
                subject=render_to_string(f"emails/{template}-subject.txt", context).strip(),
                body=render_to_string(f"emails/{template}-body.txt", context),
                to=[recipient.email],
            )
            message.attach_alternative(
                render_to_string(f"emails/{template}-body.html", context), "text/html"
            )
            message.send()
            sent += 1
    log.info("handover mail %s handover=%s sent=%s", kind, handover.pk, sent)
    return sent


def send_handover_new(*, handover_id: int) -> int:
    """To the receivers of a handover still waiting for their answer: a link to their inbox."""
    handover = _handover(handover_id)
    if handover is None or handover.status != Handover.Status.PENDING:
        return 0
    return _mail(
        handover=handover,
        kind=Kind.NEW,
        template="handover-new",
        recipients=selectors.handover_receivers(handover),
        link=settings.SITE_URL + reverse("cases:handovers"),
    )


def send_handover_not_picked_up(*, handover_id: int, now: datetime | None = None) -> int:
    """Tell the sending team and the location's coordinators, once, that nobody confirmed
    contact with the client in time; then the handover is flagged (on their inbox and the case
    page). A mail that fails leaves it unflagged, so the next run tries the rest again."""
    handover = _handover(handover_id)
    if handover is None or not handover.awaits_pick_up or handover.not_picked_up_flagged_at:
        return 0
    sent = _mail(
        handover=handover,
        kind=Kind.NOT_PICKED_UP,
        template="handover-not-picked-up",
        recipients=selectors.handover_followers(handover),
        link=settings.SITE_URL + reverse("cases:detail", args=[handover.case.number]),
    )
    Handover.objects.filter(pk=handover.pk, not_picked_up_flagged_at__isnull=True).update(
        not_picked_up_flagged_at=now or timezone.now()
    )
    return sent


def handovers_flag_not_picked_up(*, now: datetime | None = None) -> int:
    """Flag every handover (waiting for an answer, or accepted) whose client nobody confirmed
    picked up by the end of its last working day (`selectors.pick_up_due_on`). Returns how many
    were flagged; running it again flags and mails nothing twice."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    days = settings.HANDOVER_PICK_UP_WORKING_DAYS
    # n working days are at least n calendar days: only older handovers can be due
    candidates = Handover.objects.filter(
        status__in=[Handover.Status.PENDING, Handover.Status.ACCEPTED],
        picked_up_at__isnull=True,
        not_picked_up_flagged_at__isnull=True,
        created_at__lte=now - timedelta(days=days),
    ).order_by("created_at", "pk")
    flagged = 0
    for handover in candidates:
        if selectors.pick_up_due_on(handover) < today:
            send_handover_not_picked_up(handover_id=handover.pk, now=now)
            flagged += 1
    return flagged
