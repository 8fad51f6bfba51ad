"""The piket waitlist: a worker waits for a legal area and period; a freed or new slot is held
for the first in line for PIKET_WAITLIST_HOLD_HOURS, then offered to the next.

The hold is a Consult with status "aangeboden": it occupies the slot, so the exclusion
constraint `consult_no_overlap` keeps anyone else from booking it meanwhile. A slot is offered
only to those waiting for a legal area its advocaat covers.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from cases import selectors as case_selectors
from cases.models import AuditEntry, Case, CaseStatusChange, LegalArea
from cases.services.audit import audit_log
from cases.services.secondline import case_grant_consult
from cases.services.status import case_status_change
from piket import selectors
from piket.models import OCCUPYING, AdvocaatProfile, Consult, Shift, WaitlistEntry
from piket.slots import slot_times


def _notify_offer(consult: Consult) -> None:
    from piket import tasks

    transaction.on_commit(lambda: tasks.send_waitlist_offer.delay(consult.pk))


@transaction.atomic
def waitlist_join(
    *,
    user: User,
    case: Case,
    legal_area: LegalArea,
    question: str,
    callback_number: str,
    earliest: date,
    latest: date,
    now: datetime | None = None,
) -> WaitlistEntry:
    """Put the case on the waitlist for a legal area and period when no slot is free."""
    if not case_selectors.can_book_piket(user, case):
        raise PermissionDenied
    if not case.subproblems.filter(legal_area=legal_area).exists():
        raise ValidationError(
            {"legal_area": _("Dit rechtsgebied hoort niet bij een deelprobleem van deze casus.")}
        )
    today = timezone.localdate(now or timezone.now())
    if earliest < today:
        raise ValidationError({"earliest": _("Kies een datum vanaf vandaag.")})
    if latest < earliest:
        raise ValidationError({"latest": _("De einddatum ligt voor de begindatum.")})
    if latest > today + timedelta(days=settings.PIKET_HORIZON_DAYS):
        raise ValidationError(
            {
                "latest": _("U kunt tot %(days)s dagen vooruit wachten.")
                % {"days": settings.PIKET_HORIZON_DAYS}
            }
        )
    free = selectors.free_slots(legal_area=legal_area, location=case.location, now=now, limit=50)
    if any(earliest <= timezone.localdate(slot.starts_at) <= latest for slot in free):
        raise ValidationError(
            _("Er is in deze periode nog een tijdstip vrij; boek dat in plaats van te wachten.")
        )
    entry = WaitlistEntry(
        case=case,
        legal_area=legal_area,
        location=case.location,
        requested_by=user,
        question=question.strip(),
        callback_number=callback_number.strip(),
        earliest=earliest,
        latest=latest,
    )
    entry.full_clean(exclude=["case", "legal_area", "location", "requested_by"])
    entry.save()
    audit_log(
        actor=user,
        action=AuditEntry.Action.CREATE,
        case=case,
        obj=entry,
        detail={"piket": "wachtlijst"},
    )
    return entry


def _entries_in_line(shift: Shift, starts_at: datetime, advocaat: User):
    """Who waits for this slot: a legal area of the shift that the slot's advocaat covers, a
    period holding the day, the shift's location (or any, for the national piket)."""
    day = timezone.localdate(starts_at)
    entries = WaitlistEntry.objects.filter(
        status=WaitlistEntry.Status.WAITING,
        legal_area__in=shift.roster.legal_areas.all(),
        earliest__lte=day,
        latest__gte=day,
    ).filter(legal_area__in=AdvocaatProfile.objects.filter(advocaat=advocaat).values("legal_areas"))
    if not shift.location.is_national:
        entries = entries.filter(location=shift.location)
    return entries.order_by("created_at", "pk")


@transaction.atomic
def waitlist_offer_next(
    *, shift: Shift, starts_at: datetime, advocaat: User, now: datetime | None = None
) -> Consult | None:
    """Hold a freed slot of `advocaat` for the first in line whose legal area they cover, and
    mail them; None when nobody waits for it."""
    now = now or timezone.now()
    window_start, _end = selectors.booking_window(now)
    if shift.is_cancelled or starts_at < window_start:
        return None
    minutes = shift.roster.consult_minutes
    for entry in _entries_in_line(shift, starts_at, advocaat).select_for_update(skip_locked=True):
        consult = Consult(
            shift=shift,
            advocaat=advocaat,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=minutes),
            case_id=entry.case_id,
            legal_area_id=entry.legal_area_id,
            booked_by_id=entry.requested_by_id,
            question=entry.question,
            callback_number=entry.callback_number,
            status=Consult.Status.OFFERED,
            offer_expires_at=min(
                now + timedelta(hours=settings.PIKET_WAITLIST_HOLD_HOURS), starts_at
            ),
        )
        try:
            with transaction.atomic():
                consult.save()
        except IntegrityError:  # the slot was taken after all
            return None
        entry.status = WaitlistEntry.Status.OFFERED
        entry.offer = consult
        entry.save(update_fields=["status", "offer"])
        audit_log(
            actor=None,
            action=AuditEntry.Action.UPDATE,
            case=entry.case,
            obj=entry,
            detail={"piket": "wachtlijst aangeboden"},
        )
        _notify_offer(consult)
        return consult
    return None


def waitlist_fill_shift(*, shift: Shift, now: datetime | None = None) -> int:
    """New capacity (an advocaat added to a shift): offer each free slot to the waitlist (each
    to someone waiting for a legal area its advocaat covers)."""
    taken = set(
        Consult.objects.filter(shift=shift, status__in=OCCUPYING).values_list(
            "advocaat_id", "starts_at"
        )
    )
    offered = 0
    for assignment in shift.assignments.select_related("advocaat"):
        for start, _end in slot_times(shift):
            if (assignment.advocaat_id, start) in taken:
                continue
            if waitlist_offer_next(
                shift=shift, starts_at=start, advocaat=assignment.advocaat, now=now
            ):
                offered += 1
    return offered


@transaction.atomic
def waitlist_accept(*, user: User, entry: WaitlistEntry, now: datetime | None = None) -> Consult:
    """The worker takes the held slot: the consult becomes booked and both sides are mailed."""
    now = now or timezone.now()
    entry = WaitlistEntry.objects.select_for_update().select_related("case").get(pk=entry.pk)
    if not selectors.can_change_waitlist_entry(user, entry):  # also for the one who asked
        raise PermissionDenied
    consult = (
        Consult.objects.select_for_update(of=("self",))
        .select_related("shift__location")
        .filter(pk=entry.offer_id)
        .first()
        if entry.offer_id
        else None
    )
    if (
        entry.status != WaitlistEntry.Status.OFFERED
        or consult is None
        or consult.status != Consult.Status.OFFERED
        or consult.offer_expires_at is None
        or consult.offer_expires_at <= now
    ):
        raise ValidationError(_("Dit aanbod is niet meer geldig."))
    case_grant_consult(
        case=entry.case,
        advocaat=consult.advocaat,
        national_piket=consult.shift.location.is_national,
    )
    consult.status = Consult.Status.BOOKED
    consult.offer_expires_at = None
    consult.save(update_fields=["status", "offer_expires_at", "updated_at"])
    entry.status = WaitlistEntry.Status.BOOKED
    entry.save(update_fields=["status"])
    if entry.case.status == Case.Status.OPEN:
        case_status_change(
            case=entry.case,
            to=Case.Status.WAITING,
            actor=user,
            reason=CaseStatusChange.Reason.PIKET_BOOKED,
        )
    audit_log(
        actor=user,
        action=AuditEntry.Action.UPDATE,
        case=entry.case,
        obj=consult,
        detail={"piket": "geboekt via wachtlijst"},
    )
    from piket.services.booking import _notify

    _notify(consult, "confirmation")
    return consult


@transaction.atomic
def waitlist_leave(*, user: User, entry: WaitlistEntry) -> None:
    """The worker no longer waits; a slot held for them goes to the next in line."""
    entry = WaitlistEntry.objects.select_for_update().select_related("case").get(pk=entry.pk)
    if not selectors.can_change_waitlist_entry(user, entry):  # also for the one who asked
        raise PermissionDenied
    if entry.status not in (WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED):
        raise ValidationError(_("Deze aanmelding staat niet meer op de wachtlijst."))
    offer = entry.offer if entry.status == WaitlistEntry.Status.OFFERED else None
    entry.status = WaitlistEntry.Status.CANCELLED
    entry.save(update_fields=["status"])
    audit_log(
        actor=user,
        action=AuditEntry.Action.UPDATE,
        case=entry.case,
        obj=entry,
        detail={"piket": "wachtlijst verlaten"},
    )
    if offer is not None and offer.status == Consult.Status.OFFERED:
        _release(offer)


def waitlist_offer_withdraw(*, consult: Consult) -> None:
    """The piket closes where a slot was held for the waitlist: the hold lapses and the worker
    is back in line, first as before (their entry keeps its place)."""
    consult.status = Consult.Status.EXPIRED
    consult.save(update_fields=["status", "updated_at"])
    entry = WaitlistEntry.objects.filter(offer=consult, status=WaitlistEntry.Status.OFFERED).first()
    if entry is not None:
        entry.status, entry.offer = WaitlistEntry.Status.WAITING, None
        entry.save(update_fields=["status", "offer"])
        audit_log(
            actor=None,
            action=AuditEntry.Action.UPDATE,
            case=entry.case,
            obj=entry,
            detail={"piket": "aanbod ingetrokken, weer wachtend"},
        )


def _release(consult: Consult, *, now: datetime | None = None) -> None:
    consult.status = Consult.Status.EXPIRED
    consult.save(update_fields=["status", "updated_at"])
    waitlist_offer_next(
        shift=consult.shift, starts_at=consult.starts_at, advocaat=consult.advocaat, now=now
    )


@transaction.atomic
def expire_offers(*, now: datetime | None = None) -> int:
    """Offers not taken in time expire; each slot goes to the next in line."""
    now = now or timezone.now()
    expired = list(
        Consult.objects.select_for_update(skip_locked=True)
        .filter(status=Consult.Status.OFFERED, offer_expires_at__lte=now)
        .select_related("shift__roster", "shift__location", "advocaat")
    )
    for consult in expired:
        WaitlistEntry.objects.filter(offer=consult, status=WaitlistEntry.Status.OFFERED).update(
            status=WaitlistEntry.Status.EXPIRED
        )
        audit_log(
            actor=None,
            action=AuditEntry.Action.UPDATE,
            case=consult.case,
            obj=consult,
            detail={"piket": "aanbod verlopen"},
        )
        _release(consult, now=now)
    return len(expired)
