"""The month figures of cases: hand-computed counts over a fixed month, March 2025.

The month's story (all times local, Europe/Amsterdam):

    c1  Utrecht loket, 3 Mar 00:30, telefoon, 18-26, Werkgever; huurrecht (ja, Huurprijs,
        considered A and C) and arbeidsrecht (nee); waits from 4 Mar 10:00, closed with a
        fitting solution 10 Mar 09:00 (7 local days; 8 in UTC)
    c2  Utrecht loket, 31 Mar 23:30; huurrecht (weet niet, considered A) and huurrecht (nee,
        Borg); waits from 31 Mar 23:45, still waiting
    c3  Utrecht loket, 1 Apr 00:00: April
    c4  Utrecht loket, 28 Feb 23:59: February; waits from 28 Feb, closed "ja" 5 Mar (5 days)
    c5  Utrecht raadslieden, 15 Mar, research consent; familierecht only (outside the pilot)
    c6  Amsterdam loket, 20 Mar; vreemdelingenrecht (ja); waits 21-28 Mar (7 days), closed "ja"
        28 Mar (8 days)
    c7  Utrecht loket, 10 Jan; closed "ja" 1 Feb, reopened 2 Mar, closed "ja" 12 Mar: its first
        closing is in February
    c8  Amsterdam loket, 1 Dec 2024; closed "ja" 11 Mar (100 days)
    c9  Utrecht loket, 20 Jan; closed "ja" 21 Mar (60 days)
    c10 national helpline, 12 Mar; overig (outside the pilot)
    c11 Utrecht loket, 5 Mar; huurrecht (ja); closed "nee" 6 Mar: no fitting solution

    advice  c1 huurrecht (5 Mar), c1 arbeidsrecht (6 Mar), c5 familierecht (16 Mar),
            c6 vreemdelingenrecht (22 Mar), c2 huurrecht (1 Apr 00:00: April)
    handovers  c1 accepted (7 Mar), c2 declined (31 Mar 23:50), c6 pending (25 Mar),
               c4 declined (28 Feb: February)
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from accounts.models import Location, Organisation
from cases.figures import Durations, month_figures
from cases.models import (
    Case,
    CaseStatusChange,
    Counterparty,
    Handover,
    KindOfCase,
    LegalArea,
    SecondLineAdvice,
    YesNoUnsure,
)
from tests.accounts.factories import LocationFactory, OrganisationFactory, UserFactory
from tests.cases.factories import (
    CaseFactory,
    CaseStatusChangeFactory,
    HandoverFactory,
    SecondLineAdviceFactory,
    SocialMapEntryFactory,
    SubProblemFactory,
)

pytestmark = pytest.mark.django_db

LOCAL = ZoneInfo("Europe/Amsterdam")
MARCH = {"start": date(2025, 3, 1), "end": date(2025, 4, 1)}
Status = Case.Status
YES, NO, UNSURE = YesNoUnsure.YES, YesNoUnsure.NO, YesNoUnsure.UNSURE


def local(day: str, clock: str = "12:00") -> datetime:
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=LOCAL)


def registered(
    organisation: Organisation,
    at: datetime,
    *,
    subproblems=(("huurrecht", UNSURE),),
    changes=(),
    solution: str = "",
    **fields,
) -> Case:
    """A case with its sub-problems — (legal area slug, first line's answer to question 1[, kind
    of case]) — and a status history: registered at `at`, then each (status, moment) of
    `changes`. A closed case's `solution` answers "fitting solution reached?"."""
    status = changes[-1][0] if changes else Status.OPEN
    closed_on = changes[-1][1].astimezone(LOCAL).date() if status == Status.CLOSED else None
    case = CaseFactory(
        organisation=organisation,
        registered_at=at,
        first_contact_on=at.astimezone(LOCAL).date(),
        status=status,
        closed_on=closed_on,
        solution_reached=solution if closed_on else "",
        history=False,
        **fields,
    )
    previous = ""
    for to, moment in ((Status.OPEN, at), *changes):
        CaseStatusChangeFactory(
            case=case,
            from_status=previous,
            to_status=to,
            at=moment,
            reason=CaseStatusChange.Reason.MANUAL
            if previous
            else CaseStatusChange.Reason.REGISTERED,
        )
        previous = to
    for slug, answer, *kind in subproblems:
        SubProblemFactory(
            case=case,
            legal_area=LegalArea.objects.get(slug=slug),
            referral_useful=answer,
            kind_of_case=KindOfCase.objects.get(legal_area__slug=slug, name=kind[0])
            if kind
            else None,
        )
    return case


def subproblem(case: Case, slug: str, nth: int = 0):
    return case.subproblems.filter(legal_area__slug=slug).order_by("position")[nth]


@pytest.fixture
def national() -> Location:
    return Location.objects.get_or_create(
        slug="landelijk", defaults={"name": "Landelijk", "is_national": True}
    )[0]


@pytest.fixture
def march(orgs_utrecht, orgs_amsterdam, national, utrecht):
    loket, raadslieden = orgs_utrecht["loket"], orgs_utrecht["raadslieden"]
    amsterdam_loket = orgs_amsterdam["loket"]
    helpline = OrganisationFactory(location=national, name="Landelijke hulplijn")
    a = SocialMapEntryFactory(name="Schuldhulp Utrecht", location=utrecht)
    b = SocialMapEntryFactory(name="Landelijke Hulplijn", location=national)
    c = SocialMapEntryFactory(name="Buurtteam Utrecht", location=utrecht)
    bart, ada = UserFactory(totp=False), UserFactory(totp=False)
    closed = Status.CLOSED

    c1 = registered(
        loket,
        local("2025-03-03", "00:30"),
        subproblems=[("huurrecht", YES, "Huurprijs en huurverhoging"), ("arbeidsrecht", NO)],
        changes=[
            (Status.WAITING, local("2025-03-04", "10:00")),
            (closed, local("2025-03-10", "09:00")),
        ],
        solution=YES,
        channel=Case.Channel.PHONE,
        age_band=Case.AgeBand.A18_26,
        counterparty=Counterparty.objects.get(name="Werkgever"),
    )
    subproblem(c1, "huurrecht").considered_organisations.set([a, c])
    c2 = registered(
        loket,
        local("2025-03-31", "23:30"),
        subproblems=[("huurrecht", UNSURE), ("huurrecht", NO, "Borg")],
        changes=[(Status.WAITING, local("2025-03-31", "23:45"))],
    )
    subproblem(c2, "huurrecht").considered_organisations.set([a])
    c3 = registered(loket, local("2025-04-01", "00:00"), subproblems=[("huurrecht", YES)])
    subproblem(c3, "huurrecht").considered_organisations.set([c])
    c4 = registered(
        loket,
        local("2025-02-28", "23:59"),
        changes=[
            (Status.WAITING, local("2025-02-28", "23:59:30")),
            (closed, local("2025-03-05", "08:00")),
        ],
        solution=YES,
    )
    c5 = registered(
        raadslieden,
        local("2025-03-15", "10:00"),
        subproblems=[("familierecht", UNSURE)],
        research_consent=True,
    )
    c6 = registered(
        amsterdam_loket,
        local("2025-03-20", "10:00"),
        subproblems=[("vreemdelingenrecht", YES)],
        changes=[
            (Status.WAITING, local("2025-03-21", "10:00")),
            (closed, local("2025-03-28", "10:00")),
        ],
        solution=YES,
    )
    registered(
        loket,
        local("2025-01-10"),
        changes=[
            (closed, local("2025-02-01")),
            (Status.OPEN, local("2025-03-02")),
            (closed, local("2025-03-12")),
        ],
        solution=YES,
    )
    registered(
        amsterdam_loket, local("2024-12-01"), changes=[(closed, local("2025-03-11"))], solution=YES
    )
    registered(loket, local("2025-01-20"), changes=[(closed, local("2025-03-21"))], solution=YES)
    registered(helpline, local("2025-03-12"), subproblems=[("overig", UNSURE)])
    registered(
        loket,
        local("2025-03-05"),
        subproblems=[("huurrecht", YES)],
        changes=[(closed, local("2025-03-06"))],
        solution=NO,
    )

    match, cont, feedback = (
        SecondLineAdvice.Match,
        SecondLineAdvice.Continuation,
        SecondLineAdvice.Feedback,
    )
    SecondLineAdviceFactory(
        subproblem=subproblem(c1, "huurrecht"),
        advocaat=bart,
        analysis_match=match.SAME,
        referral_useful=YES,
        certificate_otherwise=YES,
        fitting_organisations=[a],
        continuation=cont.ADVOCAAT,
        takes_case=True,
        feedback=[feedback.TOO_LATE, feedback.INCOMPLETE],
        created_at=local("2025-03-05"),
    )
    SecondLineAdviceFactory(
        subproblem=subproblem(c1, "arbeidsrecht"),
        advocaat=bart,
        analysis_match=match.DIFFERENT,
        referral_useful=YES,
        certificate_otherwise=NO,
        continuation=cont.BACK,
        feedback=[feedback.TOO_LATE],
        created_at=local("2025-03-06"),
    )
    SecondLineAdviceFactory(
        subproblem=subproblem(c5, "familierecht"),
        advocaat=bart,
        analysis_match=match.SAME,
        referral_useful=UNSURE,
        certificate_otherwise=NO,
        continuation=cont.FIRST_LINE,
        created_at=local("2025-03-16"),
    )
    SecondLineAdviceFactory(
        subproblem=subproblem(c6, "vreemdelingenrecht"),
        advocaat=ada,
        analysis_match=match.PARTLY,
        referral_useful=UNSURE,
        certificate_otherwise=UNSURE,
        fitting_organisations=[a, b],
        continuation=cont.SOCIALE_KAART,
        created_at=local("2025-03-22"),
    )
    SecondLineAdviceFactory(
        subproblem=subproblem(c2, "huurrecht"),
        advocaat=bart,
        certificate_otherwise=YES,
        fitting_organisations=[b],
        created_at=local("2025-04-01", "00:00"),
    )

    HandoverFactory(
        case=c1,
        to_organisation=raadslieden,
        status=Handover.Status.ACCEPTED,
        created_at=local("2025-03-07"),
    )
    HandoverFactory(
        case=c2,
        to_organisation=raadslieden,
        status=Handover.Status.DECLINED,
        decline_reason="Geen capaciteit.",
        created_at=local("2025-03-31", "23:50"),
    )
    HandoverFactory(
        case=c6, to_organisation=orgs_amsterdam["raadslieden"], created_at=local("2025-03-25")
    )
    HandoverFactory(
        case=c4,
        to_organisation=raadslieden,
        status=Handover.Status.DECLINED,
        decline_reason="Geen capaciteit.",
        created_at=local("2025-02-28"),
    )


def counts(choices) -> dict[str, int]:
    return {choice.value: choice.count for choice in choices if choice.count}


# ---------------------------------------------------------------- the period


def test_the_period_runs_from_local_midnight_to_local_midnight(orgs_utrecht, utrecht):
    loket = orgs_utrecht["loket"]
    for moment in (
        "2025-02-28T23:59:59",
        "2025-03-01T00:00",
        "2025-03-31T23:30",
        "2025-04-01T00:00",
    ):
        registered(loket, datetime.fromisoformat(moment).replace(tzinfo=LOCAL))

    figures = month_figures(locations=[utrecht], **MARCH)

    assert figures.profile.registered == 2  # 1 March 00:00 and 31 March 23:30


# ---------------------------------------------------------------- what came in


def test_cases_are_counted_per_organisation_at_the_chosen_location(march, utrecht, orgs_utrecht):
    figures = month_figures(locations=[utrecht], **MARCH)

    assert [
        (row.organisation_name, row.organisation_kind, row.cases) for row in figures.by_organisation
    ] == [
        ("Het Juridisch Loket Utrecht", Organisation.Kind.JURIDISCH_LOKET, 3),
        ("Sociaal raadslieden Utrecht", Organisation.Kind.SOCIAAL_RAADSLIEDEN, 1),
    ]
    assert figures.by_organisation[0].organisation_id == orgs_utrecht["loket"].pk
    assert figures.location_ids == (utrecht.pk,)


def test_all_locations_list_the_national_level_last(march):
    figures = month_figures(locations=None, **MARCH)

    assert [(row.location_name, row.cases) for row in figures.by_organisation] == [
        ("Amsterdam", 1),
        ("Utrecht", 3),
        ("Utrecht", 1),
        ("Landelijk", 1),
    ]
    assert figures.profile.registered == 6
    assert figures.location_ids is None


def test_the_national_location_counts_only_its_own_cases(march, national):
    figures = month_figures(locations=[national], **MARCH)

    assert figures.profile.registered == 1
    assert figures.profile.outside_pilot_scope == 1
    assert [row.organisation_name for row in figures.by_organisation] == ["Landelijke hulplijn"]
    assert figures.time_to_solution.count == 0


def test_the_profile_counts_every_answer(march, utrecht):
    profile = month_figures(locations=[utrecht], **MARCH).profile

    assert profile.registered == 4
    assert profile.with_research_consent == 1
    assert profile.outside_pilot_scope == 1  # c5: familierecht only
    assert counts(profile.channel) == {"telefoon": 1, "balie": 3}
    assert counts(profile.age_band) == {"18-26": 1, "27-40": 3}
    assert counts(profile.household) == {"onbekend": 4}
    assert counts(profile.income) == {"onbekend": 4}
    assert [choice.value for choice in profile.channel] == Case.Channel.values
    assert profile.channel[1].label == "Telefoon"


def test_legal_areas_count_cases_once_and_every_subproblem(march, utrecht):
    rows = month_figures(locations=[utrecht], **MARCH).by_organisation_and_legal_area

    assert [
        (
            row.organisation_name,
            row.legal_area_name,
            row.in_pilot_scope,
            row.cases,
            row.subproblems,
            row.referral_useful_yes,
            row.referral_useful_no,
            row.referral_useful_unsure,
        )
        for row in rows
    ] == [
        ("Het Juridisch Loket Utrecht", "Huurrecht", True, 3, 4, 2, 1, 1),
        ("Het Juridisch Loket Utrecht", "Arbeidsrecht", True, 1, 1, 0, 1, 0),
        ("Sociaal raadslieden Utrecht", "Familierecht (buiten de pilot)", False, 1, 1, 0, 0, 1),
    ]


def test_subproblems_are_counted_per_kind_of_case(march, utrecht):
    rows = month_figures(locations=[utrecht], **MARCH).by_kind_of_case

    assert [(row.legal_area_name, row.kind_of_case_name, row.subproblems) for row in rows] == [
        ("Huurrecht", "Borg", 1),
        ("Huurrecht", "Huurprijs en huurverhoging", 1),
        ("Huurrecht", "", 2),
        ("Arbeidsrecht", "", 1),
        ("Familierecht (buiten de pilot)", "", 1),
    ]
    assert rows[2].kind_of_case_id is None


def test_counterparties_from_the_list_are_counted(march, utrecht):
    rows = month_figures(locations=[utrecht], **MARCH).by_counterparty

    assert [(row.counterparty_name, row.cases) for row in rows] == [("Werkgever", 1), ("", 3)]
    assert rows[1].counterparty_id is None


# ---------------------------------------------------------------- the pilot's questions


def test_the_advocaten_answers_are_counted_per_legal_area(march, utrecht):
    rows = month_figures(locations=[utrecht], **MARCH).second_line_by_legal_area

    huur, arbeid, familie = rows
    assert (huur.legal_area_name, arbeid.legal_area_name) == ("Huurrecht", "Arbeidsrecht")
    assert (familie.legal_area_name, familie.in_pilot_scope) == (
        "Familierecht (buiten de pilot)",
        False,
    )
    assert (
        huur.advice,
        huur.same_analysis,
        huur.partly_same_analysis,
        huur.different_analysis,
    ) == (1, 1, 0, 0)
    assert (arbeid.advice, arbeid.same_analysis, arbeid.different_analysis) == (1, 0, 1)
    # question 1: both lines said "ja" on huurrecht; "nee" then "ja" on arbeidsrecht
    assert (huur.referral_useful_yes, huur.referral_answer_as_first_line) == (1, 1)
    assert (arbeid.referral_useful_yes, arbeid.referral_answer_as_first_line) == (1, 0)
    assert (familie.referral_useful_unsure, familie.referral_answer_as_first_line) == (1, 1)
    # question 2
    assert (huur.names_fitting_organisation, arbeid.names_fitting_organisation) == (1, 0)
    # LAT or toevoeging otherwise
    assert (huur.certificate_otherwise_yes, huur.certificate_otherwise_no) == (1, 0)
    assert (arbeid.certificate_otherwise_yes, arbeid.certificate_otherwise_no) == (0, 1)
    assert (huur.takes_case, arbeid.takes_case) == (1, 0)
    assert counts(huur.continuation) == {"advocaat": 1}
    assert counts(arbeid.continuation) == {"terug": 1}
    assert counts(huur.feedback) == {"te_laat": 1, "feiten_onvolledig": 1}
    assert counts(arbeid.feedback) == {"te_laat": 1}


def test_two_piket_consults_on_one_sub_problem_are_two_answers(orgs_utrecht, utrecht):
    """One advocaat, one sub-problem, two piket consults: two advice rows, one answer each (the
    LAT avoided per consult is piket.figures' to count)."""
    case = registered(orgs_utrecht["loket"], local("2025-03-03"))
    advocaat = UserFactory(totp=False)
    for answer, day in ((YES, "2025-03-04"), (NO, "2025-03-11")):
        SecondLineAdviceFactory(
            subproblem=subproblem(case, "huurrecht"),
            advocaat=advocaat,
            occasion=SecondLineAdvice.Occasion.PIKET,
            certificate_otherwise=answer,
            created_at=local(day),
        )

    (huur,) = month_figures(locations=[utrecht], **MARCH).second_line_by_legal_area

    assert (huur.advice, huur.certificate_otherwise_yes, huur.certificate_otherwise_no) == (2, 1, 1)


def test_advice_of_all_locations_includes_other_cities(march):
    rows = month_figures(locations=None, **MARCH).second_line_by_legal_area

    assert [(row.legal_area_name, row.advice) for row in rows] == [
        ("Vreemdelingenrecht", 1),
        ("Huurrecht", 1),  # the advice of 1 April 00:00 is April's
        ("Arbeidsrecht", 1),
        ("Familierecht (buiten de pilot)", 1),
    ]
    vreemd = rows[0]
    assert (vreemd.partly_same_analysis, vreemd.referral_useful_unsure) == (1, 1)
    assert (vreemd.referral_answer_as_first_line, vreemd.certificate_otherwise_unsure) == (0, 1)
    assert counts(vreemd.continuation) == {"sociale_kaart": 1}


def test_sociale_kaart_organisations_considered_and_named_fitting(march, utrecht):
    mine = month_figures(locations=[utrecht], **MARCH).sociale_kaart
    everywhere = month_figures(locations=None, **MARCH).sociale_kaart

    assert [
        (r.entry_name, r.considered_by_first_line, r.named_fitting_by_advocaat) for r in mine
    ] == [
        ("Buurtteam Utrecht", 1, 0),
        ("Schuldhulp Utrecht", 2, 1),
    ]
    assert [
        (
            r.entry_name,
            r.entry_location_name,
            r.considered_by_first_line,
            r.named_fitting_by_advocaat,
        )
        for r in everywhere
    ] == [
        ("Buurtteam Utrecht", "Utrecht", 1, 0),
        ("Landelijke Hulplijn", "Landelijk", 0, 1),
        ("Schuldhulp Utrecht", "Utrecht", 2, 2),
    ]


# ---------------------------------------------------------------- how long it took


def test_time_to_a_fitting_solution_runs_from_registration_to_the_first_closing(march, utrecht):
    figures = month_figures(locations=[utrecht], **MARCH)

    # c4 5 days, c1 7 local days (8 in UTC: registered 00:30 local), c9 60 days; not c7 (first
    # closed in February), not c11 (closed without a fitting solution)
    assert figures.time_to_solution == Durations(
        count=3, median_days=7.0, up_to_7_days=2, days_8_to_30=0, days_31_to_90=1, over_90_days=0
    )


def test_the_median_of_an_even_number_is_the_mean_of_the_middle_two(march, orgs_amsterdam):
    amsterdam = orgs_amsterdam["loket"].location
    figures = month_figures(locations=[amsterdam], **MARCH)

    # c6 8 days, c8 100 days
    assert figures.time_to_solution == Durations(
        count=2, median_days=54.0, up_to_7_days=0, days_8_to_30=1, days_31_to_90=0, over_90_days=1
    )


def test_time_to_solution_per_location(march):
    figures = month_figures(locations=None, **MARCH)

    assert figures.time_to_solution.count == 5
    assert figures.time_to_solution.median_days == 8.0  # 5, 7, 8, 60, 100
    assert [
        (row.location_name, row.durations.count, row.durations.median_days)
        for row in figures.time_to_solution_by_location
    ] == [
        ("Amsterdam", 2, 54.0),
        ("Utrecht", 3, 7.0),
    ]


def test_waiting_for_the_second_line(march, utrecht):
    mine = month_figures(locations=[utrecht], **MARCH).waiting_for_second_line
    everywhere = month_figures(locations=None, **MARCH)

    # c1 waited 4-10 March, c2 waits since 31 March; c4 started waiting in February
    assert (mine.started_waiting, mine.still_waiting) == (2, 1)
    assert mine.waited == Durations(
        count=1, median_days=6.0, up_to_7_days=1, days_8_to_30=0, days_31_to_90=0, over_90_days=0
    )
    assert everywhere.waiting_for_second_line.started_waiting == 3
    assert everywhere.waiting_for_second_line.waited.median_days == 6.5  # 6 and 7 days
    assert [
        (row.location_name, row.waiting.started_waiting, row.waiting.waited.median_days)
        for row in everywhere.waiting_for_second_line_by_location
    ] == [("Amsterdam", 1, 7.0), ("Utrecht", 2, 6.0)]


def test_handovers_are_counted_by_their_state(march):
    rows = month_figures(locations=None, **MARCH).handovers_by_location

    assert [(r.location_name, r.made, r.accepted, r.declined, r.pending) for r in rows] == [
        ("Amsterdam", 1, 0, 0, 1),
        ("Utrecht", 2, 1, 1, 0),
    ]


# ---------------------------------------------------------------- nothing, and how many queries


def test_a_month_without_anything_gives_empty_figures(utrecht):
    for locations in ([utrecht], None, []):
        figures = month_figures(locations=locations, **MARCH)

        assert figures.profile.registered == 0
        assert counts(figures.profile.channel) == {}
        assert figures.by_organisation == figures.second_line_by_legal_area == ()
        assert figures.time_to_solution == Durations(0, None, 0, 0, 0, 0)
        assert figures.waiting_for_second_line.started_waiting == 0
        assert figures.waiting_for_second_line.waited.median_days is None


def test_the_figures_hold_no_people_cases_or_free_text(march):
    figures = month_figures(locations=None, **MARCH)

    text = repr(figures)
    assert "Huurverhoging lijkt te hoog" not in text  # the question
    assert "Z-" not in text  # a case number
    assert "@example.org" not in text and "Test Gebruiker" not in text


def test_the_number_of_queries_does_not_grow_with_the_data(
    march, utrecht, django_assert_num_queries
):
    with django_assert_num_queries(QUERIES):
        month_figures(locations=[utrecht], **MARCH)

    more_locations = [LocationFactory() for _ in range(3)]
    areas = list(LegalArea.objects.all())
    for n in range(30):
        organisation = OrganisationFactory(location=more_locations[n % 3])
        case = registered(
            organisation,
            local(f"2025-03-{n % 28 + 1:02d}"),
            subproblems=[(areas[n % len(areas)].slug, YES), (areas[(n + 3) % len(areas)].slug, NO)],
            changes=[(Status.WAITING, local("2025-03-29")), (Status.CLOSED, local("2025-03-30"))],
            solution=YES,
        )
        SecondLineAdviceFactory(
            subproblem=case.subproblems.first(),
            fitting_organisations=[SocialMapEntryFactory(location=organisation.location)],
            created_at=local("2025-03-30"),
        )
        HandoverFactory(case=case, created_at=local("2025-03-30"))

    with django_assert_num_queries(QUERIES):
        figures = month_figures(locations=None, **MARCH)
    with django_assert_num_queries(QUERIES):
        month_figures(locations=[utrecht, *more_locations], **MARCH)
    assert figures.profile.registered == 36
    assert len(figures.time_to_solution_by_location) == 5


QUERIES = 12


def test_registrations_by_month_count_per_local_month_and_location(orgs_utrecht, orgs_amsterdam):
    from cases.figures import MonthCount, registrations_by_month

    loket, amsterdam = orgs_utrecht["loket"], orgs_amsterdam["loket"]
    for organisation, moment in (
        (loket, local("2025-03-31", "23:30")),  # March in Amsterdam, April in UTC
        (loket, local("2025-04-01", "00:00")),
        (loket, local("2025-04-15")),
        (amsterdam, local("2025-04-02")),
        (loket, local("2025-05-01")),  # after the period
    ):
        CaseFactory(organisation=organisation, registered_at=moment)
    rows = registrations_by_month(locations=None, start=date(2025, 3, 1), end=date(2025, 5, 1))
    assert rows == (
        MonthCount(date(2025, 3, 1), loket.location_id, "Utrecht", 1),
        MonthCount(date(2025, 4, 1), amsterdam.location_id, "Amsterdam", 1),
        MonthCount(date(2025, 4, 1), loket.location_id, "Utrecht", 2),
    )
    only_utrecht = registrations_by_month(
        locations=[loket.location], start=date(2025, 3, 1), end=date(2025, 5, 1)
    )
    assert [row.cases for row in only_utrecht] == [1, 2]


def test_legal_areas_are_listed_in_their_order():
    from cases.figures import legal_areas

    areas = legal_areas()
    assert [area.name for area in areas] == list(
        LegalArea.objects.order_by("position", "name").values_list("name", flat=True)
    )
    assert any(not area.in_pilot_scope for area in areas)
