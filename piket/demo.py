"""Demo data of the piket: profiles, rosters per location and national, advocaten on duty in
the coming weeks, and some consults booked, held and waitlisted.

Runs after the cases' demo data (seed_demo). Goes through the services where they apply;
idempotent: running it again adds nothing that is already there."""

from __future__ import annotations

import importlib
from datetime import time, timedelta
from itertools import cycle

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Location, User
from cases.models import Case, LegalArea
from piket import selectors
from piket.models import AdvocaatProfile, Assignment, Consult, Roster, Shift, WaitlistEntry
from piket.services import duty, schedule
from piket.services.booking import consult_book
from piket.slots import slot_key

QUESTION = (
    "Is voor dit deelprobleem een advocaat nodig, of kan de eerste lijn dit zelf afhandelen? "
    "Welke organisatie van de sociale kaart past?"
)
CALLBACK = "030 123 45 67"
LOCAL_ROSTERS = [
    (1, time(9), time(12), [LegalArea.Cluster.CIVIEL]),
    (3, time(13), time(16), [LegalArea.Cluster.WERK_INKOMEN]),
]
NATIONAL_ROSTERS = [
    (0, time(10), time(12), LegalArea.Cluster.VREEMDELINGENRECHT),
    (2, time(10), time(12), LegalArea.Cluster.CIVIEL),
    (4, time(10), time(12), LegalArea.Cluster.WERK_INKOMEN),
]
PAST_DAYS = 14  # a little history, so statements and "held" have something to show


def _optional(module: str, name: str):
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None


def _areas(*clusters) -> list[LegalArea]:
    return list(LegalArea.objects.filter(cluster__in=clusters, in_pilot_scope=True, is_active=True))


def _roster(location, coordinator, weekday, start, end, areas, valid_from) -> Roster:
    roster, created = Roster.objects.get_or_create(
        location=location,
        weekday=weekday,
        start_time=start,
        defaults={"end_time": end, "created_by": coordinator, "valid_from": valid_from},
    )
    if created:
        roster.legal_areas.set(areas)
    return roster


def seed(stdout) -> None:
    today = timezone.localdate()
    valid_from = today - timedelta(days=PAST_DAYS)
    advocaten = {
        loc.pk: User.objects.filter(email=f"advocaat.{loc.slug}@example.org").first()
        for loc in Location.objects.filter(is_national=False)
    }
    coordinators = {
        loc.pk: User.objects.filter(email=f"coordinator.{loc.slug}@example.org").first()
        for loc in Location.objects.filter(is_national=False)
    }
    everything = _areas(*[c for c in LegalArea.Cluster.values if c != LegalArea.Cluster.OUTSIDE])
    for advocaat in filter(None, advocaten.values()):
        profile, created = AdvocaatProfile.objects.get_or_create(
            advocaat=advocaat,
            defaults={
                "half_days_per_month": 6,
                "max_shifts_per_week": 4,
                "max_shifts_per_month": 16,
            },
        )
        if created:
            profile.legal_areas.set(everything)

    rosters = 0
    for location in Location.objects.filter(is_national=False, is_active=True):
        coordinator = coordinators.get(location.pk)
        if coordinator is None:
            continue
        for weekday, start, end, clusters in LOCAL_ROSTERS:
            _roster(location, coordinator, weekday, start, end, _areas(*clusters), valid_from)
            rosters += 1
    national = Location.objects.filter(is_national=True).first()
    any_coordinator = next(filter(None, coordinators.values()), None)
    if national and any_coordinator:
        for weekday, start, end, cluster in NATIONAL_ROSTERS:
            _roster(national, any_coordinator, weekday, start, end, _areas(cluster), valid_from)
            rosters += 1
    created = schedule.shifts_generate(
        today=valid_from, weeks=settings.PIKET_WEEKS_AHEAD + PAST_DAYS // 7
    )

    assigned = _assign(advocaten, coordinators, national, any_coordinator)
    booked, held, waiting = _consults(today)
    stdout.write(
        f"Piket: {rosters} piketmomenten, {created} nieuwe diensten, {assigned} indelingen, "
        f"{booked} consulten geboekt, {held} gehouden, {waiting} op de wachtlijst."
    )


def _assign(advocaten, coordinators, national, any_coordinator) -> int:
    """The location's advocaat on every local shift; national shifts spread over all of them.
    Past shifts are written directly (the service refuses a shift that is over)."""
    now = timezone.now()
    count = 0
    shifts = Shift.objects.filter(is_cancelled=False, assignments__isnull=True).select_related(
        "location", "roster"
    )
    spread = cycle([a for a in advocaten.values() if a is not None] or [None])
    for shift in shifts.order_by("starts_at"):
        if shift.location.is_national:
            advocaat, coordinator = next(spread), any_coordinator
        else:
            advocaat, coordinator = (
                advocaten.get(shift.location_id),
                coordinators.get(shift.location_id),
            )
        if advocaat is None or coordinator is None:
            continue
        if shift.ends_at <= now:
            Assignment.objects.get_or_create(
                shift=shift, advocaat=advocaat, defaults={"assigned_by": coordinator}
            )
            count += 1
            continue
        try:
            duty.assignment_create(user=coordinator, shift=shift, advocaat=advocaat)
            count += 1
        except (ValidationError, PermissionDenied):
            continue  # a cap or an overlap: leave the shift open for sign-ups
    return count


def _consults(today) -> tuple[int, int, int]:
    if Consult.objects.exists():
        return 0, 0, 0
    mark_held = _optional("piket.services.changes", "consult_mark_held")
    waitlist_join = _optional("piket.services.waitlist", "waitlist_join")
    booked = held = waiting = 0
    cases = (
        Case.objects.filter(status__in=[Case.Status.OPEN, Case.Status.WAITING])
        .select_related("location", "registered_by")
        .prefetch_related("subproblems__legal_area")
        .order_by("location_id", "pk")
    )
    per_location: dict[int, int] = {}
    for case in cases:
        if per_location.get(case.location_id, 0) >= 2:
            continue
        subproblem = case.subproblems.all()[0] if case.subproblems.all() else None
        if subproblem is None:
            continue
        slots = selectors.free_slots(legal_area=subproblem.legal_area, location=case.location)
        if not slots:
            continue
        try:
            with transaction.atomic():
                consult_book(
                    user=case.registered_by,
                    case=case,
                    legal_area=subproblem.legal_area,
                    slot_key=slots[0].key,
                    question=QUESTION,
                    callback_number=CALLBACK,
                    subproblem=subproblem,
                )
        except (ValidationError, PermissionDenied):
            continue
        booked += 1
        per_location[case.location_id] = per_location.get(case.location_id, 0) + 1
    if mark_held:
        held = _one_held(cases, mark_held)
    if waitlist_join:
        waiting = _one_waiting(cases, waitlist_join, today)
    return booked, held, waiting


def _one_held(cases, mark_held) -> int:
    """Book a consult in a shift that is over (as if booked back then), and mark it held."""
    past = (
        Shift.objects.filter(
            ends_at__lt=timezone.now(), is_cancelled=False, assignments__isnull=False
        )
        .select_related("location", "roster")
        .order_by("-starts_at")
    )
    for case in cases:
        for subproblem in case.subproblems.all():
            for shift in past.filter(
                roster__legal_areas=subproblem.legal_area, location=case.location
            )[:3]:
                then = shift.starts_at - timedelta(days=1)
                try:
                    with transaction.atomic():
                        consult = consult_book(
                            user=case.registered_by,
                            case=case,
                            legal_area=subproblem.legal_area,
                            slot_key=slot_key(shift.pk, shift.starts_at),
                            question=QUESTION,
                            callback_number=CALLBACK,
                            subproblem=subproblem,
                            now=then,
                        )
                        mark_held(
                            user=consult.advocaat,
                            consult=consult,
                            now=consult.starts_at + timedelta(minutes=20),
                        )
                    return 1
                except (ValidationError, PermissionDenied):
                    continue
    return 0


def _one_waiting(cases, waitlist_join, today) -> int:
    if WaitlistEntry.objects.exists():
        return 0
    for case in cases:
        for subproblem in case.subproblems.all():
            for days in (0, 1, 2, 4):
                try:
                    with transaction.atomic():
                        waitlist_join(
                            user=case.registered_by,
                            case=case,
                            legal_area=subproblem.legal_area,
                            question=QUESTION,
                            callback_number=CALLBACK,
                            earliest=today + timedelta(days=days),
                            latest=today + timedelta(days=days + 1),
                        )
                    return 1
                except (ValidationError, PermissionDenied):
                    continue
    return 0
