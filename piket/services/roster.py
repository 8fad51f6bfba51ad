"""The coordinators' roster editor: recurring piket moments, their exceptions, and the reads of
the overviews built on them (week view, capacity, monthly statements).

A coordinator maintains the rosters of their own locations; any coordinator may maintain the
national rosters (the country-wide hotline per legal area)."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Location, User
from cases.models import AuditEntry
from cases.services.audit import audit_log
from piket.models import (
    Consult,
    Roster,
    RosterException,
    Shift,
)
from piket.selectors import can_manage_location
from piket.services import changes, schedule

ROSTER_FIELDS = (
    "location",
    "weekday",
    "start_time",
    "end_time",
    "consult_minutes",
    "buffer_minutes",
    "capacity",
    "valid_from",
    "valid_until",
)
# Consults that still have to happen: an exception or a change of hours may not silently drop them.
ACTIVE = (Consult.Status.BOOKED, Consult.Status.OFFERED)


# ---------------------------------------------------------------- who may manage what


def _require_location(user: User, location: Location) -> None:
    if not can_manage_location(user, location):
        raise PermissionDenied


# ---------------------------------------------------------------- rosters


def _check_hours(data: dict) -> None:
    start, end = data["start_time"], data["end_time"]
    if end <= start:
        raise ValidationError({"end_time": _("De eindtijd moet na de begintijd liggen.")})
    minutes = (datetime.combine(date.min, end) - datetime.combine(date.min, start)).seconds // 60
    if minutes < data["consult_minutes"]:
        raise ValidationError(
            {"consult_minutes": _("Een consult past niet in dit tijdvak; maak het korter.")}
        )
    if data.get("valid_until") and data["valid_until"] < data["valid_from"]:
        raise ValidationError(
            {"valid_until": _("De einddatum mag niet voor de begindatum liggen.")}
        )
    if not data.get("legal_areas"):
        raise ValidationError({"legal_areas": _("Kies minstens één rechtsgebied.")})


@transaction.atomic
def roster_create(*, user: User, data: dict) -> Roster:
    """A new recurring piket moment; its shifts are generated right away."""
    _require_location(user, data["location"])
    _check_hours(data)
    roster = Roster(created_by=user, **{name: data[name] for name in ROSTER_FIELDS})
    roster.full_clean(exclude=["created_by"])
    roster.save()
    roster.legal_areas.set(data["legal_areas"])
    audit_log(actor=user, action=AuditEntry.Action.CREATE, obj=roster)
    schedule.shifts_generate()
    return roster


@transaction.atomic
def roster_update(*, user: User, roster: Roster, data: dict) -> Roster:
    """Change a roster. Future shifts follow; refused when booked consults would fall outside."""
    roster = Roster.objects.select_for_update().get(pk=roster.pk)
    _require_location(user, roster.location)
    _require_location(user, data["location"])
    _check_hours(data)
    for name in ROSTER_FIELDS:
        setattr(roster, name, data[name])
    roster.full_clean(exclude=["created_by"])
    roster.save(update_fields=list(ROSTER_FIELDS))
    roster.legal_areas.set(data["legal_areas"])
    _future_shifts_follow(user, roster, cancel_booked=data.get("cancel_booked", False))
    audit_log(actor=user, action=AuditEntry.Action.UPDATE, obj=roster)
    schedule.shifts_generate()
    return roster


def _future_shifts_follow(user: User, roster: Roster, *, cancel_booked: bool) -> None:
    today = timezone.localdate()
    shifts = list(
        Shift.objects.select_for_update().filter(roster=roster, date__gt=today, is_cancelled=False)
    )
    exception_days = set(
        RosterException.objects.filter(
            Q(roster=roster) | Q(roster__isnull=True, location=roster.location_id),
            date__gt=today,
        ).values_list("date", flat=True)
    )
    for shift in shifts:
        still_on = (
            shift.date.weekday() == roster.weekday
            and shift.date >= roster.valid_from
            and (roster.valid_until is None or shift.date <= roster.valid_until)
            and shift.location_id == roster.location_id
        )
        if not still_on:
            _clear_consults(
                user,
                _active_consults(shift),
                _("Het piketmoment is gewijzigd."),
                cancel_booked=cancel_booked,
            )
            shift.is_cancelled = True
            shift.save(update_fields=["is_cancelled"])
            continue
        if shift.date in exception_days:
            continue  # the exception's hours stay
        starts_at = schedule.local_datetime(shift.date, roster.start_time)
        ends_at = schedule.local_datetime(shift.date, roster.end_time)
        _move_shift(
            user,
            shift,
            starts_at,
            ends_at,
            capacity=roster.capacity,
            reason=_("De tijden van het piket zijn gewijzigd."),
            cancel_booked=cancel_booked,
        )


@transaction.atomic
def roster_deactivate(*, user: User, roster: Roster, cancel_booked: bool = False) -> Roster:
    """Stop a roster: no new shifts, future shifts lapse (refused while consults are booked)."""
    roster = Roster.objects.select_for_update().get(pk=roster.pk)
    _require_location(user, roster.location)
    for shift in Shift.objects.select_for_update().filter(
        roster=roster, starts_at__gt=timezone.now(), is_cancelled=False
    ):
        _clear_consults(
            user,
            _active_consults(shift),
            _("Het piketmoment is opgeheven."),
            cancel_booked=cancel_booked,
        )
        shift.is_cancelled = True
        shift.save(update_fields=["is_cancelled"])
    roster.is_active = False
    roster.save(update_fields=["is_active"])
    audit_log(actor=user, action=AuditEntry.Action.UPDATE, obj=roster, detail={"actief": False})
    return roster


# ---------------------------------------------------------------- exceptions


@transaction.atomic
def roster_exception_create(*, user: User, data: dict) -> RosterException:
    """A closed day or changed hours, for one roster or every roster at a location.

    Already generated shifts follow at once. Booked consults that would fall outside are
    cancelled with the exception's reason when the coordinator confirmed it (`cancel_booked`);
    otherwise the change is refused."""
    roster: Roster | None = data.get("roster")
    location: Location = roster.location if roster else data["location"]
    _require_location(user, location)
    if roster and data.get("location") and data["location"].pk != roster.location_id:
        raise ValidationError({"roster": _("Dit piketmoment hoort bij een andere locatie.")})
    kind = data["kind"]
    start, end = data.get("start_time"), data.get("end_time")
    if kind == RosterException.Kind.CHANGED and (not start or not end or end <= start):
        raise ValidationError(
            {"end_time": _("Geef bij andere tijden een begin- en een latere eindtijd.")}
        )
    if data["date"] < timezone.localdate():
        raise ValidationError({"date": _("Deze datum ligt in het verleden.")})
    exception = RosterException(
        location=location,
        roster=roster,
        date=data["date"],
        kind=kind,
        start_time=start if kind == RosterException.Kind.CHANGED else None,
        end_time=end if kind == RosterException.Kind.CHANGED else None,
        reason=data.get("reason", ""),
    )
    exception.full_clean()
    exception.save()
    shifts = Shift.objects.select_for_update().filter(date=exception.date, is_cancelled=False)
    if roster:
        shifts = shifts.filter(roster=roster)
    else:
        # A roster's own exception on that day wins over a location-wide one.
        own = RosterException.objects.filter(date=exception.date, roster__isnull=False)
        shifts = shifts.filter(location=location).exclude(roster_id__in=own.values("roster_id"))
    cancel_booked = data.get("cancel_booked", False)
    for shift in shifts:
        if kind == RosterException.Kind.CLOSED:
            _clear_consults(
                user, _active_consults(shift), exception.reason, cancel_booked=cancel_booked
            )
            shift.is_cancelled = True
            shift.save(update_fields=["is_cancelled"])
        else:
            _move_shift(
                user,
                shift,
                schedule.local_datetime(shift.date, start),
                schedule.local_datetime(shift.date, end),
                reason=exception.reason,
                cancel_booked=cancel_booked,
            )
    audit_log(actor=user, action=AuditEntry.Action.CREATE, obj=exception)
    return exception


def _active_consults(shift: Shift) -> QuerySet[Consult]:
    return Consult.objects.filter(shift=shift, status__in=ACTIVE)


def _move_shift(
    user: User,
    shift: Shift,
    starts_at: datetime,
    ends_at: datetime,
    *,
    capacity: int | None = None,
    reason: str,
    cancel_booked: bool,
) -> None:
    outside = _active_consults(shift).filter(Q(starts_at__lt=starts_at) | Q(ends_at__gt=ends_at))
    _clear_consults(user, outside, reason, cancel_booked=cancel_booked)
    shift.starts_at, shift.ends_at = starts_at, ends_at
    fields = ["starts_at", "ends_at"]
    if capacity is not None:
        shift.capacity = capacity
        fields.append("capacity")
    shift.save(update_fields=fields)


def _clear_consults(
    user: User, consults: QuerySet[Consult], reason: str, *, cancel_booked: bool
) -> None:
    """Consults still to come in a closed or shortened piket: cancelled by the coordinator with
    the reason when they confirmed it (both sides are told), otherwise the change is refused."""
    consults = list(consults.filter(starts_at__gt=timezone.now()))
    if not consults:
        return
    if not cancel_booked:
        raise ValidationError(
            {
                "cancel_booked": ngettext(
                    "Op dit piket is al %(count)s consult geboekt dat erbuiten zou vallen. "
                    "Bevestig dat u het annuleert (beide kanten krijgen bericht), of verplaats "
                    "het eerst.",
                    "Op dit piket zijn al %(count)s consulten geboekt die erbuiten zouden "
                    "vallen. Bevestig dat u ze annuleert (beide kanten krijgen bericht), of "
                    "verplaats ze eerst.",
                    len(consults),
                )
                % {"count": len(consults)}
            }
        )
    if not reason.strip():
        raise ValidationError(
            {
                "reason": _(
                    "Geef een reden op: beide kanten van de geannuleerde consulten lezen die."
                )
            }
        )
    for consult in consults:
        changes.consult_cancel_for_closure(user=user, consult=consult, reason=reason)
