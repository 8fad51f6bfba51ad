"""Who is on duty: coordinators assign advocaten to shifts, advocaten sign up for open shifts
or hand a shift to a colleague (swap).

The rules hold under concurrency: the advocaat's user row is locked before the overlap and cap
checks, and the shift row before the capacity check, so two simultaneous sign-ups are
serialised and cannot both pass."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import User
from cases.models import AuditEntry
from cases.services.audit import audit_log
from piket import selectors
from piket.models import AdvocaatProfile, Assignment, Consult, Shift, Swap
from piket.services.waitlist import waitlist_fill_shift


def _check_duty(shift: Shift, advocaat: User, *, moving: bool = False) -> None:
    """Raise a Dutch ValidationError unless the advocaat may take this shift.

    Call inside a transaction. `moving`: the assignment changes hands (swap), so the number
    of advocaten on the shift stays the same."""
    User.objects.select_for_update().filter(pk=advocaat.pk).first()
    shift = Shift.objects.select_for_update().select_related("location").get(pk=shift.pk)
    if shift.is_cancelled:
        raise ValidationError(_("Deze piketdienst is vervallen."))
    if shift.ends_at <= timezone.now():
        raise ValidationError(_("Deze piketdienst is al voorbij."))
    if not selectors.can_sign_up(advocaat, shift):
        raise ValidationError(_("Deze persoon is geen advocaat bij het piket van deze locatie."))
    profile = AdvocaatProfile.objects.filter(advocaat=advocaat).first()
    areas = set(shift.roster.legal_areas.values_list("pk", flat=True))
    if profile is None or not areas & set(profile.legal_areas.values_list("pk", flat=True)):
        raise ValidationError(
            _(
                "Deze advocaat dekt geen van de rechtsgebieden van dit piket; een advocaat kan "
                "alleen rechtsgebieden doen die hij of zij dekt."
            )
        )
    mine = Assignment.objects.filter(advocaat=advocaat, shift__is_cancelled=False)
    if mine.filter(shift=shift).exists():
        raise ValidationError(_("Deze advocaat staat al op deze piketdienst."))
    if (
        mine.filter(shift__starts_at__lt=shift.ends_at, shift__ends_at__gt=shift.starts_at)
        .exclude(shift=shift)
        .exists()
    ):
        raise ValidationError(
            _(
                "Deze advocaat heeft op dat moment al een andere piketdienst; diensten mogen "
                "niet overlappen."
            )
        )
    if not moving and shift.assignments.count() >= shift.capacity:
        raise ValidationError(_("Deze piketdienst is al vol."))
    monday = shift.date - timedelta(days=shift.date.weekday())
    in_week = mine.filter(shift__date__gte=monday, shift__date__lt=monday + timedelta(days=7))
    if in_week.count() >= profile.max_shifts_per_week:
        raise ValidationError(
            _("Deze advocaat heeft deze week al het maximum van %(n)s diensten.")
            % {"n": profile.max_shifts_per_week}
        )
    in_month = mine.filter(shift__date__year=shift.date.year, shift__date__month=shift.date.month)
    if in_month.count() >= profile.max_shifts_per_month:
        raise ValidationError(
            _("Deze advocaat heeft deze maand al het maximum van %(n)s diensten.")
            % {"n": profile.max_shifts_per_month}
        )


def _create(user: User, shift: Shift, advocaat: User, how: str) -> Assignment:
    _check_duty(shift, advocaat)
    try:
        with transaction.atomic():
            assignment = Assignment.objects.create(shift=shift, advocaat=advocaat, assigned_by=user)
    except IntegrityError:
        raise ValidationError(_("Deze advocaat staat al op deze piketdienst.")) from None
    audit_log(actor=user, action=AuditEntry.Action.UPDATE, obj=assignment, detail={"piket": how})
    waitlist_fill_shift(shift=shift)  # new capacity goes to whoever waits for it first
    return assignment


@transaction.atomic
def assignment_create(*, user: User, shift: Shift, advocaat: User) -> Assignment:
    """A coordinator of the shift's location (any coordinator for national) puts an advocaat
    on duty."""
    if not selectors.can_manage_shift(user, shift):
        raise PermissionDenied
    return _create(user, shift, advocaat, "ingedeeld")


@transaction.atomic
def shift_sign_up(*, user: User, shift: Shift) -> Assignment:
    """An advocaat signs up for an open shift themself."""
    if not access.can(user, "piket.serve"):
        raise PermissionDenied
    return _create(user, shift, user, "aangemeld")


@transaction.atomic
def assignment_remove(*, user: User, assignment: Assignment) -> None:
    """Take an advocaat off a shift: a coordinator, or the advocaat themself while nothing is
    booked with them (otherwise they offer a swap)."""
    assignment = (
        Assignment.objects.select_for_update()
        .select_related("shift__location")
        .get(pk=assignment.pk)
    )
    is_coordinator = selectors.can_manage_shift(user, assignment.shift)
    if not is_coordinator and assignment.advocaat_id != user.pk:
        raise PermissionDenied
    if Consult.objects.filter(
        shift=assignment.shift,
        advocaat_id=assignment.advocaat_id,
        status__in=(Consult.Status.BOOKED, Consult.Status.OFFERED),
    ).exists():
        raise ValidationError(
            _(
                "Bij deze advocaat zijn al consulten geboekt in deze dienst. Bied de dienst aan "
                "een collega aan, of annuleer de consulten eerst."
            )
        )
    audit_log(
        actor=user, action=AuditEntry.Action.UPDATE, obj=assignment, detail={"piket": "afgemeld"}
    )
    assignment.delete()


# ---------------------------------------------------------------- swaps


@transaction.atomic
def swap_offer(*, user: User, assignment: Assignment, to_advocaat: User) -> Swap:
    """The advocaat on duty offers their shift to a colleague, who is mailed once committed."""
    if assignment.advocaat_id != user.pk:
        raise PermissionDenied
    if to_advocaat.pk == user.pk:
        raise ValidationError({"to_advocaat": _("Kies een collega, niet uzelf.")})
    if assignment.shift.starts_at <= timezone.now():
        raise ValidationError(_("Deze piketdienst is al begonnen."))
    try:
        with transaction.atomic():
            swap = Swap.objects.create(assignment=assignment, to_advocaat=to_advocaat)
    except IntegrityError:
        raise ValidationError(
            _("U heeft deze dienst al aan een collega aangeboden; wacht op het antwoord.")
        ) from None
    audit_log(actor=user, action=AuditEntry.Action.UPDATE, obj=swap, detail={"ruil": "aangeboden"})
    from piket import tasks

    transaction.on_commit(lambda: tasks.send_swap_offer.delay(swap.pk))
    return swap


def _open_swap_for(user: User, swap: Swap) -> Swap:
    swap = (
        Swap.objects.select_for_update()
        .select_related("assignment__shift__location", "assignment__shift__roster")
        .get(pk=swap.pk)
    )
    if swap.to_advocaat_id != user.pk:
        raise PermissionDenied
    if swap.status != Swap.Status.OFFERED:
        raise ValidationError(_("Op dit aanbod is al gereageerd."))
    return swap


@transaction.atomic
def swap_accept(*, user: User, swap: Swap) -> Assignment:
    """The colleague takes over the shift, after the same checks as a sign-up; consults already
    booked with the old advocaat move along."""
    from cases.services.secondline import case_grant_consult

    swap = _open_swap_for(user, swap)
    assignment = Assignment.objects.select_for_update().get(pk=swap.assignment_id)
    shift = swap.assignment.shift
    _check_duty(shift, user, moving=True)
    previous = assignment.advocaat_id
    assignment.advocaat = user
    assignment.save(update_fields=["advocaat"])
    # only what is still to come moves; held, no-show and not-reached stay with who had them
    consults = Consult.objects.filter(
        shift=shift,
        advocaat_id=previous,
        status__in=[Consult.Status.BOOKED, Consult.Status.OFFERED],
    )
    for consult in consults.select_related("case"):
        case_grant_consult(
            case=consult.case, advocaat=user, national_piket=shift.location.is_national
        )
    consults.update(advocaat=user)
    swap.status = Swap.Status.ACCEPTED
    swap.decided_at = timezone.now()
    swap.save(update_fields=["status", "decided_at"])
    audit_log(
        actor=user, action=AuditEntry.Action.UPDATE, obj=swap, detail={"ruil": "geaccepteerd"}
    )
    return assignment


@transaction.atomic
def swap_decline(*, user: User, swap: Swap) -> Swap:
    swap = _open_swap_for(user, swap)
    swap.status = Swap.Status.DECLINED
    swap.decided_at = timezone.now()
    swap.save(update_fields=["status", "decided_at"])
    audit_log(actor=user, action=AuditEntry.Action.UPDATE, obj=swap, detail={"ruil": "afgewezen"})
    return swap


# ---------------------------------------------------------------- profiles


@transaction.atomic
def advocaat_profile_save(*, user: User, advocaat: User, data: dict) -> AdvocaatProfile:
    """A coordinator of the advocaat's location sets what they cover and their limits."""
    if not selectors.can_edit_profile(user, advocaat):
        raise PermissionDenied
    if data["max_shifts_per_week"] > data["max_shifts_per_month"]:
        raise ValidationError(
            {
                "max_shifts_per_week": _(
                    "Het maximum per week kan niet hoger zijn dan het maximum per maand."
                )
            }
        )
    profile, _created = AdvocaatProfile.objects.get_or_create(advocaat=advocaat)
    for name in ("half_days_per_month", "max_shifts_per_week", "max_shifts_per_month"):
        setattr(profile, name, data[name])
    profile.save(
        update_fields=["half_days_per_month", "max_shifts_per_week", "max_shifts_per_month"]
    )
    profile.legal_areas.set(data["legal_areas"])
    audit_log(actor=user, action=AuditEntry.Action.UPDATE, obj=profile)
    return profile
