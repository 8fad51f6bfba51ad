"""Month figures of the piket: non-personal aggregates for a period and some locations.

The only road by which higher apps (research dashboards, the monthly meeting's report) read
figures about the piket. Everything is counted by PostgreSQL in four queries, whatever the
number of shifts, consults, locations or legal areas. Rows carry ids and names of locations and
legal areas only. Figures per advocaat (monthly statements, who was not reached) are personal
data about advocaten: they stay in piket.selectors, behind the coordinator's access.

The period is [start, end) in local dates (Europe/Amsterdam), as in cases.figures: a consult or
shift counts by its start, a waitlist entry by the moment it was made.

Locations: the national piket is a location of its own (`Location.is_national`). Capacity
counts the shifts held at the given locations. Consults count when their shift is at one of the
locations or their case is (the case's location is where the booking worker sits): so a
location's figures include its own consults on the national piket, in rows whose
`piket_location` is the national one. `locations=None` counts everything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Cast, Coalesce, TruncMonth

from accounts.models import Location
from cases.figures import LOCAL, location_filter, location_ids, period_bounds
from cases.models import YesNoUnsure
from piket.models import OCCUPYING, Assignment, Consult, ConsultAdvice, Shift, WaitlistEntry
from piket.slots import slot_count

Status = Consult.Status
# consults that were booked for their slot, whatever became of them (not moved, not offered)
BOOKED = [Status.BOOKED, Status.HELD, Status.NO_SHOW, Status.NOT_REACHED, Status.CANCELLED]


@dataclass(frozen=True)
class ConsultCounts:
    """Consults whose slot starts in the period, per piket location, location booked from and
    legal area.

    - `booked`: consults booked for such a slot, whatever became of them (held, not held, not
      reached, cancelled, or still to come). A moved consult is not counted again: its new
      slot is. A consult offered from the waitlist counts once the worker took it. A consult
      whose advocaat was not reached and the consult booked in its place count as two.
    - `awaiting_outcome`: still booked: to come, or its outcome not yet recorded.
    - `held`, `no_show` (did not take place), `not_reached` (the advocaat did not call back),
      `cancelled`, `moved`: consults in that state today.
    - `held_with_advice`: held consults for which the advocaat recorded the consult's advice
      (piket.ConsultAdvice), on at least one sub-problem.
    - `lat_avoided`: held consults whose advice answers "ja" to "would a LAT or toevoeging have
      been requested without this consult?" (on at least one sub-problem: a consult counts
      once). The pilot's headline figure, asked per consult; the evaluation could only
      estimate it (15 of 117 consults). Advice given through the case, outside a consult,
      counts for no consult.
    """

    piket_location_id: int
    piket_location_name: str
    piket_is_national: bool
    booked_from_location_id: int
    booked_from_location_name: str
    legal_area_id: int
    legal_area_name: str
    in_pilot_scope: bool
    booked: int
    awaiting_outcome: int
    held: int
    no_show: int
    not_reached: int
    cancelled: int
    moved: int
    held_with_advice: int
    lat_avoided: int


@dataclass(frozen=True)
class CapacityUse:
    """The shifts at one location starting in the period.

    - `shifts`: shifts that went ahead (not cancelled); `cancelled_shifts`: those cancelled.
    - `places`: advocaten the shifts asked for (a shift's capacity); `on_duty`: advocaten
      actually on duty (places filled), both summed over the shifts that went ahead.
    - `slots`: consults that fit (as `piket.slots.slot_times` counts them) times the advocaten
      on duty; `slots_used`: consults occupying one of them (booked, held, not held, not
      reached, or held for the waitlist); cancelled and moved consults free their slot."""

    location_id: int
    location_name: str
    is_national: bool
    shifts: int
    cancelled_shifts: int
    places: int
    on_duty: int
    slots: int
    slots_used: int

    @property
    def occupancy(self) -> float | None:
        """Used slots as a fraction of all slots; None without slots."""
        return self.slots_used / self.slots if self.slots else None


@dataclass(frozen=True)
class LegalAreaCapacity:
    """`CapacityUse` per legal area a shift serves. A shift serving several legal areas counts
    for each: its slots are shared, so these rows do not add up to the location's."""

    location_id: int
    location_name: str
    is_national: bool
    legal_area_id: int
    legal_area_name: str
    shifts: int
    slots: int
    slots_used: int


@dataclass(frozen=True)
class WaitlistCounts:
    """Waitlist entries made in the period by workers of one location for one legal area, by
    their state today: still `waiting`, `offered` a slot now, `booked` (took an offered slot),
    `expired` (the offer lapsed), `withdrawn` (the worker left the list)."""

    location_id: int
    location_name: str
    legal_area_id: int
    legal_area_name: str
    joined: int
    waiting: int
    offered: int
    booked: int
    expired: int
    withdrawn: int


@dataclass(frozen=True)
class PiketFigures:
    """The month figures of the piket for `location_ids` (None: all) in [start, end)."""

    start: date
    end: date
    location_ids: tuple[int, ...] | None
    consults: tuple[ConsultCounts, ...]
    capacity: tuple[CapacityUse, ...]
    capacity_by_legal_area: tuple[LegalAreaCapacity, ...]
    waitlist: tuple[WaitlistCounts, ...]


def month_figures(*, locations: Sequence[Location] | None, start: date, end: date) -> PiketFigures:
    """The figures of the piket at `locations` (None: all) in the local dates [start, end);
    four queries, however many rows."""
    return PiketFigures(
        start=start,
        end=end,
        location_ids=location_ids(locations),
        consults=_consults(locations, start, end),
        capacity=_capacity(locations, start, end),
        capacity_by_legal_area=_capacity_by_legal_area(locations, start, end),
        waitlist=_waitlist(locations, start, end),
    )


def _consults(locations, start: date, end: date) -> tuple[ConsultCounts, ...]:
    since, until = period_bounds(start, end)
    where = Q()
    if locations is not None:
        where = location_filter(locations, "shift__location") | location_filter(
            locations, "case__location"
        )
    advice = ConsultAdvice.objects.filter(consult=OuterRef("pk"))
    held = Q(status=Status.HELD)
    rows = (
        Consult.objects.filter(where, starts_at__gte=since, starts_at__lt=until)
        .values(
            "shift__location_id",
            "shift__location__name",
            "shift__location__is_national",
            "case__location_id",
            "case__location__name",
            "legal_area_id",
            "legal_area__name",
            "legal_area__in_pilot_scope",
        )
        .annotate(
            booked=Count("pk", filter=Q(status__in=BOOKED)),
            awaiting_outcome=Count("pk", filter=Q(status=Status.BOOKED)),
            held=Count("pk", filter=held),
            no_show=Count("pk", filter=Q(status=Status.NO_SHOW)),
            not_reached=Count("pk", filter=Q(status=Status.NOT_REACHED)),
            cancelled=Count("pk", filter=Q(status=Status.CANCELLED)),
            moved=Count("pk", filter=Q(status=Status.MOVED)),
            held_with_advice=Count("pk", filter=held & Q(Exists(advice))),
            lat_avoided=Count(
                "pk",
                filter=held
                & Q(Exists(advice.filter(advice__certificate_otherwise=YesNoUnsure.YES))),
            ),
        )
        .order_by(
            "shift__location__is_national",
            "shift__location__name",
            "case__location__is_national",
            "case__location__name",
            "legal_area__position",
            "legal_area__name",
        )
    )
    return tuple(
        ConsultCounts(
            piket_location_id=row["shift__location_id"],
            piket_location_name=row["shift__location__name"],
            piket_is_national=row["shift__location__is_national"],
            booked_from_location_id=row["case__location_id"],
            booked_from_location_name=row["case__location__name"],
            legal_area_id=row["legal_area_id"],
            legal_area_name=row["legal_area__name"],
            in_pilot_scope=row["legal_area__in_pilot_scope"],
            booked=row["booked"],
            awaiting_outcome=row["awaiting_outcome"],
            held=row["held"],
            no_show=row["no_show"],
            not_reached=row["not_reached"],
            cancelled=row["cancelled"],
            moved=row["moved"],
            held_with_advice=row["held_with_advice"],
            lat_avoided=row["lat_avoided"],
        )
        for row in rows
    )


GOING_AHEAD = Q(is_cancelled=False)  # a cancelled shift offers no slots


def _total(field: str, *, where: Q | None = None) -> Cast:
    """The sum of `field` over the group (0 for none) as an integer: PostgreSQL sums counts
    as numeric."""
    return Cast(Sum(field, filter=where, default=0), IntegerField())


def _count_per_shift(queryset) -> Coalesce:
    """A subquery counting rows of `queryset` (filtered on OuterRef shift), 0 for none."""
    return Coalesce(
        Subquery(queryset.order_by().values("shift").annotate(n=Count("pk")).values("n")), 0
    )


def _shifts(locations, start: date, end: date):
    """Shifts starting in the period at the locations, each with the advocaten on duty and
    its slots for all of them."""
    since, until = period_bounds(start, end)
    on_duty = _count_per_shift(Assignment.objects.filter(shift=OuterRef("pk")))
    return Shift.objects.filter(
        location_filter(locations, "location"), starts_at__gte=since, starts_at__lt=until
    ).alias(shift_on_duty=on_duty, shift_slots=slot_count() * on_duty)


def _capacity(locations, start: date, end: date) -> tuple[CapacityUse, ...]:
    used = _count_per_shift(Consult.objects.filter(shift=OuterRef("pk"), status__in=OCCUPYING))
    rows = (
        _shifts(locations, start, end)
        .alias(shift_used=used)
        .values("location_id", "location__name", "location__is_national")
        .annotate(
            shifts=Count("pk", filter=GOING_AHEAD),
            cancelled_shifts=Count("pk", filter=Q(is_cancelled=True)),
            places=_total("capacity", where=GOING_AHEAD),
            on_duty=_total("shift_on_duty", where=GOING_AHEAD),
            slots=_total("shift_slots", where=GOING_AHEAD),
            slots_used=_total("shift_used", where=GOING_AHEAD),
        )
        .order_by("location__is_national", "location__name")
    )
    return tuple(
        CapacityUse(
            location_id=row["location_id"],
            location_name=row["location__name"],
            is_national=row["location__is_national"],
            shifts=row["shifts"],
            cancelled_shifts=row["cancelled_shifts"],
            places=row["places"],
            on_duty=row["on_duty"],
            slots=row["slots"],
            slots_used=row["slots_used"],
        )
        for row in rows
    )


def _capacity_by_legal_area(locations, start: date, end: date) -> tuple[LegalAreaCapacity, ...]:
    used = _count_per_shift(
        Consult.objects.filter(
            shift=OuterRef("pk"),
            legal_area=OuterRef("roster__legal_areas"),
            status__in=OCCUPYING,
        )
    )
    rows = (
        _shifts(locations, start, end)
        .filter(GOING_AHEAD)
        .alias(area_used=used)
        .values(
            "location_id",
            "location__name",
            "location__is_national",
            "roster__legal_areas",
            "roster__legal_areas__name",
        )
        .annotate(
            shifts=Count("pk"),
            slots=_total("shift_slots"),
            slots_used=_total("area_used"),
        )
        .order_by(
            "location__is_national",
            "location__name",
            "roster__legal_areas__position",
            "roster__legal_areas__name",
        )
    )
    return tuple(
        LegalAreaCapacity(
            location_id=row["location_id"],
            location_name=row["location__name"],
            is_national=row["location__is_national"],
            legal_area_id=row["roster__legal_areas"],
            legal_area_name=row["roster__legal_areas__name"],
            shifts=row["shifts"],
            slots=row["slots"],
            slots_used=row["slots_used"],
        )
        for row in rows
    )


def _waitlist(locations, start: date, end: date) -> tuple[WaitlistCounts, ...]:
    since, until = period_bounds(start, end)
    status = WaitlistEntry.Status
    rows = (
        WaitlistEntry.objects.filter(
            location_filter(locations, "location"), created_at__gte=since, created_at__lt=until
        )
        .values("location_id", "location__name", "legal_area_id", "legal_area__name")
        .annotate(
            joined=Count("pk"),
            waiting=Count("pk", filter=Q(status=status.WAITING)),
            offered=Count("pk", filter=Q(status=status.OFFERED)),
            booked=Count("pk", filter=Q(status=status.BOOKED)),
            expired=Count("pk", filter=Q(status=status.EXPIRED)),
            withdrawn=Count("pk", filter=Q(status=status.CANCELLED)),
        )
        .order_by(
            "location__is_national",
            "location__name",
            "legal_area__position",
            "legal_area__name",
        )
    )
    return tuple(
        WaitlistCounts(
            location_id=row["location_id"],
            location_name=row["location__name"],
            legal_area_id=row["legal_area_id"],
            legal_area_name=row["legal_area__name"],
            joined=row["joined"],
            waiting=row["waiting"],
            offered=row["offered"],
            booked=row["booked"],
            expired=row["expired"],
            withdrawn=row["withdrawn"],
        )
        for row in rows
    )


@dataclass(frozen=True)
class ConsultMonth:
    """Consults booked for a slot in one local month (`month`: its first day), from cases of one
    location, and what became of them. Counted as the same fields of `ConsultCounts`."""

    month: date
    booked_from_location_id: int
    booked_from_location_name: str
    booked: int
    held: int
    awaiting_outcome: int = 0
    no_show: int = 0
    not_reached: int = 0
    cancelled: int = 0
    lat_avoided: int = 0


def consults_by_month(
    *, locations: Sequence[Location] | None, start: date, end: date
) -> tuple[ConsultMonth, ...]:
    """Consults whose slot starts in [start, end), per local month and the case's location; one
    query. Locations as in `month_figures`: the shift's or the case's."""
    since, until = period_bounds(start, end)
    lat_advice = ConsultAdvice.objects.filter(
        consult=OuterRef("pk"), advice__certificate_otherwise=YesNoUnsure.YES
    )
    where = Q()
    if locations is not None:
        where = location_filter(locations, "shift__location") | location_filter(
            locations, "case__location"
        )
    rows = (
        Consult.objects.filter(where, starts_at__gte=since, starts_at__lt=until)
        .annotate(month=TruncMonth("starts_at", tzinfo=LOCAL))
        .values("month", "case__location_id", "case__location__name")
        .annotate(
            booked=Count("pk", filter=Q(status__in=BOOKED)),
            held=Count("pk", filter=Q(status=Status.HELD)),
            awaiting_outcome=Count("pk", filter=Q(status=Status.BOOKED)),
            no_show=Count("pk", filter=Q(status=Status.NO_SHOW)),
            not_reached=Count("pk", filter=Q(status=Status.NOT_REACHED)),
            cancelled=Count("pk", filter=Q(status=Status.CANCELLED)),
            lat_avoided=Count("pk", filter=Q(status=Status.HELD) & Q(Exists(lat_advice))),
        )
        .order_by("month", "case__location__is_national", "case__location__name")
    )
    return tuple(
        ConsultMonth(
            month=row["month"].date(),
            booked_from_location_id=row["case__location_id"],
            booked_from_location_name=row["case__location__name"],
            booked=row["booked"],
            held=row["held"],
            awaiting_outcome=row["awaiting_outcome"],
            no_show=row["no_show"],
            not_reached=row["not_reached"],
            cancelled=row["cancelled"],
            lat_avoided=row["lat_avoided"],
        )
        for row in rows
    )


@dataclass(frozen=True)
class NotReachedCount:
    """Consults whose advocaat was not reached, per location booked from (the first-line
    worker's location), in the period: never per advocaat."""

    location_id: int
    not_reached: int
    booked: int


def not_reached_by_location(*, start: date, end: date) -> tuple[NotReachedCount, ...]:
    """Consults whose slot starts in [start, end) that ended 'advocaat not reached', per
    location of the case, beside the consults booked there; one query. Locations without a
    not-reached consult have no row."""
    since, until = period_bounds(start, end)
    rows = (
        Consult.objects.filter(starts_at__gte=since, starts_at__lt=until)
        .values("case__location_id")
        .annotate(
            not_reached=Count("pk", filter=Q(status=Status.NOT_REACHED)),
            booked=Count("pk", filter=Q(status__in=BOOKED)),
        )
        .filter(not_reached__gt=0)
        .order_by("case__location_id")
    )
    return tuple(
        NotReachedCount(
            location_id=row["case__location_id"],
            not_reached=row["not_reached"],
            booked=row["booked"],
        )
        for row in rows
    )
