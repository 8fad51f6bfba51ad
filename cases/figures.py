"""Month figures of the cases app: non-personal aggregates for a period and some locations.

The only road by which higher apps (research dashboards, the monthly meeting's report) read
figures about cases. Everything is counted by PostgreSQL in a fixed number of queries, whatever
the number of cases, locations or legal areas. The rows carry ids and names of locations,
organisations, legal areas and sociale-kaart organisations: never a person, a case or free text.
Figures per advocaat or per worker are personal data and do not belong here.

The period is [start, end) in local dates (Europe/Amsterdam): a case registered at 23:30 on the
last day counts, one at 00:00 of `end` does not. Each figure counts events by their own moment:
a case by its registration, an advice when it was recorded, a solution when the case was first
closed, waiting for the second line when the case started to wait, a handover when it was made.
Counts are raw: suppressing small numbers is for the research app.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
)
from django.db.models.functions import TruncDate, TruncMonth

from accounts.models import Location
from cases.models import (
    Case,
    CaseStatusChange,
    Handover,
    LegalArea,
    SecondLineAdvice,
    SubProblem,
    YesNoUnsure,
)

LOCAL = ZoneInfo(settings.TIME_ZONE)

# ---------------------------------------------------------------- building blocks
# Public, so piket.figures counts the same way.


class Median(Aggregate):
    """PostgreSQL's `percentile_cont(0.5)`: the middle value, or the mean of the two middle
    values of an even number; None for no values (nulls are skipped)."""

    function = "percentile_cont"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


class LocalDaysBetween(Func):
    """Whole calendar days in Europe/Amsterdam from `start` to `end` (two datetimes): 0 on the
    same local day, 1 from Monday 23:00 to Tuesday 01:00. Null when either is null."""

    arg_joiner = " - "
    template = "(%(expressions)s)"
    output_field = IntegerField()

    def __init__(self, start, end):
        super().__init__(TruncDate(end, tzinfo=LOCAL), TruncDate(start, tzinfo=LOCAL))


def local_midnight(day: date) -> datetime:
    """The start of a local day as an aware datetime: a range on an indexed datetime column
    (no date cast), so the index serves the period filter."""
    return datetime.combine(day, time.min, tzinfo=LOCAL)


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start, end) of local dates as aware datetimes."""
    if end <= start:
        raise ValueError("The period ends on or before its start.")
    return local_midnight(start), local_midnight(end)


def location_filter(locations: Sequence[Location] | None, field: str) -> Q:
    """No condition for None (all locations, the national one included), else `field` in them."""
    if locations is None:
        return Q()
    return Q(**{f"{field}__in": [location.pk for location in locations]})


def location_ids(locations: Sequence[Location] | None) -> tuple[int, ...] | None:
    return None if locations is None else tuple(sorted(location.pk for location in locations))


@dataclass(frozen=True)
class Durations:
    """How long something took, in whole local calendar days.

    The buckets: within a week (solved at the desk or after one piket consult), within a month
    (a consult and a follow-up), within a quarter (the six-week objection term of most
    decisions falls here), and longer (a procedure). They add up to `count`."""

    count: int
    median_days: float | None
    up_to_7_days: int
    days_8_to_30: int
    days_31_to_90: int
    over_90_days: int

    @classmethod
    def from_row(cls, row: dict) -> Durations:
        return cls(**{name: row[name] for name in cls.__dataclass_fields__})


def duration_aggregates(days: str) -> dict[str, Aggregate]:
    """The aggregates behind `Durations`, over an annotation of whole days (nulls skipped)."""
    return {
        "count": Count(days),
        "median_days": Median(days),
        "up_to_7_days": Count(days, filter=Q(**{f"{days}__lte": 7})),
        "days_8_to_30": Count(days, filter=Q(**{f"{days}__range": (8, 30)})),
        "days_31_to_90": Count(days, filter=Q(**{f"{days}__range": (31, 90)})),
        "over_90_days": Count(days, filter=Q(**{f"{days}__gt": 90})),
    }


@dataclass(frozen=True)
class ChoiceCount:
    """How many have this value of a choice field; `label` is the Dutch label."""

    value: str
    label: str
    count: int


def _choice_aggregates(field: str, choices) -> dict[str, Count]:
    return {f"{field}:{value}": Count("pk", filter=Q(**{field: value})) for value in choices.values}


def _choice_counts(row: dict, field: str, choices) -> tuple[ChoiceCount, ...]:
    return tuple(
        ChoiceCount(value=value, label=str(label), count=row[f"{field}:{value}"])
        for value, label in choices.choices
    )


# ---------------------------------------------------------------- the figures


@dataclass(frozen=True)
class CaseProfile:
    """The cases registered in the period, and how they came in and who the clients are, as
    counts per answer (every answer listed, also with 0). `outside_pilot_scope`: cases none of
    whose sub-problems is in a legal area of the pilot (family law, other)."""

    registered: int
    with_research_consent: int
    outside_pilot_scope: int
    channel: tuple[ChoiceCount, ...]
    age_band: tuple[ChoiceCount, ...]
    household: tuple[ChoiceCount, ...]
    income: tuple[ChoiceCount, ...]


@dataclass(frozen=True)
class OrganisationCases:
    """Cases registered in the period by one organisation (at its location)."""

    location_id: int
    location_name: str
    organisation_id: int
    organisation_name: str
    organisation_kind: str
    cases: int


@dataclass(frozen=True)
class LegalAreaCases:
    """Cases registered in the period by one organisation with a sub-problem in one legal area,
    and the first line's answer to the pilot's question 1 (is referral to an advocaat useful?)
    per sub-problem. A case with sub-problems in two areas counts in both."""

    location_id: int
    location_name: str
    organisation_id: int
    organisation_name: str
    legal_area_id: int
    legal_area_name: str
    in_pilot_scope: bool
    cases: int
    subproblems: int
    referral_useful_yes: int
    referral_useful_no: int
    referral_useful_unsure: int


@dataclass(frozen=True)
class KindOfCaseCount:
    """Sub-problems of the cases registered in the period, per legal area and kind of case;
    `kind_of_case_id` None: no kind chosen."""

    legal_area_id: int
    legal_area_name: str
    kind_of_case_id: int | None
    kind_of_case_name: str
    subproblems: int


@dataclass(frozen=True)
class CounterpartyCount:
    """Cases registered in the period per opposing party from the list; `counterparty_id`
    None: none chosen from the list (none, or only typed in, which is not counted here)."""

    counterparty_id: int | None
    counterparty_name: str
    cases: int


@dataclass(frozen=True)
class SecondLineAnswers:
    """The advocaten's advice recorded in the period on sub-problems of one legal area: their
    answers to the pilot's questions, and how the case went on. Each advice is one answer: an
    advocaat who advised on a sub-problem in two piket consults answered twice (once per
    consult), through the case once (updated in place), so nothing is counted twice.

    - question 3, same legal analysis as the first line: `same_analysis`, `partly_same_analysis`,
      `different_analysis`;
    - question 1, is referral to an advocaat useful: `referral_useful_*`, and
      `referral_answer_as_first_line` when the advocaat answered it as the first line did;
    - question 2: `names_fitting_organisation`, advice naming at least one sociale-kaart
      organisation that fits (which ones: `CaseFigures.sociale_kaart`);
    - `certificate_otherwise_*`: would a LAT or toevoeging have been requested without this
      advice, answered per sub-problem. Not the number of LATs avoided: a piket consult
      answers it for each of its sub-problems, so one consult can say "yes" twice; the pilot's
      headline figure, LAT avoided per consult, is `piket.figures.ConsultCounts.lat_avoided`;
    - `continuation`: how the case goes on; `feedback`: the feedback codes to the first line
      (an advice can carry several)."""

    legal_area_id: int
    legal_area_name: str
    in_pilot_scope: bool
    advice: int
    same_analysis: int
    partly_same_analysis: int
    different_analysis: int
    referral_useful_yes: int
    referral_useful_no: int
    referral_useful_unsure: int
    referral_answer_as_first_line: int
    names_fitting_organisation: int
    certificate_otherwise_yes: int
    certificate_otherwise_no: int
    certificate_otherwise_unsure: int
    takes_case: int
    continuation: tuple[ChoiceCount, ...]
    feedback: tuple[ChoiceCount, ...]


@dataclass(frozen=True)
class SocialMapCount:
    """Question 2 per organisation of the sociale kaart: how often the first line considered it
    for a sub-problem of a case registered in the period, and how often an advocaat named it as
    fitting in an advice recorded in the period."""

    entry_id: int
    entry_name: str
    entry_location_name: str
    considered_by_first_line: int
    named_fitting_by_advocaat: int


@dataclass(frozen=True)
class LocationDurations:
    location_id: int
    location_name: str
    durations: Durations


@dataclass(frozen=True)
class WaitingForSecondLine:
    """Cases that started waiting for the second line in the period (a case that starts waiting
    twice counts twice); `waited`: how long, until the case's next status change, for those
    that stopped waiting; `still_waiting`: those without a next change yet (today)."""

    started_waiting: int
    still_waiting: int
    waited: Durations


@dataclass(frozen=True)
class LocationWaiting:
    location_id: int
    location_name: str
    waiting: WaitingForSecondLine


@dataclass(frozen=True)
class HandoverCounts:
    """Warm handovers made in the period from cases of one location, by their state today;
    `picked_up`: those of the accepted ones whose receiver confirmed being in touch with the
    client ("opgepakt")."""

    location_id: int
    location_name: str
    made: int
    accepted: int
    declined: int
    pending: int
    picked_up: int = 0


@dataclass(frozen=True)
class CaseFigures:
    """The month figures of cases for `location_ids` (None: all locations) in [start, end).

    `time_to_solution`: cases closed with a fitting solution (solution_reached "ja"), counted in
    the period of their first closing, from registration to that first closing. A case reopened
    and closed again keeps its first closing: the history does not tell which closing brought
    the solution."""

    start: date
    end: date
    location_ids: tuple[int, ...] | None
    profile: CaseProfile
    by_organisation: tuple[OrganisationCases, ...]
    by_organisation_and_legal_area: tuple[LegalAreaCases, ...]
    by_kind_of_case: tuple[KindOfCaseCount, ...]
    by_counterparty: tuple[CounterpartyCount, ...]
    second_line_by_legal_area: tuple[SecondLineAnswers, ...]
    sociale_kaart: tuple[SocialMapCount, ...]
    time_to_solution: Durations
    time_to_solution_by_location: tuple[LocationDurations, ...]
    waiting_for_second_line: WaitingForSecondLine
    waiting_for_second_line_by_location: tuple[LocationWaiting, ...]
    handovers_by_location: tuple[HandoverCounts, ...]


# Parts of `month_figures` a caller may leave out (`without`): they read as empty (zeros, no
# rows). The monthly meeting's report leaves out what it does not show.
OPTIONAL_PARTS = frozenset({"profile", "by_kind_of_case", "by_counterparty", "waiting"})
NO_DURATIONS = Durations(0, None, 0, 0, 0, 0)


def month_figures(
    *,
    locations: Sequence[Location] | None,
    start: date,
    end: date,
    without: Collection[str] = (),
) -> CaseFigures:
    """The figures of cases at `locations` (None: all) in the local dates [start, end);
    twelve queries, however many rows, one fewer for each of the OPTIONAL_PARTS left out
    (`without`)."""
    if unknown := set(without) - OPTIONAL_PARTS:
        raise ValueError(f"Unknown parts of the month figures: {sorted(unknown)}")
    since, until = period_bounds(start, end)
    registered = Case.objects.filter(
        location_filter(locations, "location"), registered_at__gte=since, registered_at__lt=until
    )
    waiting, waiting_by_location = WaitingForSecondLine(0, 0, NO_DURATIONS), ()
    if "waiting" not in without:
        waiting, waiting_by_location = _waiting(locations, since, until)
    return CaseFigures(
        start=start,
        end=end,
        location_ids=location_ids(locations),
        profile=(
            CaseProfile(0, 0, 0, (), (), (), ()) if "profile" in without else _profile(registered)
        ),
        by_organisation=_by_organisation(registered),
        by_organisation_and_legal_area=_by_organisation_and_legal_area(registered),
        by_kind_of_case=() if "by_kind_of_case" in without else _by_kind_of_case(registered),
        by_counterparty=() if "by_counterparty" in without else _by_counterparty(registered),
        second_line_by_legal_area=_second_line(locations, since, until),
        sociale_kaart=_sociale_kaart(registered, locations, since, until),
        time_to_solution=Durations.from_row(
            _solved(locations, since, until).aggregate(**duration_aggregates("days"))
        ),
        time_to_solution_by_location=tuple(
            LocationDurations(
                row["case__location_id"], row["case__location__name"], Durations.from_row(row)
            )
            for row in _by_location(_solved(locations, since, until), "case__location").annotate(
                **duration_aggregates("days")
            )
        ),
        waiting_for_second_line=waiting,
        waiting_for_second_line_by_location=waiting_by_location,
        handovers_by_location=_handovers(locations, since, until),
    )


def _by_location(queryset, location: str):
    return queryset.values(f"{location}_id", f"{location}__name").order_by(
        f"{location}__is_national", f"{location}__name", f"{location}_id"
    )


def _profile(registered) -> CaseProfile:
    in_scope = SubProblem.objects.filter(case=OuterRef("pk"), legal_area__in_pilot_scope=True)
    row = registered.aggregate(
        registered=Count("pk"),
        with_research_consent=Count("pk", filter=Q(research_consent=True)),
        outside_pilot_scope=Count("pk", filter=~Q(Exists(in_scope))),
        **_choice_aggregates("channel", Case.Channel),
        **_choice_aggregates("age_band", Case.AgeBand),
        **_choice_aggregates("household", Case.Household),
        **_choice_aggregates("income", Case.Income),
    )
    return CaseProfile(
        registered=row["registered"],
        with_research_consent=row["with_research_consent"],
        outside_pilot_scope=row["outside_pilot_scope"],
        channel=_choice_counts(row, "channel", Case.Channel),
        age_band=_choice_counts(row, "age_band", Case.AgeBand),
        household=_choice_counts(row, "household", Case.Household),
        income=_choice_counts(row, "income", Case.Income),
    )


def _by_organisation(registered) -> tuple[OrganisationCases, ...]:
    rows = (
        registered.values(
            "location_id",
            "location__name",
            "organisation_id",
            "organisation__name",
            "organisation__kind",
        )
        .annotate(cases=Count("pk"))
        .order_by("location__is_national", "location__name", "organisation__name")
    )
    return tuple(
        OrganisationCases(
            location_id=row["location_id"],
            location_name=row["location__name"],
            organisation_id=row["organisation_id"],
            organisation_name=row["organisation__name"],
            organisation_kind=row["organisation__kind"],
            cases=row["cases"],
        )
        for row in rows
    )


def _by_organisation_and_legal_area(registered) -> tuple[LegalAreaCases, ...]:
    answer = "referral_useful"
    rows = (
        SubProblem.objects.filter(case__in=registered)
        .values(
            "case__location_id",
            "case__location__name",
            "case__organisation_id",
            "case__organisation__name",
            "legal_area_id",
            "legal_area__name",
            "legal_area__in_pilot_scope",
        )
        .annotate(
            cases=Count("case_id", distinct=True),
            subproblems=Count("pk"),
            yes=Count("pk", filter=Q(**{answer: YesNoUnsure.YES})),
            no=Count("pk", filter=Q(**{answer: YesNoUnsure.NO})),
            unsure=Count("pk", filter=Q(**{answer: YesNoUnsure.UNSURE})),
        )
        .order_by(
            "case__location__is_national",
            "case__location__name",
            "case__organisation__name",
            "legal_area__position",
            "legal_area__name",
        )
    )
    return tuple(
        LegalAreaCases(
            location_id=row["case__location_id"],
            location_name=row["case__location__name"],
            organisation_id=row["case__organisation_id"],
            organisation_name=row["case__organisation__name"],
            legal_area_id=row["legal_area_id"],
            legal_area_name=row["legal_area__name"],
            in_pilot_scope=row["legal_area__in_pilot_scope"],
            cases=row["cases"],
            subproblems=row["subproblems"],
            referral_useful_yes=row["yes"],
            referral_useful_no=row["no"],
            referral_useful_unsure=row["unsure"],
        )
        for row in rows
    )


def _by_kind_of_case(registered) -> tuple[KindOfCaseCount, ...]:
    rows = (
        SubProblem.objects.filter(case__in=registered)
        .values("legal_area_id", "legal_area__name", "kind_of_case_id", "kind_of_case__name")
        .annotate(subproblems=Count("pk"))
        .order_by("legal_area__position", "legal_area__name", "kind_of_case__name")
    )
    return tuple(
        KindOfCaseCount(
            legal_area_id=row["legal_area_id"],
            legal_area_name=row["legal_area__name"],
            kind_of_case_id=row["kind_of_case_id"],
            kind_of_case_name=row["kind_of_case__name"] or "",
            subproblems=row["subproblems"],
        )
        for row in rows
    )


def _by_counterparty(registered) -> tuple[CounterpartyCount, ...]:
    rows = (
        registered.values("counterparty_id", "counterparty__name")
        .annotate(cases=Count("pk"))
        .order_by("counterparty__position", "counterparty__name")
    )
    return tuple(
        CounterpartyCount(
            counterparty_id=row["counterparty_id"],
            counterparty_name=row["counterparty__name"] or "",
            cases=row["cases"],
        )
        for row in rows
    )


def _second_line(locations, since: datetime, until: datetime) -> tuple[SecondLineAnswers, ...]:
    fitting = SecondLineAdvice.fitting_organisations.through.objects.filter(
        secondlineadvice=OuterRef("pk")
    )
    match = SecondLineAdvice.Match
    rows = (
        SecondLineAdvice.objects.filter(
            location_filter(locations, "subproblem__case__location"),
            created_at__gte=since,
            created_at__lt=until,
        )
        .values(
            "subproblem__legal_area_id",
            "subproblem__legal_area__name",
            "subproblem__legal_area__in_pilot_scope",
        )
        .annotate(
            advice=Count("pk"),
            same_analysis=Count("pk", filter=Q(analysis_match=match.SAME)),
            partly_same_analysis=Count("pk", filter=Q(analysis_match=match.PARTLY)),
            different_analysis=Count("pk", filter=Q(analysis_match=match.DIFFERENT)),
            referral_useful_yes=Count("pk", filter=Q(referral_useful=YesNoUnsure.YES)),
            referral_useful_no=Count("pk", filter=Q(referral_useful=YesNoUnsure.NO)),
            referral_useful_unsure=Count("pk", filter=Q(referral_useful=YesNoUnsure.UNSURE)),
            referral_answer_as_first_line=Count(
                "pk", filter=Q(referral_useful=F("subproblem__referral_useful"))
            ),
            names_fitting_organisation=Count("pk", filter=Q(Exists(fitting))),
            certificate_otherwise_yes=Count("pk", filter=Q(certificate_otherwise=YesNoUnsure.YES)),
            certificate_otherwise_no=Count("pk", filter=Q(certificate_otherwise=YesNoUnsure.NO)),
            certificate_otherwise_unsure=Count(
                "pk", filter=Q(certificate_otherwise=YesNoUnsure.UNSURE)
            ),
            advocaat_takes_case=Count("pk", filter=Q(takes_case=True)),
            **_choice_aggregates("continuation", SecondLineAdvice.Continuation),
            **{
                f"feedback:{code}": Count("pk", filter=Q(feedback__contains=[code]))
                for code in SecondLineAdvice.Feedback.values
            },
        )
        .order_by("subproblem__legal_area__position", "subproblem__legal_area__name")
    )
    return tuple(
        SecondLineAnswers(
            legal_area_id=row["subproblem__legal_area_id"],
            legal_area_name=row["subproblem__legal_area__name"],
            in_pilot_scope=row["subproblem__legal_area__in_pilot_scope"],
            advice=row["advice"],
            same_analysis=row["same_analysis"],
            partly_same_analysis=row["partly_same_analysis"],
            different_analysis=row["different_analysis"],
            referral_useful_yes=row["referral_useful_yes"],
            referral_useful_no=row["referral_useful_no"],
            referral_useful_unsure=row["referral_useful_unsure"],
            referral_answer_as_first_line=row["referral_answer_as_first_line"],
            names_fitting_organisation=row["names_fitting_organisation"],
            certificate_otherwise_yes=row["certificate_otherwise_yes"],
            certificate_otherwise_no=row["certificate_otherwise_no"],
            certificate_otherwise_unsure=row["certificate_otherwise_unsure"],
            takes_case=row["advocaat_takes_case"],
            continuation=_choice_counts(row, "continuation", SecondLineAdvice.Continuation),
            feedback=_choice_counts(row, "feedback", SecondLineAdvice.Feedback),
        )
        for row in rows
    )


def _sociale_kaart(registered, locations, since, until) -> tuple[SocialMapCount, ...]:
    """Two queries (two link tables), joined by entry."""
    entry_fields = ("socialmapentry_id", "socialmapentry__name", "socialmapentry__location__name")
    considered = (
        SubProblem.considered_organisations.through.objects.filter(subproblem__case__in=registered)
        .values(*entry_fields)
        .annotate(n=Count("pk"))
        .order_by()
    )
    named = (
        SecondLineAdvice.fitting_organisations.through.objects.filter(
            location_filter(locations, "secondlineadvice__subproblem__case__location"),
            secondlineadvice__created_at__gte=since,
            secondlineadvice__created_at__lt=until,
        )
        .values(*entry_fields)
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[tuple, dict[str, int]] = {}
    for key, rows in (("considered", considered), ("named", named)):
        for row in rows:
            entry = tuple(row[name] for name in entry_fields)
            counts.setdefault(entry, {"considered": 0, "named": 0})[key] = row["n"]
    return tuple(
        SocialMapCount(
            entry_id=entry_id,
            entry_name=name,
            entry_location_name=location_name,
            considered_by_first_line=n["considered"],
            named_fitting_by_advocaat=n["named"],
        )
        for (entry_id, name, location_name), n in sorted(
            counts.items(), key=lambda item: (item[0][1], item[0][0])
        )
    )


def _solved(locations, since: datetime, until: datetime):
    """The first closings in the period of cases now closed with a fitting solution, with
    `days` from registration to that closing (one row per case)."""
    earlier_closing = CaseStatusChange.objects.filter(
        case=OuterRef("case"), to_status=Case.Status.CLOSED
    ).filter(Q(at__lt=OuterRef("at")) | Q(at=OuterRef("at"), pk__lt=OuterRef("pk")))
    return (
        CaseStatusChange.objects.filter(
            location_filter(locations, "case__location"),
            to_status=Case.Status.CLOSED,
            at__gte=since,
            at__lt=until,
            case__status=Case.Status.CLOSED,
            case__solution_reached=YesNoUnsure.YES,
        )
        .exclude(Exists(earlier_closing))
        .annotate(days=LocalDaysBetween("case__registered_at", "at"))
    )


# Each start of waiting for the second line in the period, with the case's next status change
# (null while it still waits), counted per location and for all (GROUPING SETS) in one query.
# In SQL, not the ORM: the ORM repeats the correlated next-change subquery in every aggregate
# that reads it (13 subplans over each start at 1M cases, 12 s); the MATERIALIZED CTE looks it
# up once per start (bench/README.md, "Research dashboard").
_WAITS_SQL = """
WITH waits AS MATERIALIZED (
    SELECT c.location_id, w.at, (
        SELECT n.at FROM {changes} n
        WHERE n.case_id = w.case_id AND (n.at > w.at OR (n.at = w.at AND n.id > w.id))
        ORDER BY n.at, n.id LIMIT 1
    ) AS left_at
    FROM {changes} w JOIN {cases} c ON c.id = w.case_id
    WHERE w.to_status = %(waiting)s AND w.at >= %(since)s AND w.at < %(until)s {where}
), waited AS (
    SELECT location_id, left_at,
        (left_at AT TIME ZONE %(tz)s)::date - (at AT TIME ZONE %(tz)s)::date AS days
    FROM waits
)
SELECT GROUPING(w.location_id) AS all_locations, w.location_id, l.name,
    count(*), count(*) FILTER (WHERE w.left_at IS NULL),
    count(w.days), percentile_cont(0.5) WITHIN GROUP (ORDER BY w.days),
    count(w.days) FILTER (WHERE w.days <= 7),
    count(w.days) FILTER (WHERE w.days BETWEEN 8 AND 30),
    count(w.days) FILTER (WHERE w.days BETWEEN 31 AND 90),
    count(w.days) FILTER (WHERE w.days > 90)
FROM waited w JOIN {locations} l ON l.id = w.location_id
GROUP BY GROUPING SETS ((w.location_id, l.name, l.is_national), ())
ORDER BY GROUPING(w.location_id), l.is_national, l.name, w.location_id
"""


def _waiting(
    locations, since: datetime, until: datetime
) -> tuple[WaitingForSecondLine, tuple[LocationWaiting, ...]]:
    """Waiting for the second line in the period: for all `locations` and per location."""
    where = "" if locations is None else "AND c.location_id = ANY(%(ids)s::bigint[])"
    sql = _WAITS_SQL.format(
        changes=CaseStatusChange._meta.db_table,
        cases=Case._meta.db_table,
        locations=Location._meta.db_table,
        where=where,
    )
    params = {
        "waiting": Case.Status.WAITING.value,
        "since": since,
        "until": until,
        "tz": str(LOCAL),
        "ids": [location.pk for location in locations or ()],
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    total, per_location = WaitingForSecondLine(0, 0, Durations(0, None, 0, 0, 0, 0)), []
    for all_locations, location_id, name, started, still, *durations in rows:
        waiting = WaitingForSecondLine(started, still, Durations(*durations))
        if all_locations:
            total = waiting
        else:
            per_location.append(LocationWaiting(location_id, name, waiting))
    return total, tuple(per_location)


def _handovers(locations, since: datetime, until: datetime) -> tuple[HandoverCounts, ...]:
    status = Handover.Status
    rows = _by_location(
        Handover.objects.filter(
            location_filter(locations, "case__location"),
            created_at__gte=since,
            created_at__lt=until,
        ),
        "case__location",
    ).annotate(
        made=Count("pk"),
        accepted=Count("pk", filter=Q(status=status.ACCEPTED)),
        declined=Count("pk", filter=Q(status=status.DECLINED)),
        pending=Count("pk", filter=Q(status=status.PENDING)),
        picked_up=Count("pk", filter=Q(picked_up_at__isnull=False)),
    )
    return tuple(
        HandoverCounts(
            location_id=row["case__location_id"],
            location_name=row["case__location__name"],
            made=row["made"],
            accepted=row["accepted"],
            declined=row["declined"],
            pending=row["pending"],
            picked_up=row["picked_up"],
        )
        for row in rows
    )


# ---------------------------------------------------------------- per month


@dataclass(frozen=True)
class MonthCount:
    """Cases registered at one location in one local calendar month (`month`: its first day)."""

    month: date
    location_id: int
    location_name: str
    cases: int


def registrations_by_month(
    *, locations: Sequence[Location] | None, start: date, end: date
) -> tuple[MonthCount, ...]:
    """Cases registered in [start, end) per local month and location; one query. Months and
    locations without cases have no row."""
    since, until = period_bounds(start, end)
    rows = (
        Case.objects.filter(
            location_filter(locations, "location"),
            registered_at__gte=since,
            registered_at__lt=until,
        )
        .annotate(month=TruncMonth("registered_at", tzinfo=LOCAL))
        .values("month", "location_id", "location__name")
        .annotate(cases=Count("pk"))
        .order_by("month", "location__is_national", "location__name")
    )
    return tuple(
        MonthCount(
            month=row["month"].date() if isinstance(row["month"], datetime) else row["month"],
            location_id=row["location_id"],
            location_name=row["location__name"],
            cases=row["cases"],
        )
        for row in rows
    )


@dataclass(frozen=True)
class LegalAreaName:
    id: int
    name: str
    in_pilot_scope: bool


def legal_areas() -> tuple[LegalAreaName, ...]:
    """The legal areas in their usual order (reference data: for filters beside the figures)."""
    return tuple(
        LegalAreaName(row["id"], row["name"], row["in_pilot_scope"])
        for row in LegalArea.objects.order_by("position", "name").values(
            "id", "name", "in_pilot_scope"
        )
    )


@dataclass(frozen=True)
class LocationMonth:
    """The headline figures of one location in one local month (`month`: its first day), each
    counted as in `month_figures`: cases by registration; advice (and its answer to question 3,
    the same legal analysis as the first line) when recorded; warm handovers when made, and
    those accepted and picked up ("opgepakt") today; cases by their first closing with a
    fitting solution, with the median of the days from registration to it. For the trend and
    the comparison of locations in the monthly meeting's report."""

    month: date
    location_id: int
    location_name: str
    registered: int = 0
    advice: int = 0
    same_analysis: int = 0
    partly_same_analysis: int = 0
    different_analysis: int = 0
    handovers: int = 0
    handovers_accepted: int = 0
    handovers_picked_up: int = 0
    solved: int = 0
    solved_median_days: float | None = None


def location_months(
    *, locations: Sequence[Location] | None, start: date, end: date
) -> tuple[LocationMonth, ...]:
    """`LocationMonth` per local month and location in [start, end), for `locations` (None:
    all); four queries, however many rows. A month and location without any figure has no row."""
    since, until = period_bounds(start, end)
    match = SecondLineAdvice.Match
    counted: dict[tuple[date, int], dict] = {}
    names: dict[int, str] = {}

    def collect(queryset, location: str, moment: str, **aggregates) -> None:
        rows = (
            queryset.annotate(month=TruncMonth(moment, tzinfo=LOCAL))
            .values("month", f"{location}_id", f"{location}__name")
            .annotate(**aggregates)
            .order_by()
        )
        for row in rows:
            month = row.pop("month")
            month = month.date() if isinstance(month, datetime) else month
            location_id = row.pop(f"{location}_id")
            names[location_id] = row.pop(f"{location}__name")
            counted.setdefault((month, location_id), {}).update(row)

    collect(
        Case.objects.filter(
            location_filter(locations, "location"),
            registered_at__gte=since,
            registered_at__lt=until,
        ),
        "location",
        "registered_at",
        # count(*), not count(id): the indexes on (location, registered_at) and (registered_at,
        # location) answer it alone (an index-only scan), without reading the cases
        registered=Count("*"),
    )
    collect(
        SecondLineAdvice.objects.filter(
            location_filter(locations, "subproblem__case__location"),
            created_at__gte=since,
            created_at__lt=until,
        ),
        "subproblem__case__location",
        "created_at",
        advice=Count("pk"),
        same_analysis=Count("pk", filter=Q(analysis_match=match.SAME)),
        partly_same_analysis=Count("pk", filter=Q(analysis_match=match.PARTLY)),
        different_analysis=Count("pk", filter=Q(analysis_match=match.DIFFERENT)),
    )
    collect(
        Handover.objects.filter(
            location_filter(locations, "case__location"),
            created_at__gte=since,
            created_at__lt=until,
        ),
        "case__location",
        "created_at",
        handovers=Count("pk"),
        handovers_accepted=Count("pk", filter=Q(status=Handover.Status.ACCEPTED)),
        handovers_picked_up=Count("pk", filter=Q(picked_up_at__isnull=False)),
    )
    collect(
        _solved(locations, since, until),
        "case__location",
        "at",
        solved=Count("days"),
        solved_median_days=Median("days"),
    )
    return tuple(
        LocationMonth(month=month, location_id=location_id, location_name=names[location_id], **row)
        for (month, location_id), row in sorted(
            counted.items(), key=lambda item: (item[0][0], names[item[0][1]], item[0][1])
        )
    )


@dataclass(frozen=True)
class FeedbackCount:
    """How often the second line gave one feedback code on intakes of one location in the
    period (an advice counts once per code it names): the signalering's automatic signals."""

    location_id: int
    code: str
    label: str
    advice: int


def second_line_feedback_by_location(*, start: date, end: date) -> tuple[FeedbackCount, ...]:
    """The second line's coded feedback (`SecondLineAdvice.Feedback`) recorded in [start, end),
    per location of the case and code; one query. Codes never given have no row."""
    since, until = period_bounds(start, end)
    codes = SecondLineAdvice.Feedback
    rows = (
        SecondLineAdvice.objects.filter(created_at__gte=since, created_at__lt=until)
        .exclude(feedback=[])
        .values("subproblem__case__location_id")
        .annotate(
            **{code: Count("pk", filter=Q(feedback__contains=[code])) for code in codes.values}
        )
        .order_by("subproblem__case__location_id")
    )
    return tuple(
        FeedbackCount(
            location_id=row["subproblem__case__location_id"],
            code=code,
            label=str(label),
            advice=row[code],
        )
        for row in rows
        for code, label in codes.choices
        if row[code]
    )
