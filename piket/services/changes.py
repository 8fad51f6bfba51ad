"""Changes to a booked piket consult: cancel or move (either side, up to the cut-off), cancel
when a coordinator closes the piket, held or no-show (the advocaat, after the start), not reached
(the worker, when the advocaat did not call back). Who may do which is decided in
piket/selectors.py."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from cases.models import AuditEntry
from cases.services.audit import audit_log
from cases.services.secondline import case_grant_consult
from piket import selectors
from piket.localtime import local_datetime
from piket.models import OCCUPYING, Assignment, Consult, Shift
from piket.services import booking, waitlist
from piket.slots import slot_times


def _locked(consult: Consult) -> Consult:
    return (
        Consult.objects.select_for_update(of=("self",))
        .select_related("case", "shift__roster", "shift__location", "advocaat", "legal_area")
        .get(pk=consult.pk)
    )


def _check_change(user: User, consult: Consult, reason: str, now: datetime) -> str:
    if not selectors.is_either_side(user, consult):
        raise PermissionDenied
    if consult.status != Consult.Status.BOOKED:
        raise ValidationError(_("Dit consult is niet (meer) geboekt en kan niet worden gewijzigd."))
    if now > selectors.consult_cutoff(consult):
        raise ValidationError(
            _(
                "Wijzigen kan tot %(minutes)s minuten voor het begin. Bel de andere kant als het "
                "consult toch niet door kan gaan."
            )
            % {"minutes": settings.PIKET_CANCEL_CUTOFF_MINUTES}
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Geef een reden op.")})
    return reason


def _set_status(consult: Consult, status: str, reason: str = "") -> None:
    consult.status = status
    fields = ["status", "updated_at"]
    if reason:
        consult.change_reason = reason
        consult.full_clean(
            exclude=["shift", "case", "advocaat", "legal_area", "booked_by", "subproblem"],
            validate_constraints=False,
        )
        fields.append("change_reason")
    consult.save(update_fields=fields)


def _notify_cancellation(consult: Consult) -> None:
    booking._notify(consult, "cancellation")


@transaction.atomic
def consult_cancel(
    *, user: User, consult: Consult, reason: str, now: datetime | None = None
) -> Consult:
    """Cancel a booked consult with a reason; the slot goes to the waitlist, both sides hear."""
    now = now or timezone.now()
    consult = _locked(consult)
    reason = _check_change(user, consult, reason, now)
    _set_status(consult, Consult.Status.CANCELLED, reason)
    audit_log(
        actor=user,
        action=AuditEntry.Action.STATUS,
        case=consult.case,
        obj=consult,
        reason=reason,
        detail={"piket": "geannuleerd"},
    )
    _notify_cancellation(consult)
    waitlist.waitlist_offer_next(
        shift=consult.shift, starts_at=consult.starts_at, advocaat=consult.advocaat, now=now
    )
    return consult


@transaction.atomic
def consult_cancel_for_closure(
    *, user: User, consult: Consult, reason: str, now: datetime | None = None
) -> Consult:
    """A coordinator closes (part of) a piket: a booked consult still to come is cancelled with
    the reason, also after the cut-off, and both sides hear. A slot held for the waitlist goes
    back: the worker keeps waiting for another. Nothing is offered in the closed time."""
    now = now or timezone.now()
    consult = _locked(consult)
    if not selectors.can_manage_shift(user, consult.shift):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Geef een reden op.")})
    if consult.starts_at <= now or consult.status not in (
        Consult.Status.BOOKED,
        Consult.Status.OFFERED,
    ):
        return consult
    if consult.status == Consult.Status.OFFERED:
        waitlist.waitlist_offer_withdraw(consult=consult)
        return consult
    _set_status(consult, Consult.Status.CANCELLED, reason)
    audit_log(
        actor=user,
        action=AuditEntry.Action.STATUS,
        case=consult.case,
        obj=consult,
        reason=reason,
        detail={"piket": "geannuleerd door coördinator"},
    )
    _notify_cancellation(consult)
    return consult


@transaction.atomic
def consult_move(
    *, user: User, consult: Consult, slot_key: str, reason: str, now: datetime | None = None
) -> Consult:
    """Move a booked consult to another free slot: the old one becomes "verplaatst", a new one is
    booked (on behalf of the worker who booked it), the old slot goes to the waitlist."""
    now = now or timezone.now()
    consult = _locked(consult)
    reason = _check_change(user, consult, reason, now)
    _set_status(consult, Consult.Status.MOVED, reason)
    booker = user if selectors.is_booker_side(user, consult) else consult.booked_by
    new = booking.consult_book(
        user=booker,
        case=consult.case,
        legal_area=consult.legal_area,
        slot_key=slot_key,
        question=consult.question,
        callback_number=consult.callback_number,
        subproblem=consult.subproblem,
        now=now,
    )
    new.replaces = consult
    new.save(update_fields=["replaces", "updated_at"])
    audit_log(
        actor=user,
        action=AuditEntry.Action.STATUS,
        case=consult.case,
        obj=consult,
        reason=reason,
        detail={"piket": "verplaatst", "nieuw": new.pk},
    )
    _notify_cancellation(consult)
    waitlist.waitlist_offer_next(
        shift=consult.shift, starts_at=consult.starts_at, advocaat=consult.advocaat, now=now
    )
    return new


def _after_start(user: User, consult: Consult, status: str, now: datetime | None) -> Consult:
    consult = _locked(consult)
    if not selectors.is_advocaat_side(user, consult):
        raise PermissionDenied
    if consult.status != Consult.Status.BOOKED:
        raise ValidationError(_("Dit consult is niet (meer) geboekt."))
    if (now or timezone.now()) < consult.starts_at:
        raise ValidationError(_("Het consult is nog niet begonnen."))
    _set_status(consult, status)
    audit_log(
        actor=user,
        action=AuditEntry.Action.STATUS,
        case=consult.case,
        obj=consult,
        detail={"piket": status},
    )
    return consult


@transaction.atomic
def consult_mark_held(*, user: User, consult: Consult, now: datetime | None = None) -> Consult:
    """The advocaat records, after the start, that the consult took place."""
    return _after_start(user, consult, Consult.Status.HELD, now)


@transaction.atomic
def consult_mark_no_show(*, user: User, consult: Consult, now: datetime | None = None) -> Consult:
    """The advocaat records, after the start, that the consult did not take place."""
    return _after_start(user, consult, Consult.Status.NO_SHOW, now)


def replacement_window(now: datetime) -> tuple[datetime, datetime]:
    """Where a replacement for an advocaat who did not call back is looked for: the rest of
    today and the next working day (Monday to Friday). The client needs help soon; a slot later
    than that is no replacement but a new booking, which the worker makes (or the waitlist)."""
    next_day = timezone.localdate(now) + timedelta(days=1)
    while next_day.weekday() >= 5:  # Saturday, Sunday
        next_day += timedelta(days=1)
    return now, local_datetime(next_day + timedelta(days=1), time.min)


def _replacement_shifts(consult: Consult, now: datetime):
    """Shifts in the replacement window for the consult's legal area, at the case's location or
    national, each with only the advocaten on duty who cover that legal area."""
    start, end = replacement_window(now)
    qualified = Assignment.objects.filter(
        advocaat__piket_profile__legal_areas=consult.legal_area
    ).order_by("pk")
    return (
        Shift.objects.filter(
            is_cancelled=False,
            starts_at__lt=end,
            ends_at__gt=start,
            roster__legal_areas=consult.legal_area,
        )
        .filter(Q(location=consult.case.location) | Q(location__is_national=True))
        .select_related("roster", "location")
        .prefetch_related(Prefetch("assignments", queryset=qualified))
        .order_by("location__is_national", "starts_at")
    )


@transaction.atomic
def consult_mark_not_reached(
    *, user: User, consult: Consult, now: datetime | None = None
) -> Consult | None:
    """The worker marks that the advocaat did not call back in time. The consult goes to another
    advocaat on duty who covers its legal area, today or on the next working day
    (`replacement_window`; returned), or the coordinators are alerted (None).
    """
    now = now or timezone.now()
    consult = _locked(consult)
    if not selectors.is_booker_side(user, consult):
        raise PermissionDenied
    if consult.status != Consult.Status.BOOKED:
        raise ValidationError(_("Dit consult is niet (meer) geboekt."))
    if now < selectors.not_reached_from(consult):
        raise ValidationError(
            _("Wacht tot %(minutes)s minuten na het begin op het terugbellen van de advocaat.")
            % {"minutes": settings.PIKET_CALLBACK_MINUTES}
        )
    _set_status(consult, Consult.Status.NOT_REACHED)
    audit_log(
        actor=user,
        action=AuditEntry.Action.STATUS,
        case=consult.case,
        obj=consult,
        detail={"piket": "niet_bereikt"},
    )
    replacement = _book_replacement(consult, now)
    from piket import tasks

    transaction.on_commit(lambda: tasks.send_not_reached.delay(consult.pk))
    return replacement


def _book_replacement(consult: Consult, now: datetime) -> Consult | None:
    """The first free slot in the replacement window with another advocaat on duty who covers
    the legal area; at equal times the case's own location before the national piket."""
    shifts = list(_replacement_shifts(consult, now))
    occupied = set(
        Consult.objects.filter(shift__in=shifts, status__in=OCCUPYING).values_list(
            "advocaat_id", "starts_at"
        )
    )
    candidates = sorted(
        (
            (start, shift, advocaat_id)
            for shift in shifts
            for start, _end in slot_times(shift)
            if start >= now
            for advocaat_id in (a.advocaat_id for a in shift.assignments.all())
            if advocaat_id != consult.advocaat_id and (advocaat_id, start) not in occupied
        ),
        key=lambda c: (c[0], c[1].location.is_national, c[1].pk, c[2]),
    )
    for start, shift, advocaat_id in candidates:
        new = Consult(
            shift=shift,
            advocaat_id=advocaat_id,
            starts_at=start,
            ends_at=start + timedelta(minutes=shift.roster.consult_minutes),
            case=consult.case,
            subproblem=consult.subproblem,
            legal_area=consult.legal_area,
            booked_by=consult.booked_by,
            question=consult.question,
            callback_number=consult.callback_number,
            replaces=consult,
        )
        try:
            with transaction.atomic():
                new.save()
                case_grant_consult(
                    case=consult.case,
                    advocaat=new.advocaat,
                    national_piket=shift.location.is_national,
                )
        except (IntegrityError, ValidationError):
            continue
        audit_log(
            actor=None,
            action=AuditEntry.Action.UPDATE,
            case=consult.case,
            obj=new,
            detail={"piket": "geboekt na niet bereikt", "vervangt": consult.pk},
        )
        booking._notify(new, "confirmation")
        return new
    return None
