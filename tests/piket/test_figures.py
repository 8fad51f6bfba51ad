"""The month figures of the piket: hand-computed counts over a fixed month, March 2025.

The month's piket (all times local, Europe/Amsterdam):

    Utrecht, Tuesdays 09:00-12:00 (huurrecht, arbeidsrecht; 15 + 5 minutes: 9 slots each),
    two advocaten asked for:
      4 Mar  bart and ada on duty
             u1 bart 09:00 huurrecht held, its advice: a LAT otherwise  -> LAT avoided
             u2 ada 09:00 arbeidsrecht held, its advice: no LAT otherwise
             u3 bart 09:20 huurrecht held; bart's advice given through the case only, not
                as the consult's advice ("a LAT otherwise"): no advice of the consult
             u4 bart 09:40 no show; u5 ada 09:20 not reached; u6 bart 10:00 cancelled;
             u7 bart 10:20 moved
      11 Mar cas on duty: u8 09:00 booked; u9 09:20 offered from the waitlist; u10 09:40 expired
      18 Mar cancelled (cas): u11 cancelled
      1 Apr and 25 Feb (cas): one held consult each, outside the month
    Utrecht, Mondays 22:00-23:45 (huurrecht; 5 slots), one advocaat asked for:
      31 Mar cas on duty: u12 23:20 held
    National, Wednesdays 13:00-14:00 (vreemdelingenrecht; 20 + 10 minutes: 2 slots):
      5 Mar  dirk: n1 13:00 held for an Utrecht case, dirk's advice: a LAT otherwise;
             n2 13:30 booked for an Amsterdam case (dirk: the consult's advocaat)
    Amsterdam, Thursdays 10:00-11:00 (huurrecht; 3 slots):
      6 Mar  eef: a1 10:00 held, no advice
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from accounts.models import Location
from cases.models import LegalArea, YesNoUnsure
from piket.figures import CapacityUse, month_figures
from piket.models import Consult, Shift, WaitlistEntry
from piket.slots import slot_count, slot_times
from tests.accounts.factories import LocationFactory, OrganisationFactory, UserFactory
from tests.cases.factories import CaseFactory, SecondLineAdviceFactory, SubProblemFactory
from tests.piket.factories import (
    AssignmentFactory,
    ConsultAdviceFactory,
    ConsultFactory,
    RosterFactory,
    ShiftFactory,
    WaitlistEntryFactory,
    national_location,
)

pytestmark = pytest.mark.django_db

LOCAL = ZoneInfo("Europe/Amsterdam")
MARCH = {"start": date(2025, 3, 1), "end": date(2025, 4, 1)}
Status = Consult.Status


def local(day: str, clock: str = "12:00") -> datetime:
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=LOCAL)


def shift(roster, day: str, *on_duty, **fields) -> Shift:
    """The roster's shift on `day`, with these advocaten on duty."""
    made = ShiftFactory(roster=roster, date=date.fromisoformat(day), **fields)
    for advocaat in on_duty:
        AssignmentFactory(shift=made, advocaat=advocaat)
    return made


def consult(shift, advocaat, minutes=0, status=Status.BOOKED, area="huurrecht", **fields):
    return ConsultFactory(
        shift=shift,
        advocaat=advocaat,
        minutes=minutes,
        status=status,
        legal_area=LegalArea.objects.get(slug=area),
        **fields,
    )


def advice(consult: Consult, *, lat_otherwise: str, subproblem=None) -> None:
    """The consult's advice on a sub-problem (a new one in its legal area by default): would a
    LAT have been requested?"""
    ConsultAdviceFactory(
        consult=consult,
        subproblem=subproblem
        or SubProblemFactory(case=consult.case, legal_area=consult.legal_area),
        advice__certificate_otherwise=lat_otherwise,
    )


def advice_through_the_case(consult: Consult, *, by, lat_otherwise: str) -> None:
    """An advice on the consult's case in its legal area, given through the case: not the
    consult's advice."""
    SecondLineAdviceFactory(
        subproblem=SubProblemFactory(case=consult.case, legal_area=consult.legal_area),
        advocaat=by,
        certificate_otherwise=lat_otherwise,
    )


@pytest.fixture
def national() -> Location:
    return national_location()


@pytest.fixture
def march(utrecht, amsterdam, national, orgs_utrecht, orgs_amsterdam):
    bart, ada, cas, dirk, eef = (UserFactory(totp=False) for _ in range(5))
    tuesdays = RosterFactory(
        location=utrecht, weekday=1, capacity=2, legal_areas=["huurrecht", "arbeidsrecht"]
    )
    mondays = RosterFactory(
        location=utrecht, weekday=0, start_time=time(22, 0), end_time=time(23, 45)
    )
    wednesdays = RosterFactory(
        location=national,
        weekday=2,
        start_time=time(13, 0),
        end_time=time(14, 0),
        consult_minutes=20,
        buffer_minutes=10,
        legal_areas=["vreemdelingenrecht"],
    )
    thursdays = RosterFactory(
        location=amsterdam, weekday=3, start_time=time(10, 0), end_time=time(11, 0)
    )

    s4 = shift(tuesdays, "2025-03-04", bart, ada)
    u1 = consult(s4, bart, 0, Status.HELD)
    advice(u1, lat_otherwise=YesNoUnsure.YES)
    u2 = consult(s4, ada, 0, Status.HELD, area="arbeidsrecht")
    advice(u2, lat_otherwise=YesNoUnsure.NO)
    u3 = consult(s4, bart, 20, Status.HELD)
    advice_through_the_case(u3, by=bart, lat_otherwise=YesNoUnsure.YES)
    consult(s4, bart, 40, Status.NO_SHOW)
    consult(s4, ada, 20, Status.NOT_REACHED)
    consult(s4, bart, 60, Status.CANCELLED)
    consult(s4, bart, 80, Status.MOVED)
    s11 = shift(tuesdays, "2025-03-11", cas)
    consult(s11, cas, 0, Status.BOOKED)
    consult(s11, cas, 20, Status.OFFERED)
    consult(s11, cas, 40, Status.EXPIRED)
    s18 = shift(tuesdays, "2025-03-18", cas, is_cancelled=True)
    consult(s18, cas, 0, Status.CANCELLED)
    consult(shift(tuesdays, "2025-04-01", cas), cas, 0, Status.HELD)
    consult(shift(tuesdays, "2025-02-25", cas), cas, 0, Status.HELD)
    consult(shift(mondays, "2025-03-31", cas), cas, 80, Status.HELD)

    n5 = shift(wednesdays, "2025-03-05", dirk)
    n1 = consult(
        n5,
        dirk,
        0,
        Status.HELD,
        area="vreemdelingenrecht",
        case=CaseFactory(organisation=orgs_utrecht["loket"]),
    )
    advice(n1, lat_otherwise=YesNoUnsure.YES)
    consult(
        n5,
        dirk,
        30,
        area="vreemdelingenrecht",
        case=CaseFactory(organisation=orgs_amsterdam["loket"]),
    )
    consult(shift(thursdays, "2025-03-06", eef), eef, 0, Status.HELD)

    waiting = WaitlistEntry.Status
    for status, created in [
        (waiting.WAITING, local("2025-03-03")),
        (waiting.BOOKED, local("2025-03-10")),
        (waiting.EXPIRED, local("2025-03-12")),
        (waiting.CANCELLED, local("2025-03-13")),
        (waiting.OFFERED, local("2025-03-31", "23:30")),
        (waiting.WAITING, local("2025-04-01", "00:00")),
    ]:
        WaitlistEntryFactory(
            case=CaseFactory(organisation=orgs_utrecht["loket"]), status=status, created_at=created
        )
    WaitlistEntryFactory(
        case=CaseFactory(organisation=orgs_amsterdam["loket"]), created_at=local("2025-03-20")
    )
    WaitlistEntryFactory(
        case=CaseFactory(organisation=orgs_utrecht["loket"]),
        legal_area=LegalArea.objects.get(slug="arbeidsrecht"),
        created_at=local("2025-02-28", "23:59"),
    )


def consult_rows(figures):
    return [
        (
            row.piket_location_name,
            row.booked_from_location_name,
            row.legal_area_name,
            row.booked,
            row.awaiting_outcome,
            row.held,
            row.no_show,
            row.not_reached,
            row.cancelled,
            row.moved,
            row.held_with_advice,
            row.lat_avoided,
        )
        for row in figures.consults
    ]


# ---------------------------------------------------------------- consults


def test_consults_of_a_location_include_its_cases_on_the_national_piket(march, utrecht):
    figures = month_figures(locations=[utrecht], **MARCH)

    # piket, booked from, area, booked, awaiting, held, no show, not reached, cancelled,
    # moved, held with advice, LAT avoided
    assert consult_rows(figures) == [
        ("Utrecht", "Utrecht", "Huurrecht", 8, 1, 3, 1, 1, 2, 1, 1, 1),
        ("Utrecht", "Utrecht", "Arbeidsrecht", 1, 0, 1, 0, 0, 0, 0, 1, 0),
        ("Landelijk", "Utrecht", "Vreemdelingenrecht", 1, 0, 1, 0, 0, 0, 0, 1, 1),
    ]
    assert figures.consults[2].piket_is_national
    assert figures.location_ids == (utrecht.pk,)


def test_the_national_piket_counts_its_consults_per_location_booked_from(march, national):
    figures = month_figures(locations=[national], **MARCH)

    assert consult_rows(figures) == [
        ("Landelijk", "Amsterdam", "Vreemdelingenrecht", 1, 1, 0, 0, 0, 0, 0, 0, 0),
        ("Landelijk", "Utrecht", "Vreemdelingenrecht", 1, 0, 1, 0, 0, 0, 0, 1, 1),
    ]


def test_all_locations_list_the_national_piket_last(march):
    figures = month_figures(locations=None, **MARCH)

    assert [row[:3] for row in consult_rows(figures)] == [
        ("Amsterdam", "Amsterdam", "Huurrecht"),
        ("Utrecht", "Utrecht", "Huurrecht"),
        ("Utrecht", "Utrecht", "Arbeidsrecht"),
        ("Landelijk", "Amsterdam", "Vreemdelingenrecht"),
        ("Landelijk", "Utrecht", "Vreemdelingenrecht"),
    ]
    assert sum(row.held for row in figures.consults) == 6
    assert sum(row.lat_avoided for row in figures.consults) == 2


def test_lat_avoided_is_counted_per_consult(utrecht):
    """Two consults of one advocaat on one case each keep their own answer; a consult whose
    advice says "a LAT otherwise" on two sub-problems counts once."""
    roster = RosterFactory(location=utrecht, weekday=1)
    advocaat = UserFactory(totp=False)
    made = shift(roster, "2025-03-04", advocaat)
    case = CaseFactory(organisation=OrganisationFactory(location=utrecht))
    huur = SubProblemFactory(case=case, legal_area=LegalArea.objects.get(slug="huurrecht"))
    first = consult(made, advocaat, 0, Status.HELD, case=case)
    second = consult(made, advocaat, 40, Status.HELD, case=case)
    advice(first, subproblem=huur, lat_otherwise=YesNoUnsure.NO)
    advice(second, subproblem=huur, lat_otherwise=YesNoUnsure.YES)
    advice(second, lat_otherwise=YesNoUnsure.YES)  # a second huurrecht sub-problem

    (row,) = month_figures(locations=[utrecht], **MARCH).consults

    assert (row.held, row.held_with_advice, row.lat_avoided) == (2, 2, 1)


def test_a_consult_counts_by_the_local_day_of_its_slot(utrecht):
    late = RosterFactory(location=utrecht, weekday=0, start_time=time(23, 0), end_time=time(23, 59))
    early = RosterFactory(location=utrecht, weekday=1, start_time=time(0, 0), end_time=time(1, 0))
    advocaat = UserFactory(totp=False)
    consult(shift(late, "2025-03-31", advocaat), advocaat, 40)  # 31 March 23:40
    consult(shift(early, "2025-04-01", advocaat), advocaat, 0)  # 1 April 00:00

    figures = month_figures(locations=[utrecht], **MARCH)

    assert [row.booked for row in figures.consults] == [1]
    assert [row.shifts for row in figures.capacity] == [1]


# ---------------------------------------------------------------- capacity and the waitlist


def test_capacity_counts_slots_of_the_advocaten_on_duty(march, utrecht):
    (use,) = month_figures(locations=[utrecht], **MARCH).capacity

    # slots: 4 Mar 9 x 2, 11 Mar 9 x 1, 31 Mar 5 x 1; used: u1-u5, u8, u9, u12
    assert use == CapacityUse(
        location_id=utrecht.pk,
        location_name="Utrecht",
        is_national=False,
        shifts=3,
        cancelled_shifts=1,
        places=5,
        on_duty=4,
        slots=32,
        slots_used=8,
    )
    assert use.occupancy == 0.25


def test_capacity_of_all_locations(march):
    rows = month_figures(locations=None, **MARCH).capacity

    assert [(r.location_name, r.shifts, r.on_duty, r.slots, r.slots_used) for r in rows] == [
        ("Amsterdam", 1, 1, 3, 1),
        ("Utrecht", 3, 4, 32, 8),
        ("Landelijk", 1, 1, 2, 2),
    ]


def test_capacity_per_legal_area_shares_the_slots_of_a_shift(march, utrecht):
    rows = month_figures(locations=[utrecht], **MARCH).capacity_by_legal_area

    assert [(r.legal_area_name, r.shifts, r.slots, r.slots_used) for r in rows] == [
        ("Huurrecht", 3, 32, 7),
        ("Arbeidsrecht", 2, 27, 1),
    ]


def test_the_waitlist_counts_entries_made_in_the_month_by_their_state(march, utrecht):
    (row,) = month_figures(locations=[utrecht], **MARCH).waitlist

    assert (row.location_name, row.legal_area_name) == ("Utrecht", "Huurrecht")
    assert (row.joined, row.waiting, row.offered, row.booked, row.expired, row.withdrawn) == (
        5,
        1,
        1,
        1,
        1,
        1,
    )


def test_the_database_counts_slots_as_slot_times_does():
    shapes = [
        ("2025-03-04", time(9, 0), time(12, 0), 15, 5),  # 9
        ("2025-03-05", time(13, 0), time(14, 0), 20, 10),  # 2
        ("2025-03-06", time(10, 0), time(10, 10), 15, 5),  # too short: 0
        ("2025-03-07", time(10, 0), time(10, 15), 15, 5),  # exactly one
        ("2025-03-30", time(1, 0), time(4, 0), 30, 0),  # the night the clocks go forward
    ]
    for day, start, end, minutes, buffer in shapes:
        roster = RosterFactory(
            start_time=start, end_time=end, consult_minutes=minutes, buffer_minutes=buffer
        )
        ShiftFactory(roster=roster, date=date.fromisoformat(day))

    shifts = Shift.objects.select_related("roster").annotate(n=slot_count()).order_by("date")
    assert [s.n for s in shifts] == [len(list(slot_times(s))) for s in shifts]
    assert [s.n for s in shifts] == [9, 2, 0, 1, 4]


# ---------------------------------------------------------------- nothing, people, queries


def test_a_month_without_anything_gives_empty_figures(utrecht):
    for locations in ([utrecht], None, []):
        figures = month_figures(locations=locations, **MARCH)

        assert figures.consults == figures.capacity == figures.waitlist == ()
        assert figures.capacity_by_legal_area == ()


def test_the_figures_name_no_advocaat(march):
    text = repr(month_figures(locations=None, **MARCH))

    assert "@example.org" not in text and "Test Gebruiker" not in text
    assert "030 123 45 67" not in text


def test_the_number_of_queries_does_not_grow_with_the_data(
    march, utrecht, django_assert_num_queries
):
    with django_assert_num_queries(4):
        month_figures(locations=[utrecht], **MARCH)

    more = [LocationFactory() for _ in range(3)]
    areas = ["huurrecht", "arbeidsrecht", "consumentenrecht", "sociale-voorzieningen"]
    for n, location in enumerate(more * 4):
        roster = RosterFactory(location=location, weekday=n % 5, legal_areas=areas[: n % 4 + 1])
        advocaat = UserFactory(totp=False)
        made = shift(roster, f"2025-03-{n + 10:02d}", advocaat, UserFactory(totp=False))
        case = CaseFactory(organisation=OrganisationFactory(location=location))
        held = consult(made, advocaat, 0, Status.HELD, area=areas[n % 4], case=case)
        advice(held, lat_otherwise=YesNoUnsure.YES)
        consult(made, advocaat, 20, Status.NO_SHOW, area=areas[0], case=case)
        WaitlistEntryFactory(case=case, created_at=local("2025-03-15"))

    with django_assert_num_queries(4):
        figures = month_figures(locations=None, **MARCH)
    with django_assert_num_queries(4):
        month_figures(locations=[utrecht, *more], **MARCH)
    assert len(figures.capacity) == 6
    assert sum(row.lat_avoided for row in figures.consults) == 2 + 12


def test_consults_by_month_count_booked_and_held_per_month_and_case_location(utrecht, bart):
    from piket.figures import consults_by_month
    from tests.cases.factories import CaseFactory
    from tests.piket.factories import ConsultFactory, make_shift

    case = CaseFactory(organisation=OrganisationFactory(location=utrecht))
    march, april = date(2025, 3, 31), date(2025, 4, 1)
    for day, statuses in (
        (march, ["gehouden", "niet_bereikt"]),
        (april, ["gehouden", "verplaatst"]),
    ):
        shift = make_shift(utrecht, [bart], day=day, start=time(10), end=time(12))
        for i, status in enumerate(statuses):
            ConsultFactory(shift=shift, case=case, advocaat=bart, minutes=20 * i, status=status)
    rows = consults_by_month(locations=[utrecht], start=date(2025, 3, 1), end=date(2025, 5, 1))
    assert [(row.month, row.booked, row.held) for row in rows] == [
        (date(2025, 3, 1), 2, 1),
        (date(2025, 4, 1), 1, 1),
    ]
    assert rows[0].booked_from_location_name == utrecht.name
