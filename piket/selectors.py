"""Reads of the piket: free consult slots, shifts and consults per person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import groupby

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import Location, User
from cases.models import Case, LegalArea, SubProblem
from cases.selectors import cases_visible_to
from piket.models import OCCUPYING, AdvocaatProfile, Assignment, Consult, Roster, Shift


@dataclass(frozen=True)
class Slot:
    shift: Shift
    starts_at: datetime
    ends_at: datetime
    free_advocaten: tuple[int, ...]

    @property
    def key(self) -> str:
        """How a form names the slot: shift id and start, no personal data."""
        return f"{self.shift.pk}|{timezone.localtime(self.starts_at).isoformat()}"

    @property
    def is_national(self) -> bool:
        return self.shift.location.is_national


def booking_window(now: datetime | None = None) -> tuple[datetime, datetime]:
    now = now or timezone.now()
    return (
        now + timedelta(minutes=settings.PIKET_MIN_NOTICE_MINUTES),
        now + timedelta(days=settings.PIKET_HORIZON_DAYS),
    )


def slot_times(shift: Shift):
    """Start and end of every consult slot in the shift: consult length plus buffer."""
    roster = shift.roster
    step = timedelta(minutes=roster.consult_minutes + roster.buffer_minutes)
    length = timedelta(minutes=roster.consult_minutes)
    start = shift.starts_at
    while start + length <= shift.ends_at:
        yield start, start + length
        start += step


def free_slots(
    *, legal_area: LegalArea, location: Location, now: datetime | None = None, limit: int = 8
) -> list[Slot]:
    """The next free consult slots for a legal area: up to `limit` at the own location first,
    then up to `limit` national ones."""
    return free_slots_by_area(legal_areas=[legal_area], location=location, now=now, limit=limit)[
        legal_area.pk
    ]


def free_slots_by_area(
    *,
    legal_areas: list[LegalArea],
    location: Location,
    now: datetime | None = None,
    limit: int = 8,
) -> dict[int, list[Slot]]:
    """`free_slots` for several legal areas at once, in four queries whatever their number."""
    window_start, window_end = booking_window(now)
    area_ids = [area.pk for area in legal_areas]
    RosterArea = Roster.legal_areas.through
    # location_id IN (...) lets PostgreSQL use the (location, starts_at) index
    locations = Location.objects.filter(Q(pk=location.pk) | Q(is_national=True)).values("pk")
    shifts = list(
        Shift.objects.filter(
            is_cancelled=False,
            starts_at__lt=window_end,
            ends_at__gt=window_start,
            location_id__in=locations,
            roster_id__in=RosterArea.objects.filter(legalarea_id__in=area_ids).values("roster_id"),
        )
        .select_related("roster", "location")
        .order_by("starts_at", "pk")
    )
    shift_ids = [shift.pk for shift in shifts]
    areas_of: dict[int, set[int]] = {}
    for roster_id, area_id in RosterArea.objects.filter(
        roster_id__in={shift.roster_id for shift in shifts}, legalarea_id__in=area_ids
    ).values_list("roster_id", "legalarea_id"):
        areas_of.setdefault(roster_id, set()).add(area_id)
    on_duty: dict[int, list[int]] = {}
    for shift_id, advocaat_id in (
        Assignment.objects.filter(shift_id__in=shift_ids)
        .order_by("pk")
        .values_list("shift_id", "advocaat_id")
    ):
        on_duty.setdefault(shift_id, []).append(advocaat_id)
    occupied = set(
        Consult.objects.filter(shift_id__in=shift_ids, status__in=OCCUPYING).values_list(
            "advocaat_id", "starts_at"
        )
    )
    # an advocaat on duty serves only the legal areas they cover
    qualified = set(
        AdvocaatProfile.legal_areas.through.objects.filter(
            advocaatprofile__advocaat_id__in={a for ids in on_duty.values() for a in ids},
            legalarea_id__in=area_ids,
        ).values_list("advocaatprofile__advocaat_id", "legalarea_id")
    )
    own: dict[int, list[Slot]] = {pk: [] for pk in area_ids}
    national: dict[int, list[Slot]] = {pk: [] for pk in area_ids}
    for shift in shifts:
        wanted = [
            pk
            for pk in areas_of.get(shift.roster_id, ())
            if len((national if shift.location.is_national else own)[pk]) < limit
        ]
        if not wanted or shift.pk not in on_duty:
            continue
        for start, end in slot_times(shift):
            if start < window_start:
                continue
            if start > window_end:
                break
            for pk in wanted:
                free = tuple(
                    a
                    for a in on_duty[shift.pk]
                    if (a, start) not in occupied and (a, pk) in qualified
                )
                if free:
                    slots = national if shift.location.is_national else own
                    slots[pk].append(Slot(shift, start, end, free))
    return {pk: own[pk][:limit] + national[pk][:limit] for pk in area_ids}


def fairest_advocaat(shift: Shift, candidates: tuple[int, ...]) -> list[int]:
    """Candidates ordered fairly: fewest consults in this shift, then in this month."""
    if len(candidates) < 2:
        return list(candidates)
    local = timezone.localtime(shift.starts_at)
    month_start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    counts = {
        row["advocaat_id"]: (row["in_shift"], row["in_month"])
        for row in Consult.objects.filter(advocaat_id__in=candidates, status__in=OCCUPYING)
        .values("advocaat_id")
        .annotate(
            in_shift=Count("pk", filter=Q(shift=shift)),
            in_month=Count("pk", filter=Q(starts_at__gte=month_start)),
        )
    }
    return sorted(candidates, key=lambda a: (*counts.get(a, (0, 0)), a))


def consults_of_advocaat(user: User, day) -> QuerySet[Consult]:
    """The advocaat's consults on a local day that occupy a slot, with what the preparation
    card shows: the case and its sub-problems (pseudonymised: the vault is never touched)."""
    return (
        # not slots held for the waitlist: until accepted, the advocaat has no access to the case
        Consult.objects.filter(advocaat=user, starts_at__date=day, status__in=OCCUPYING)
        .exclude(status=Consult.Status.OFFERED)
        .select_related("case", "legal_area", "booked_by", "shift__location", "subproblem")
        .prefetch_related(
            Prefetch(
                "case__subproblems",
                queryset=SubProblem.objects.select_related("legal_area").order_by("position"),
            )
        )
        .order_by("starts_at")
    )


def shifts_of_advocaat(user: User, day: date) -> QuerySet[Shift]:
    """The shifts the advocaat is on duty for on a local day."""
    return (
        Shift.objects.filter(
            date=day,
            is_cancelled=False,
            pk__in=Assignment.objects.filter(advocaat=user).values("shift_id"),
        )
        .select_related("location", "roster")
        .prefetch_related("roster__legal_areas")
        .order_by("starts_at")
    )


@dataclass(frozen=True)
class AreaSlots:
    """The free slots for one legal area of a case, own location first, then national."""

    legal_area: LegalArea
    own: list[Slot]
    national: list[Slot]

    @property
    def days(self) -> list[tuple[str, date, list[Slot]]]:
        """(label, local day, slots) for the form's fieldsets: own location, then national."""
        groups = []
        for label, slots in (("own", self.own), ("national", self.national)):
            for day, in_day in groupby(slots, key=lambda s: timezone.localdate(s.starts_at)):
                groups.append((label, day, list(in_day)))
        return groups

    @property
    def is_empty(self) -> bool:
        return not (self.own or self.national)


def case_legal_areas(case: Case) -> list[LegalArea]:
    """The distinct legal areas of the case's sub-problems, in sub-problem order."""
    seen: dict[int, LegalArea] = {}
    for sub in case.subproblems.select_related("legal_area").order_by("position"):
        seen.setdefault(sub.legal_area_id, sub.legal_area)
    return list(seen.values())


def booking_options(
    case: Case,
    *,
    legal_areas: list[LegalArea] | None = None,
    now: datetime | None = None,
    limit: int = 8,
) -> list[AreaSlots]:
    """Per legal area of the case: the next free slots at the case's location and nationally."""
    areas = case_legal_areas(case) if legal_areas is None else legal_areas
    by_area = free_slots_by_area(legal_areas=areas, location=case.location, now=now, limit=limit)
    options = []
    for area in areas:
        slots = by_area[area.pk]
        own = [s for s in slots if not s.is_national]
        national = [s for s in slots if s.is_national]
        options.append(AreaSlots(area, own, national))
    return options


def consult_get_for_booker(user: User, pk: int) -> Consult:
    """A consult the user booked on a case they still see, or 404."""
    consult = (
        Consult.objects.filter(pk=pk, booked_by=user, case__in=cases_visible_to(user))
        .select_related("case", "legal_area", "advocaat", "shift__location")
        .first()
    )
    if consult is None:
        raise Http404
    return consult


def consults_booked_by(user: User) -> QuerySet[Consult]:
    return Consult.objects.filter(booked_by=user).select_related(
        "case", "legal_area", "advocaat", "shift__location"
    )
