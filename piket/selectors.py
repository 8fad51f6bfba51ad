"""Reads of the piket: free consult slots, shifts and consults per person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts.models import Location, User
from cases.models import LegalArea
from piket.models import OCCUPYING, Consult, Shift


@dataclass(frozen=True)
class Slot:
    shift: Shift
    starts_at: datetime
    ends_at: datetime
    free_advocaten: tuple[int, ...]

    @property
    def key(self) -> str:
        """How a form names the slot: shift id and start, no personal data."""
        return f"{self.shift.pk}|{self.starts_at.isoformat()}"

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
    """The next free consult slots for a legal area: own location first, then national."""
    window_start, window_end = booking_window(now)
    shifts = list(
        Shift.objects.filter(
            is_cancelled=False,
            starts_at__lt=window_end,
            ends_at__gt=window_start,
            roster__legal_areas=legal_area,
        )
        .filter(Q(location=location) | Q(location__is_national=True))
        .select_related("roster", "location")
        .prefetch_related("assignments")
        .order_by("starts_at")
    )
    occupied = set(
        Consult.objects.filter(shift__in=shifts, status__in=OCCUPYING).values_list(
            "advocaat_id", "starts_at"
        )
    )
    own, national = [], []
    for shift in shifts:
        on_duty = [a.advocaat_id for a in shift.assignments.all()]
        for start, end in slot_times(shift):
            if start < window_start:
                continue
            free = tuple(a for a in on_duty if (a, start) not in occupied)
            if free:
                (national if shift.location.is_national else own).append(
                    Slot(shift, start, end, free)
                )
    return (own + national)[:limit] if own else national[:limit]


def fairest_advocaat(shift: Shift, candidates: tuple[int, ...]) -> list[int]:
    """Candidates ordered fairly: fewest consults in this shift, then in this month."""
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
    return (
        Consult.objects.filter(advocaat=user, starts_at__date=day)
        .select_related("case", "legal_area", "booked_by", "shift__location", "subproblem")
        .order_by("starts_at")
    )


def consults_booked_by(user: User) -> QuerySet[Consult]:
    return Consult.objects.filter(booked_by=user).select_related(
        "case", "legal_area", "advocaat", "shift__location"
    )
