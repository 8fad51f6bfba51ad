"""The coordinators' roster editor: recurring piket moments, their exceptions, and the reads of
the overviews built on them (week view, capacity, monthly statements).

A coordinator maintains the rosters of their own locations; any coordinator may maintain the
national rosters (the country-wide hotline per legal area)."""

from __future__ import annotations

import importlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import Location, Membership, Role, User
from cases.models import AuditEntry, LegalArea
from cases.services.audit import audit_log
from piket import selectors
from piket.models import (
    OCCUPYING,
    AdvocaatProfile,
    Assignment,
    Consult,
    Roster,
    RosterException,
    Shift,
    WaitlistEntry,
)
from piket.services import schedule

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


def manageable_locations(user: User) -> list[Location]:
    """The coordinator's own locations, and the national level."""
    own = access.locations_where(user, "piket.manage")
    if not own:
        return []
    national = list(Location.objects.filter(is_national=True, is_active=True))
    return [loc for loc in own if not loc.is_national] + national


def can_manage_location(user: User, location: Location) -> bool:
    if location.is_national:
        return access.can(user, "piket.manage")
    return access.can(user, "piket.manage", location)


def rosters_for(user: User) -> QuerySet[Roster]:
    return (
        Roster.objects.filter(location__in=manageable_locations(user))
        .select_related("location")
        .prefetch_related("legal_areas")
        .order_by("-is_active", "location__is_national", "location__name", "weekday", "start_time")
    )


def roster_get_for_user(user: User, pk: int) -> Roster:
    """404 when the roster is not one the coordinator maintains."""
    roster = rosters_for(user).filter(pk=pk).first()
    if roster is None:
        raise Http404
    return roster


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
    _future_shifts_follow(user, roster)
    audit_log(actor=user, action=AuditEntry.Action.UPDATE, obj=roster)
    schedule.shifts_generate()
    return roster


def _future_shifts_follow(user: User, roster: Roster) -> None:
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
            _clear_consults(user, _active_consults(shift), _("Het piketmoment is gewijzigd."))
            shift.is_cancelled = True
            shift.save(update_fields=["is_cancelled"])
            continue
        if shift.date in exception_days:
            continue  # the exception's hours stay
        starts_at = schedule.local_datetime(shift.date, roster.start_time)
        ends_at = schedule.local_datetime(shift.date, roster.end_time)
        _move_shift(user, shift, starts_at, ends_at, capacity=roster.capacity)


@transaction.atomic
def roster_deactivate(*, user: User, roster: Roster) -> Roster:
    """Stop a roster: no new shifts, future shifts lapse (refused while consults are booked)."""
    roster = Roster.objects.select_for_update().get(pk=roster.pk)
    _require_location(user, roster.location)
    for shift in Shift.objects.select_for_update().filter(
        roster=roster, starts_at__gt=timezone.now(), is_cancelled=False
    ):
        _clear_consults(user, _active_consults(shift), _("Het piketmoment is opgeheven."))
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
    cancelled through the booking module when it offers that; otherwise the change is refused."""
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
    reason = exception.reason or _("Het piket is op deze dag gewijzigd.")
    for shift in shifts:
        if kind == RosterException.Kind.CLOSED:
            _clear_consults(user, _active_consults(shift), reason)
            shift.is_cancelled = True
            shift.save(update_fields=["is_cancelled"])
        else:
            _move_shift(
                user,
                shift,
                schedule.local_datetime(shift.date, start),
                schedule.local_datetime(shift.date, end),
                reason=reason,
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
    reason: str = "",
) -> None:
    outside = _active_consults(shift).filter(Q(starts_at__lt=starts_at) | Q(ends_at__gt=ends_at))
    _clear_consults(user, outside, reason or _("De tijden van het piket zijn gewijzigd."))
    shift.starts_at, shift.ends_at = starts_at, ends_at
    fields = ["starts_at", "ends_at"]
    if capacity is not None:
        shift.capacity = capacity
        fields.append("capacity")
    shift.save(update_fields=fields)


def _consult_cancel():
    try:
        return importlib.import_module("piket.services.changes").consult_cancel
    except (ImportError, AttributeError):
        return None


def _clear_consults(user: User, consults: QuerySet[Consult], reason: str) -> None:
    consults = list(consults)
    if not consults:
        return
    refusal = ValidationError(
        _(
            "Op dit piket zijn al %(count)s consulten geboekt die erbuiten zouden vallen. "
            "Annuleer of verplaats die eerst."
        )
        % {"count": len(consults)}
    )
    cancel = _consult_cancel()
    if cancel is None:
        raise refusal
    for consult in consults:
        try:
            cancel(user=user, consult=consult, reason=reason)
        except PermissionDenied:  # only the two sides of a consult may cancel it
            raise refusal from None


# ---------------------------------------------------------------- week view


def week_locations(user: User) -> list[Location]:
    """Locations whose week view the user may see: their own (any piket role) and national."""
    seen: dict[int, Location] = {}
    for capability in ("piket.book", "piket.serve", "piket.manage"):
        for location in access.locations_where(user, capability):
            seen.setdefault(location.pk, location)
    if not seen:
        return []
    for location in Location.objects.filter(is_national=True, is_active=True):
        seen.setdefault(location.pk, location)
    return sorted(seen.values(), key=lambda loc: (loc.is_national, loc.name))


@dataclass
class ShiftRow:
    shift: Shift
    legal_areas: list[LegalArea]
    advocaten: list[User]
    slots: int
    booked: int
    may_sign_up: bool = False
    may_manage: bool = False

    @property
    def free(self) -> int:
        return max(self.slots - self.booked, 0)

    @property
    def is_open(self) -> bool:
        return not self.shift.is_cancelled and len(self.advocaten) < self.shift.capacity


def week_rows(user: User, location: Location, monday: date) -> list[ShiftRow]:
    """The shifts of one week at a location, in a fixed number of queries."""
    start = schedule.local_datetime(monday, datetime.min.time())
    end = start + timedelta(days=7)
    shifts = (
        Shift.objects.filter(location=location, starts_at__gte=start, starts_at__lt=end)
        .select_related("roster", "location")
        .prefetch_related("roster__legal_areas", "assignments__advocaat")
        .annotate(booked=Count("consults", filter=Q(consults__status__in=OCCUPYING), distinct=True))
        .order_by("starts_at")
    )
    may_serve = access.can(user, "piket.serve")
    may_manage = can_manage_location(user, location)
    now = timezone.now()
    rows = []
    for shift in shifts:
        advocaten = [a.advocaat for a in shift.assignments.all()]
        slot_count = sum(1 for _slot in selectors.slot_times(shift))
        row = ShiftRow(
            shift=shift,
            legal_areas=list(shift.roster.legal_areas.all()),
            advocaten=advocaten,
            slots=slot_count * len(advocaten),
            booked=shift.booked,
            may_manage=may_manage,
        )
        row.may_sign_up = (
            may_serve
            and row.is_open
            and shift.ends_at > now
            and user.pk not in {a.pk for a in advocaten}
        )
        rows.append(row)
    return rows


# ---------------------------------------------------------------- capacity overview


@dataclass
class CapacityRow:
    location: Location
    legal_area: LegalArea
    shifts: int = 0
    slots: int = 0
    booked: int = 0
    held: int = 0
    waitlist: int = 0

    @property
    def unused(self) -> int:
        return max(self.slots - self.booked, 0)

    @property
    def occupancy(self) -> int | None:
        return round(100 * self.booked / self.slots) if self.slots else None


@dataclass
class CapacityOverview:
    rows: list[CapacityRow] = field(default_factory=list)
    unreachable: list[tuple[str, int]] = field(default_factory=list)


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    first = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    midnight = datetime.min.time()
    return schedule.local_datetime(first, midnight), schedule.local_datetime(following, midnight)


def capacity_overview(user: User, year: int, month: int) -> CapacityOverview:
    """Occupancy per location and legal area in a month; a fixed number of queries.

    A shift serving several legal areas counts for each of them: its slots are shared."""
    locations = {loc.pk: loc for loc in manageable_locations(user)}
    start, end = month_bounds(year, month)
    on_duty = (
        Assignment.objects.filter(shift=OuterRef("pk"))
        .values("shift")
        .annotate(n=Count("pk"))
        .values("n")
    )
    shifts = list(
        Shift.objects.filter(
            location_id__in=locations, starts_at__gte=start, starts_at__lt=end, is_cancelled=False
        )
        .annotate(on_duty=Coalesce(Subquery(on_duty), 0))
        .select_related("roster")
    )
    areas_of_roster: dict[int, list[int]] = defaultdict(list)
    for roster_id, area_id in Roster.legal_areas.through.objects.filter(
        roster_id__in={s.roster_id for s in shifts}
    ).values_list("roster_id", "legalarea_id"):
        areas_of_roster[roster_id].append(area_id)
    areas = {area.pk: area for area in LegalArea.objects.all()}
    rows: dict[tuple[int, int], CapacityRow] = {}

    def row(location_id: int, area_id: int) -> CapacityRow:
        key = (location_id, area_id)
        if key not in rows:
            rows[key] = CapacityRow(locations[location_id], areas[area_id])
        return rows[key]

    for shift in shifts:
        slots = sum(1 for _slot in selectors.slot_times(shift)) * shift.on_duty
        for area_id in areas_of_roster[shift.roster_id]:
            entry = row(shift.location_id, area_id)
            entry.shifts += 1
            entry.slots += slots
    for item in (
        Consult.objects.filter(
            shift__location_id__in=locations,
            starts_at__gte=start,
            starts_at__lt=end,
            status__in=OCCUPYING,
        )
        .values("shift__location_id", "legal_area_id")
        .annotate(booked=Count("pk"), held=Count("pk", filter=Q(status=Consult.Status.HELD)))
    ):
        entry = row(item["shift__location_id"], item["legal_area_id"])
        entry.booked, entry.held = item["booked"], item["held"]
    for item in (
        WaitlistEntry.objects.filter(
            location_id__in=locations,
            status=WaitlistEntry.Status.WAITING,
            earliest__lt=end.date(),
            latest__gte=start.date(),
        )
        .values("location_id", "legal_area_id")
        .annotate(n=Count("pk"))
    ):
        row(item["location_id"], item["legal_area_id"]).waitlist = item["n"]
    unreachable = [
        (item["advocaat__full_name"] or item["advocaat__email"], item["n"])
        for item in Consult.objects.filter(
            shift__location_id__in=locations,
            starts_at__gte=start,
            starts_at__lt=end,
            status=Consult.Status.NOT_REACHED,
        )
        .values("advocaat_id", "advocaat__full_name", "advocaat__email")
        .annotate(n=Count("pk"))
        .order_by("-n", "advocaat__full_name")
    ]
    return CapacityOverview(
        rows=sorted(
            rows.values(),
            key=lambda r: (r.location.is_national, r.location.name, r.legal_area.position),
        ),
        unreachable=unreachable,
    )


# ---------------------------------------------------------------- monthly statements


@dataclass
class StatementRow:
    advocaat: User
    half_days_served: int
    half_days_committed: int
    held: int
    no_shows: int
    not_reached: int


def statement_advocaten(user: User) -> QuerySet[User]:
    """The advocaten a coordinator makes statements for: those of their own locations."""
    own = [loc for loc in access.locations_where(user, "piket.manage") if not loc.is_national]
    return User.objects.filter(
        pk__in=Membership.objects.active()
        .filter(role=Role.ADVOCAAT, organisation__location__in=own)
        .values("user_id")
    ).order_by("full_name", "pk")


def statement_rows(advocaten: QuerySet[User], year: int, month: int) -> list[StatementRow]:
    """Half-days on duty (ended, not cancelled) and consults per advocaat; four queries."""
    start, end = month_bounds(year, month)
    now = timezone.now()
    people = list(advocaten)
    ids = [p.pk for p in people]
    served = dict(
        Assignment.objects.filter(
            advocaat_id__in=ids,
            shift__is_cancelled=False,
            shift__starts_at__gte=start,
            shift__starts_at__lt=end,
            shift__ends_at__lte=now,
        )
        .values("advocaat_id")
        .annotate(n=Count("pk"))
        .values_list("advocaat_id", "n")
    )
    committed = dict(
        AdvocaatProfile.objects.filter(advocaat_id__in=ids).values_list(
            "advocaat_id", "half_days_per_month"
        )
    )
    consults = {
        item["advocaat_id"]: item
        for item in Consult.objects.filter(
            advocaat_id__in=ids, starts_at__gte=start, starts_at__lt=end
        )
        .values("advocaat_id")
        .annotate(
            held=Count("pk", filter=Q(status=Consult.Status.HELD)),
            no_shows=Count("pk", filter=Q(status=Consult.Status.NO_SHOW)),
            not_reached=Count("pk", filter=Q(status=Consult.Status.NOT_REACHED)),
        )
    }
    empty = {"held": 0, "no_shows": 0, "not_reached": 0}
    return [
        StatementRow(
            advocaat=person,
            half_days_served=served.get(person.pk, 0),
            half_days_committed=committed.get(person.pk, 0),
            held=consults.get(person.pk, empty)["held"],
            no_shows=consults.get(person.pk, empty)["no_shows"],
            not_reached=consults.get(person.pk, empty)["not_reached"],
        )
        for person in people
    ]
