"""Reads of the piket: free consult slots, shifts and consults per person, the rosters a
coordinator manages, and the overviews (week view, capacity, monthly statements)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import groupby

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, Min, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format

from accounts import access
from accounts.models import Location, Membership, Role, User
from cases import related
from cases import selectors as case_selectors
from cases.models import Case, LegalArea, SubProblem
from cases.selectors import cases_visible_to
from piket.dagdelen import half_days_count
from piket.localtime import local_datetime
from piket.models import (
    OCCUPYING,
    AdvocaatProfile,
    Assignment,
    CalendarFeed,
    Consult,
    ConsultAdvice,
    PiketRules,
    Roster,
    Shift,
    Swap,
    WaitlistEntry,
)
from piket.slots import Slot, slot_times

# ---------------------------------------------------------------- access
# Each protected model: `<things>_visible_to(user)` and `<thing>_get_for_user(user, pk, *,
# for_change=False)` (404 when not visible, 403 when visible but not this change), with the
# predicates beside them. See accounts/access.py.


def manageable_locations(user: User) -> list[Location]:
    """The coordinator's own locations, and the national level."""
    own = access.locations_where(user, "piket.manage")
    if not own:
        return []
    national = list(Location.objects.filter(is_national=True, is_active=True))
    return [loc for loc in own if not loc.is_national] + national


def can_manage_location(user: User, location: Location) -> bool:
    """Coordinators manage their own location's piket; any coordinator the national one."""
    if location.is_national:
        return access.can(user, "piket.manage")
    return access.can(user, "piket.manage", location)


def coordinators_of(location_ids: set[int]) -> QuerySet[User]:
    """The active coordinators of these locations (who hear when the piket fails)."""
    return User.objects.filter(
        pk__in=Membership.objects.active()
        .filter(role=Role.COORDINATOR, organisation__location_id__in=location_ids)
        .values("user_id")
    )


# consults


def consults_visible_to(user: User) -> QuerySet[Consult]:
    """The advocaat's own consults, and for first-line workers the consults on the cases they
    see. (Coordinators close a piket through the roster, not through consult pages.)"""
    condition = Q(advocaat_id=user.pk)
    if access.can(user, "piket.book"):
        condition |= Q(case__in=cases_visible_to(user))
    return Consult.objects.filter(condition)


def consult_get_for_user(user: User, pk: int, *, for_change: bool | str = False) -> Consult:
    """The consult, or 404; 403 unless the user is on the side that may make the change:
    `True` (cancel, move: either side), "advocaat" (held, no-show), "booker" (not reached)."""
    consult = (
        consults_visible_to(user)
        .filter(pk=pk)
        .select_related(
            "case__location",
            "legal_area",
            "shift__location",
            "shift__roster",
            "advocaat",
            "booked_by",
        )
        .first()
    )
    if consult is None:
        raise Http404
    access.require_change(user, consult, for_change, CONSULT_CHANGES)
    return consult


def is_booker_side(user: User, consult: Consult) -> bool:
    """The worker's team: whoever may book a piket consult for the case."""
    return case_selectors.can_book_piket(user, consult.case)


def is_advocaat_side(user: User, consult: Consult) -> bool:
    return consult.advocaat_id == user.pk


def is_either_side(user: User, consult: Consult) -> bool:
    return is_booker_side(user, consult) or is_advocaat_side(user, consult)


def can_record_consult_advice(user: User, consult: Consult) -> bool:
    """The consult's advocaat records the advice of the consult, while they may advise on the
    case (not once it is anonymised)."""
    return is_advocaat_side(user, consult) and case_selectors.can_advise(user, consult.case)


CONSULT_CHANGES = {
    "change": is_either_side,
    "advocaat": is_advocaat_side,
    "booker": is_booker_side,
    "advice": can_record_consult_advice,
}


def consult_has_advice(consult: Consult) -> bool:
    """Has the advocaat recorded the advice of this consult?"""
    return consult.advice_links.exists()


def consult_cutoff(consult: Consult) -> datetime:
    """Until when either side may cancel or move the consult."""
    return consult.starts_at - timedelta(minutes=settings.PIKET_CANCEL_CUTOFF_MINUTES)


def not_reached_from(consult: Consult) -> datetime:
    """From when the worker may say the advocaat did not call back."""
    return consult.starts_at + timedelta(minutes=settings.PIKET_CALLBACK_MINUTES)


def can_change_consult(user: User, consult: Consult, now: datetime | None = None) -> bool:
    """Cancel or move now: a booked consult, by either side, up to the cut-off."""
    return consult_actions(user, consult, now=now).can_change


@dataclass(frozen=True)
class ConsultActions:
    """What the user may do with a consult now (the buttons its pages show)."""

    consult: Consult
    is_booker: bool
    is_advocaat: bool
    can_change: bool  # cancel or move
    can_mark_after: bool  # held or no-show: the advocaat, once it has begun
    can_mark_not_reached: bool  # the booker, once the callback time has passed


def consult_actions(
    user: User, consult: Consult, *, now: datetime | None = None, is_booker: bool | None = None
) -> ConsultActions:
    """The actions open to the user; `is_booker` when the caller already knows it for the case
    (a list of consults of one case, or of cases checked at once)."""
    now = now or timezone.now()
    booker = is_booker_side(user, consult) if is_booker is None else is_booker
    advocaat = is_advocaat_side(user, consult)
    booked = consult.status == Consult.Status.BOOKED
    return ConsultActions(
        consult=consult,
        is_booker=booker,
        is_advocaat=advocaat,
        can_change=booked and (booker or advocaat) and now <= consult_cutoff(consult),
        can_mark_after=advocaat and booked and now >= consult.starts_at,
        can_mark_not_reached=booker and booked and now >= not_reached_from(consult),
    )


def case_consults(user: User, case: Case) -> dict:
    """The consults of a case the user sees, with their actions and timeline entries: the piket's
    section of the case page (cases.case_page); two queries whatever their number.

    `case` is the page's case, which the user sees (`case_get_for_user`): of its consults
    `consults_visible_to` leaves a booker all, anyone else their own. Said here directly, so the
    query does not repeat the case's visibility rule as a subquery (issue 9)."""
    consults = Consult.objects.filter(case=case)
    if not access.can(user, "piket.book"):
        consults = consults.filter(advocaat_id=user.pk)
    consults = list(
        consults.select_related("legal_area", "advocaat", "shift__location").order_by(
            "starts_at", "pk"
        )
    )
    may_book = case_selectors.can_book_piket(user, case)
    now = timezone.now()
    rows = [consult_actions(user, c, now=now, is_booker=may_book) for c in consults]
    timeline = [(c.created_at, {"consult": c, "outcome": False}) for c in consults]
    timeline += [
        (c.updated_at, {"consult": c, "outcome": True})
        for c in consults
        if c.status not in (Consult.Status.BOOKED, Consult.Status.OFFERED)
    ]
    return {"case": case, "rows": rows, "may_book": may_book, "timeline": timeline}


MY_CONSULTS_LEFT_OUT = (Consult.Status.OFFERED, Consult.Status.EXPIRED)  # the waitlist's


def my_consults(user: User, now: datetime | None = None) -> tuple[list[ConsultActions], QuerySet]:
    """The consults the worker booked, on cases they still see: those still to come or going on
    (with their actions), and a queryset of the past ones, newest first. Slots offered from the
    waitlist are on the waitlist page."""
    now = now or timezone.now()
    mine = (
        consults_visible_to(user)
        .filter(booked_by=user)
        .exclude(status__in=MY_CONSULTS_LEFT_OUT)
        .select_related("case", "legal_area", "advocaat", "shift__location")
    )
    upcoming = list(mine.filter(ends_at__gt=now).order_by("starts_at", "pk"))
    past = mine.filter(ends_at__lte=now).order_by("-starts_at", "-pk")
    return consult_rows(user, upcoming, now=now), past


def consult_rows(
    user: User, consults: Iterable[Consult], *, now: datetime | None = None
) -> list[ConsultActions]:
    """Consults of several cases with their actions; one query for who may book on which case."""
    consults = list(consults)
    may_book = access.can(user, "piket.book")
    editable = (
        case_selectors.case_ids_editable_by(user, {c.case_id for c in consults})
        if may_book and consults
        else set()
    )
    return [consult_actions(user, c, now=now, is_booker=c.case_id in editable) for c in consults]


def referral_rule_applies(case: Case, advocaat: User) -> bool:
    """The pilot rule: an advocaat who advised on the case through the piket gets no toevoeging
    for it. True when the rule is on and this advocaat had a booked or held consult on the case."""
    return (
        no_toevoeging_after_consult()
        and Consult.objects.filter(
            case=case,
            advocaat=advocaat,
            status__in=[Consult.Status.BOOKED, Consult.Status.HELD],
        ).exists()
    )


# rosters


def rosters_visible_to(user: User) -> QuerySet[Roster]:
    """The rosters of the locations the coordinator manages (their own and national)."""
    return Roster.objects.filter(location__in=manageable_locations(user))


def roster_get_for_user(user: User, pk: int, *, for_change: bool | str = False) -> Roster:
    """404 when the roster is not one the coordinator manages (seeing it is managing it)."""
    roster = rosters_visible_to(user).select_related("location").filter(pk=pk).first()
    if roster is None:
        raise Http404
    return roster


def rosters_for(user: User) -> QuerySet[Roster]:
    """The coordinator's rosters for the list page: active first, own locations before national."""
    return (
        rosters_visible_to(user)
        .select_related("location")
        .prefetch_related("legal_areas")
        .order_by("-is_active", "location__is_national", "location__name", "weekday", "start_time")
    )


# shifts and who is on duty


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


def week_location_get_for_user(user: User, pk: str | None) -> Location:
    """The location whose week the user asks for (the first of theirs when none is given), or
    404 when it is not one of theirs."""
    locations = week_locations(user)
    if not pk:
        return locations[0]
    location = next((loc for loc in locations if str(loc.pk) == pk), None)
    if location is None:
        raise Http404
    return location


def shifts_visible_to(user: User) -> QuerySet[Shift]:
    """The shifts of the locations whose week view the user sees."""
    return Shift.objects.filter(location__in=week_locations(user))


def shift_get_for_user(user: User, pk: int, *, for_change: bool | str = False) -> Shift:
    """404 when the shift is not visible; 403 for `True` (manage who is on duty) unless the user
    manages its location, for "sign_up" unless they are an advocaat of the piket."""
    shift = shifts_visible_to(user).select_related("location", "roster").filter(pk=pk).first()
    if shift is None:
        raise Http404
    access.require_change(user, shift, for_change, SHIFT_CHANGES)
    return shift


def can_manage_shift(user: User, shift: Shift) -> bool:
    return can_manage_location(user, shift.location)


def can_sign_up(user: User, shift: Shift) -> bool:
    if shift.location.is_national:
        return access.can(user, "piket.serve")
    return access.can(user, "piket.serve", shift.location)


SHIFT_CHANGES = {"change": can_manage_shift, "sign_up": can_sign_up}


def assignments_visible_to(user: User) -> QuerySet[Assignment]:
    """Who is on duty in the shifts the user sees (the week view shows it), and their own."""
    return Assignment.objects.filter(
        Q(advocaat_id=user.pk) | Q(shift__location__in=week_locations(user))
    )


def assignment_get_for_user(user: User, pk: int, *, for_change: bool | str = False) -> Assignment:
    """404 when not visible; 403 for `True` (take off the shift: the advocaat or a coordinator)
    or "swap" (offer to a colleague: the advocaat only) when not allowed."""
    assignment = (
        assignments_visible_to(user)
        .select_related("shift__location", "shift__roster", "advocaat")
        .filter(pk=pk)
        .first()
    )
    if assignment is None:
        raise Http404
    access.require_change(user, assignment, for_change, ASSIGNMENT_CHANGES)
    return assignment


def is_own_duty(user: User, assignment: Assignment) -> bool:
    return assignment.advocaat_id == user.pk


def can_remove_assignment(user: User, assignment: Assignment) -> bool:
    return is_own_duty(user, assignment) or can_manage_shift(user, assignment.shift)


ASSIGNMENT_CHANGES = {"change": can_remove_assignment, "swap": is_own_duty}


def swaps_visible_to(user: User) -> QuerySet[Swap]:
    """Swaps offered to the advocaat, and those they offered."""
    return Swap.objects.filter(Q(to_advocaat_id=user.pk) | Q(assignment__advocaat_id=user.pk))


def swap_get_for_user(user: User, pk: int, *, for_change: bool | str = False) -> Swap:
    """404 when not visible; 403 for `True` (answer it) unless it was offered to the user."""
    swap = (
        swaps_visible_to(user)
        .select_related("assignment__shift__location", "assignment__advocaat")
        .filter(pk=pk)
        .first()
    )
    if swap is None:
        raise Http404
    access.require_change(user, swap, for_change, SWAP_CHANGES)
    return swap


def is_offered_to(user: User, swap: Swap) -> bool:
    return swap.to_advocaat_id == user.pk


SWAP_CHANGES = {"change": is_offered_to}


def advocaten_visible_to(user: User) -> QuerySet[User]:
    """The advocaten a coordinator keeps piket profiles and statements for: those with an
    advocaat's membership at one of the coordinator's own locations. A coordinator of the
    national level also keeps those who serve the national piket only (no advocaat's membership
    at a location of their own), who would otherwise be in nobody's statement."""
    own = access.locations_where(user, "piket.manage")
    advocaten = Membership.objects.active().filter(role=Role.ADVOCAAT)
    condition = Q(
        pk__in=advocaten.filter(
            organisation__location__in=[loc for loc in own if not loc.is_national]
        ).values("user_id")
    )
    if any(loc.is_national for loc in own):
        condition |= Q(
            pk__in=advocaten.filter(organisation__location__is_national=True).values("user_id")
        ) & ~Q(pk__in=advocaten.filter(organisation__location__is_national=False).values("user_id"))
    return User.objects.filter(condition).order_by("full_name", "pk")


def advocaat_get_for_user(user: User, pk: int, *, for_change: bool | str = False) -> User:
    """An advocaat the coordinator keeps the profile of, or 404 (seeing is keeping)."""
    advocaat = advocaten_visible_to(user).filter(pk=pk).first()
    if advocaat is None:
        raise Http404
    return advocaat


def can_edit_profile(user: User, advocaat: User) -> bool:
    return any(
        access.can(user, "piket.manage", location)
        for location in access.locations_where(advocaat, "piket.serve")
    )


# waitlist


def waitlist_entries_visible_to(user: User) -> QuerySet[WaitlistEntry]:
    """The worker's own waitlist entries."""
    return WaitlistEntry.objects.filter(requested_by_id=user.pk)


def waitlist_entry_get_for_user(
    user: User, pk: int, *, for_change: bool | str = False
) -> WaitlistEntry:
    """404 when not the user's own; 403 for a change when they no longer work on the case."""
    entry = waitlist_entries_visible_to(user).select_related("case").filter(pk=pk).first()
    if entry is None:
        raise Http404
    access.require_change(user, entry, for_change, WAITLIST_CHANGES)
    return entry


def can_change_waitlist_entry(user: User, entry: WaitlistEntry) -> bool:
    return case_selectors.can_book_piket(user, entry.case)


WAITLIST_CHANGES = {"change": can_change_waitlist_entry}


# ---------------------------------------------------------------- free slots and booking


def booking_window(now: datetime | None = None) -> tuple[datetime, datetime]:
    now = now or timezone.now()
    return (
        now + timedelta(minutes=settings.PIKET_MIN_NOTICE_MINUTES),
        now + timedelta(days=settings.PIKET_HORIZON_DAYS),
    )


def free_slots(
    *, legal_area: LegalArea, location: Location, now: datetime | None = None, limit: int = 8
) -> list[Slot]:
    """The next free consult slots for a legal area, in time order: up to `limit` at the own
    location and up to `limit` national ones (see `free_slots_by_area`)."""
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
    """`free_slots` for several legal areas at once, in four queries whatever their number.

    Each area's slots are in time order; the own location's slot comes first only where a
    national one starts at the same time."""
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
    return {pk: sorted(own[pk][:limit] + national[pk][:limit], key=slot_order) for pk in area_ids}


def slot_order(slot: Slot) -> tuple:
    """Time first; at the same time the own location before the national piket."""
    return (slot.starts_at, slot.is_national, slot.shift.location.name, slot.shift.pk)


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


def _with_preparation(consults: QuerySet[Consult]) -> QuerySet[Consult]:
    """What a preparation card shows (piket/_consult_card.html): the case and its sub-problems
    (pseudonymised: the vault is never touched), and whether the consult's advice is in."""
    return (
        consults.select_related("case", "legal_area", "booked_by", "shift__location", "subproblem")
        .prefetch_related(
            Prefetch(
                "case__subproblems",
                queryset=SubProblem.objects.select_related("legal_area").order_by("position"),
            )
        )
        .annotate(has_advice=Exists(ConsultAdvice.objects.filter(consult=OuterRef("pk"))))
    )


def consults_of_advocaat(user: User, day) -> QuerySet[Consult]:
    """The advocaat's consults on a local day that occupy a slot, with their preparation cards."""
    return _with_preparation(
        # not slots held for the waitlist: until accepted, the advocaat has no access to the case
        Consult.objects.filter(advocaat=user, starts_at__date=day, status__in=OCCUPYING).exclude(
            status=Consult.Status.OFFERED
        )
    ).order_by("starts_at")


def next_piket_day(user: User, today: date) -> date | None:
    """The first local day from `today` on which the advocaat has a shift or a consult (as the
    day view shows them), or None."""
    shift_day = (
        Shift.objects.filter(
            date__gte=today,
            is_cancelled=False,
            pk__in=Assignment.objects.filter(advocaat=user).values("shift_id"),
        )
        .order_by("date")
        .values_list("date", flat=True)
        .first()
    )
    consult_start = (
        Consult.objects.filter(
            advocaat=user,
            starts_at__gte=local_datetime(today, datetime.min.time()),
            status__in=OCCUPYING,
        )
        .exclude(status=Consult.Status.OFFERED)
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    days = [d for d in (shift_day, consult_start and timezone.localdate(consult_start)) if d]
    return min(days, default=None)


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
    """The free slots for one legal area of a case, in time order (national ones marked)."""

    legal_area: LegalArea
    slots: list[Slot]

    @property
    def days(self) -> list[tuple[date, list[Slot]]]:
        """(local day, slots) for the form's fieldsets, day after day."""
        return [
            (day, list(in_day))
            for day, in_day in groupby(self.slots, key=lambda s: timezone.localdate(s.starts_at))
        ]

    @property
    def is_empty(self) -> bool:
        return not self.slots

    @property
    def day_choices(self) -> list[tuple[str, list[SlotChoice]]]:
        """`days` as the booking form shows them: the day's label and, per slot, the radio
        button's value, id and time, formatted here once. In the template these filters and
        lookups cost ~0.5 ms a slot, a third of the booking page (profiled at 32 slots)."""
        area = self.legal_area.pk
        out = []
        for day, slots in self.days:
            choices = [
                SlotChoice(
                    value=f"{area}/{slot.key}",
                    html_id=f"slot-{area}-{slot.shift.pk}-{n}",
                    time=timezone.localtime(slot.starts_at).strftime("%H:%M"),
                    is_national=slot.is_national,
                )
                for n, slot in enumerate(slots, 1)
            ]
            out.append((date_format(day, "l j F"), choices))
        return out


@dataclass(frozen=True)
class SlotChoice:
    """One radio button of the booking form (AreaSlots.day_choices)."""

    value: str
    html_id: str
    time: str
    is_national: bool


def case_legal_areas(case: Case) -> list[LegalArea]:
    """The distinct legal areas of the case's sub-problems, in sub-problem order."""
    seen: dict[int, LegalArea] = {}
    for sub in case.subproblems.select_related("legal_area").order_by("position"):
        seen.setdefault(sub.legal_area_id, sub.legal_area)
    return list(seen.values())


def first_subproblem_in(case: Case, legal_area: LegalArea) -> SubProblem | None:
    """The case's first sub-problem of this legal area: the one a consult is about."""
    return case.subproblems.filter(legal_area=legal_area).order_by("position").first()


def booking_options(
    case: Case,
    *,
    legal_areas: list[LegalArea] | None = None,
    now: datetime | None = None,
    limit: int = 8,
) -> list[AreaSlots]:
    """Per legal area of the case: the next free slots at the case's location and nationally,
    in time order."""
    areas = case_legal_areas(case) if legal_areas is None else legal_areas
    by_area = free_slots_by_area(legal_areas=areas, location=case.location, now=now, limit=limit)
    return [AreaSlots(area, by_area[area.pk]) for area in areas]


# ---------------------------------------------------------------- advice of a consult


def consult_subproblems(consult: Consult) -> list[SubProblem]:
    """The sub-problems a consult answers for: those of its case in the consult's legal area
    (every sub-problem when none is, e.g. after the area was changed), each with, as
    `consult_advice`, the advice recorded for this consult (or None)."""
    subproblems = list(
        SubProblem.objects.filter(case_id=consult.case_id)
        .select_related("legal_area", "kind_of_case")
        .prefetch_related("considered_organisations")
        .order_by("position")
    )
    in_area = [sub for sub in subproblems if sub.legal_area_id == consult.legal_area_id]
    subproblems = in_area or subproblems
    links = {
        link.subproblem_id: link.advice
        for link in ConsultAdvice.objects.filter(consult=consult)
        .select_related("advice")
        .prefetch_related("advice__fitting_organisations")
    }
    for sub in subproblems:
        sub.case = consult.case
        sub.consult_advice = links.get(sub.pk)
    return subproblems


def consults_awaiting_advice(user: User) -> QuerySet[Consult]:
    """The advocaat's held consults without advice yet, oldest first: their to-do list."""
    return (
        Consult.objects.filter(
            advocaat=user, status=Consult.Status.HELD, case__anonymised_at__isnull=True
        )
        .exclude(Exists(ConsultAdvice.objects.filter(consult=OuterRef("pk"))))
        .select_related("case", "legal_area")
        .order_by("starts_at", "pk")
    )


def consults_awaiting_outcome(user: User, now: datetime | None = None) -> QuerySet[Consult]:
    """The advocaat's consults that are over but still "booked": held or not, they should say."""
    return (
        Consult.objects.filter(
            advocaat=user, status=Consult.Status.BOOKED, ends_at__lte=now or timezone.now()
        )
        .select_related("case", "legal_area")
        .order_by("starts_at", "pk")
    )


HOME_LIMIT = 5  # consults per list on the home page; the day view shows the rest


def advocaat_home(user: User) -> dict:
    """The advocaat's day's work on the home page: what is still to do (advice of held
    consults, the outcome of consults that are over), the next shifts, and the consults to come
    with their preparation cards (and what apps above show beside their cases, see
    cases.related). Seven queries and one per related provider, however much there is."""
    now = timezone.now()
    consults = list(
        _with_preparation(
            Consult.objects.filter(advocaat=user, status=Consult.Status.BOOKED, ends_at__gt=now)
        ).order_by("starts_at")[:HOME_LIMIT]
    )
    related.attach(user, [consult.case for consult in consults])
    return {
        "now": now,
        "awaiting_advice": list(consults_awaiting_advice(user)[:HOME_LIMIT]),
        "awaiting_outcome": list(consults_awaiting_outcome(user, now)[:HOME_LIMIT]),
        "shifts": list(
            Shift.objects.filter(
                ends_at__gt=now,
                is_cancelled=False,
                pk__in=Assignment.objects.filter(advocaat=user).values("shift_id"),
            )
            .select_related("location", "roster")
            .prefetch_related("roster__legal_areas")
            .order_by("starts_at")[:3]
        ),
        "consults": consults,
        "swaps_offered": swaps_visible_to(user)
        .filter(to_advocaat=user, status=Swap.Status.OFFERED)
        .count(),
    }


# ---------------------------------------------------------------- duty and profiles


def shift_duty(shift: Shift) -> dict:
    """Who is on duty for the shift and which legal areas it serves (the shift page)."""
    return {
        "assignments": shift.assignments.select_related("advocaat"),
        "legal_areas": shift.roster.legal_areas.all(),
    }


def piket_profile_of(advocaat: User) -> AdvocaatProfile | None:
    return AdvocaatProfile.objects.filter(advocaat=advocaat).prefetch_related("legal_areas").first()


def advocaat_piket(user: User) -> dict:
    """The advocaat's own piket: profile, duties still to come, swaps offered to them."""
    return {
        "profile": piket_profile_of(user),
        "assignments": Assignment.objects.filter(
            advocaat=user, shift__ends_at__gt=timezone.now(), shift__is_cancelled=False
        )
        .select_related("shift__location", "shift__roster")
        .order_by("shift__starts_at"),
        "swaps": swaps_visible_to(user)
        .filter(to_advocaat=user, status=Swap.Status.OFFERED)
        .select_related("assignment__shift__location", "assignment__advocaat"),
    }


# ---------------------------------------------------------------- the pilot's piket rules


def no_toevoeging_after_consult() -> bool:
    """Is the pilot's rule on: an advocaat who advised on a case through the piket gets no
    toevoeging for it? One query by primary key; the default when the row is missing."""
    value = (
        PiketRules.objects.filter(pk=PiketRules.ROW)
        .values_list("no_toevoeging_after_consult", flat=True)
        .first()
    )
    return PiketRules().no_toevoeging_after_consult if value is None else value


def can_change_piket_rules(user: User) -> bool:
    """Coordinators of the national level: the coordinator role in an organisation at the
    national location. The rules hold in the whole pilot, so no local coordinator changes them."""
    return any(location.is_national for location in access.locations_where(user, "piket.manage"))


def piket_rules_get_for_user(user: User) -> PiketRules:
    """The rules, for the page that changes them: 403 for anyone who may not change them."""
    if not can_change_piket_rules(user):
        raise PermissionDenied
    rules = PiketRules.objects.select_related("changed_by").filter(pk=PiketRules.ROW).first()
    return rules or PiketRules()


# ---------------------------------------------------------------- week view


@dataclass
class ShiftRow:
    shift: Shift
    legal_areas: list[LegalArea]
    advocaten: list[User]
    slots: int
    booked: int
    free: int = 0  # slots still bookable: never one in the past
    is_past: bool = False
    may_sign_up: bool = False
    may_manage: bool = False

    @property
    def is_open(self) -> bool:
        return not self.shift.is_cancelled and len(self.advocaten) < self.shift.capacity


def free_slot_count(shift: Shift, *, on_duty: int, booked_ahead: int, bookable_from) -> int:
    """How many slots of the shift can still be booked: those starting from `bookable_from`
    (now plus the minimum notice), one per advocaat on duty, less the consults booked in them."""
    if shift.is_cancelled:
        return 0
    ahead = sum(1 for start, _end in slot_times(shift) if start >= bookable_from)
    return max(ahead * on_duty - booked_ahead, 0)


def _booked_from(moment: datetime) -> Count:
    return Count(
        "consults",
        filter=Q(consults__status__in=OCCUPYING, consults__starts_at__gte=moment),
        distinct=True,
    )


def week_rows(user: User, location: Location, monday: date) -> list[ShiftRow]:
    """The shifts of one week at a location, in a fixed number of queries."""
    start = local_datetime(monday, datetime.min.time())
    end = start + timedelta(days=7)
    now = timezone.now()
    bookable_from, _until = booking_window(now)
    shifts = (
        Shift.objects.filter(location=location, starts_at__gte=start, starts_at__lt=end)
        .select_related("roster", "location")
        .prefetch_related("roster__legal_areas", "assignments__advocaat")
        .annotate(
            booked=Count("consults", filter=Q(consults__status__in=OCCUPYING), distinct=True),
            booked_ahead=_booked_from(bookable_from),
        )
        .order_by("starts_at")
    )
    may_serve = access.can(user, "piket.serve")
    may_manage = can_manage_location(user, location)
    rows = []
    for shift in shifts:
        advocaten = [a.advocaat for a in shift.assignments.all()]
        slot_count = sum(1 for _slot in slot_times(shift))
        row = ShiftRow(
            shift=shift,
            legal_areas=list(shift.roster.legal_areas.all()),
            advocaten=advocaten,
            slots=slot_count * len(advocaten),
            booked=shift.booked,
            free=free_slot_count(
                shift,
                on_duty=len(advocaten),
                booked_ahead=shift.booked_ahead,
                bookable_from=bookable_from,
            ),
            is_past=shift.ends_at <= now,
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


# the week view looks this many shifts ahead for the next free slot
NEXT_FREE_LOOKAHEAD = 200


def week_to_open(location: Location, now: datetime | None = None) -> date:
    """The Monday of the week the week view opens on when no week is asked for: the week of the
    location's next free slot; else of its next shift; else this week."""
    now = now or timezone.now()
    bookable_from, _until = booking_window(now)
    coming = list(
        Shift.objects.filter(location=location, ends_at__gt=bookable_from, is_cancelled=False)
        .select_related("roster")
        .annotate(
            on_duty=Count("assignments", distinct=True), booked_ahead=_booked_from(bookable_from)
        )
        .order_by("starts_at")[:NEXT_FREE_LOOKAHEAD]
    )
    free = (
        shift
        for shift in coming
        if free_slot_count(
            shift,
            on_duty=shift.on_duty,
            booked_ahead=shift.booked_ahead,
            bookable_from=bookable_from,
        )
    )
    shift = next(free, None) or (coming[0] if coming else None)
    day = timezone.localdate(shift.starts_at) if shift else timezone.localdate(now)
    return day - timedelta(days=day.weekday())


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
    return local_datetime(first, midnight), local_datetime(following, midnight)


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
        slots = sum(1 for _slot in slot_times(shift)) * shift.on_duty
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


def statement_rows(advocaten: Iterable[User], year: int, month: int) -> list[StatementRow]:
    """Dagdelen on duty (shifts ended, not cancelled; see piket.dagdelen), the dagdelen
    committed per month, and consults per advocaat; three queries."""
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
        .annotate(n=Sum(half_days_count("shift__")))
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


# ---------------------------------------------------------------- dagdelen over the pilot period


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _first_of_next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


@dataclass(frozen=True)
class CommitmentRow:
    """One advocaat's dagdelen over the pilot period so far.

    `months`: the calendar months the period touches from the later of its start and the
    advocaat's joining (their first advocaat's membership) up to and including the current
    month (or the period's last). `served`: dagdelen of shifts in the period that have ended;
    `planned`: of shifts still to come up to the end of that month."""

    advocaat: User
    per_month: int
    months: int
    served: int
    planned: int

    @property
    def committed(self) -> int:
        return self.per_month * self.months

    @property
    def shortfall(self) -> int:
        return max(self.committed - self.served - self.planned, 0)

    @property
    def is_behind(self) -> bool:
        """Behind: even with the dagdelen planned this month the commitment is not reached."""
        return self.shortfall > 0


@dataclass(frozen=True)
class Commitments:
    starts_on: date
    through: date  # the last day counted: today, or the period's end when it is over
    rows: list[CommitmentRow]

    @property
    def behind(self) -> list[CommitmentRow]:
        return [row for row in self.rows if row.is_behind]


def pilot_period(today: date | None = None) -> tuple[date, date]:
    """The pilot period so far: from the rules' start (or the first piket shift) through today
    (or the rules' end, when it is over). One query, two when no start is set."""
    today = today or timezone.localdate()
    starts_on, ends_on = (
        PiketRules.objects.filter(pk=PiketRules.ROW)
        .values_list("period_starts_on", "period_ends_on")
        .first()
    ) or (None, None)
    if starts_on is None:
        starts_on = (
            Shift.objects.filter(is_cancelled=False).order_by("date").values_list("date", flat=True)
        ).first() or today
    through = min(ends_on, today) if ends_on else today
    return min(starts_on, through), through


def commitments(advocaten: Iterable[User], *, now: datetime | None = None) -> Commitments:
    """Per advocaat: dagdelen served and planned over the pilot period against what they
    committed to (`half_days_per_month` for each month of the period). Five queries at most,
    whatever the number of advocaten or shifts."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    starts_on, through = pilot_period(today)
    # an ongoing period counts the shifts planned up to the end of this month
    until = _first_of_next_month(through) if through == today else through + timedelta(days=1)
    people = list(advocaten)
    ids = [p.pk for p in people]
    per_month = dict(
        AdvocaatProfile.objects.filter(advocaat_id__in=ids).values_list(
            "advocaat_id", "half_days_per_month"
        )
    )
    joined = dict(
        Membership.objects.filter(user_id__in=ids, role=Role.ADVOCAAT)
        .values("user_id")
        .annotate(first=Min("created_at"))
        .values_list("user_id", "first")
    )
    dagdelen = half_days_count("shift__")
    on_duty = {
        item["advocaat_id"]: item
        for item in Assignment.objects.filter(
            advocaat_id__in=ids,
            shift__is_cancelled=False,
            shift__starts_at__gte=local_datetime(starts_on, datetime.min.time()),
            shift__starts_at__lt=local_datetime(until, datetime.min.time()),
        )
        .values("advocaat_id")
        .annotate(
            served=Coalesce(Sum(dagdelen, filter=Q(shift__ends_at__lte=now)), 0),
            planned=Coalesce(Sum(dagdelen, filter=Q(shift__ends_at__gt=now)), 0),
        )
    }
    rows = []
    for person in people:
        first = starts_on
        if person.pk in joined:
            first = max(first, timezone.localdate(joined[person.pk]))
        counted = on_duty.get(person.pk, {})
        rows.append(
            CommitmentRow(
                advocaat=person,
                per_month=per_month.get(person.pk, 0),
                months=max(_month_index(through) - _month_index(first) + 1, 0),
                served=counted.get("served", 0),
                planned=counted.get("planned", 0),
            )
        )
    return Commitments(starts_on=starts_on, through=through, rows=rows)


# ---------------------------------------------------------------- the coordinator's week


@dataclass
class LocationWeek:
    """This week's piket at one location: shifts going ahead, those still to come with places
    open, workers waiting on the waitlist, consults whose advocaat was not reached."""

    location: Location
    shifts: int = 0
    unfilled: int = 0
    waiting: int = 0
    not_reached: int = 0


def coordinator_week(user: User, *, now: datetime | None = None, limit: int = 5) -> dict:
    """The coordinator's home page: this week's piket (Monday to Sunday) at the locations where
    they are coordinator, the first shifts still lacking an advocaat, and how many of their
    advocaten fall behind with their dagdelen. A fixed number of queries (about ten)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    monday = today - timedelta(days=today.weekday())
    start = local_datetime(monday, datetime.min.time())
    end = local_datetime(monday + timedelta(days=7), datetime.min.time())
    rows = {
        location.pk: LocationWeek(location)
        for location in sorted(
            access.locations_where(user, "piket.manage"),
            key=lambda loc: (loc.is_national, loc.name),
        )
    }
    shifts = list(
        Shift.objects.filter(
            location_id__in=rows, starts_at__gte=start, starts_at__lt=end, is_cancelled=False
        )
        .annotate(on_duty=Count("assignments"))
        .select_related("location")
        .order_by("starts_at", "pk")
    )
    unfilled = [s for s in shifts if s.on_duty < s.capacity and s.ends_at > now]
    for shift in shifts:
        rows[shift.location_id].shifts += 1
    for shift in unfilled:
        rows[shift.location_id].unfilled += 1
        shift.missing = shift.capacity - shift.on_duty
    for location_id, n in (
        WaitlistEntry.objects.filter(
            location_id__in=rows, status=WaitlistEntry.Status.WAITING, latest__gte=today
        )
        .values("location_id")
        .annotate(n=Count("pk"))
        .values_list("location_id", "n")
    ):
        rows[location_id].waiting = n
    for location_id, n in (
        Consult.objects.filter(
            shift__location_id__in=rows,
            status=Consult.Status.NOT_REACHED,
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .values("shift__location_id")
        .annotate(n=Count("pk"))
        .values_list("shift__location_id", "n")
    ):
        rows[location_id].not_reached = n
    return {
        "monday": monday,
        "sunday": monday + timedelta(days=6),
        "week": f"{monday.isocalendar()[0]}-W{monday.isocalendar()[1]:02d}",
        "locations": list(rows.values()),
        "unfilled": unfilled[:limit],
        "unfilled_count": len(unfilled),
        "behind": len(commitments(advocaten_visible_to(user), now=now).behind),
    }


# ---------------------------------------------------------------- waitlist and reachability


def waitlist_of(user: User) -> QuerySet[WaitlistEntry]:
    """The user's own waitlist entries that still matter: waiting, offered, or with an offer."""
    return (
        waitlist_entries_visible_to(user)
        .filter(Q(status__in=["wachtend", "aangeboden"]) | Q(offer__isnull=False))
        .select_related("case", "legal_area", "location", "offer__shift__location")
        .order_by("-created_at")
    )


def not_reached_counts(since: datetime | None = None) -> dict[int, int]:
    """How often each advocaat was not reached, for the monthly meeting."""
    rows = Consult.objects.filter(status=Consult.Status.NOT_REACHED)
    if since is not None:
        rows = rows.filter(starts_at__gte=since)
    return dict(rows.values("advocaat_id").annotate(n=Count("pk")).values_list("advocaat_id", "n"))


# ---------------------------------------------------------------- calendar feed


def has_calendar_feed(user: User) -> bool:
    return CalendarFeed.objects.filter(user=user).exists()


def calendar_feed_owner(token: str) -> int | None:
    """The id of the active user whose feed this secret token opens (the token is the key:
    the feed is read by calendar apps without a session); None for an unknown token or a
    deactivated account."""
    return (
        CalendarFeed.objects.filter(token_hash=CalendarFeed.hash_of(token), user__is_active=True)
        .values_list("user_id", flat=True)
        .first()
    )


def calendar_items(user_id: int) -> dict:
    """A user's shifts on duty and consults (booked by or with them) from a month back."""
    since = timezone.now() - timedelta(days=31)
    shifts = [
        a.shift
        for a in Assignment.objects.filter(advocaat_id=user_id, shift__ends_at__gte=since)
        .select_related("shift__location", "shift__roster")
        .prefetch_related("shift__roster__legal_areas")
    ]
    consults = (
        Consult.objects.filter(Q(booked_by_id=user_id) | Q(advocaat_id=user_id))
        .filter(starts_at__gte=since, status__in=OCCUPYING)
        .exclude(status=Consult.Status.OFFERED)
        .select_related("legal_area", "shift__location")
    )
    return {"shifts": shifts, "consults": consults}
