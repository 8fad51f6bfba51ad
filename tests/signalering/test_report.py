"""The prepared month report (signalering.report) against a hand-computed fixture.

March 2026 at Utrecht (the trend runs from September 2025):

- cases registered in March: 6 at the loket (L1-L6: huurrecht; referral useful "ja" for 4, "nee"
  for 2; L1 also an arbeidsrecht sub-problem, "weet niet") and 3 at the sociaal raadslieden
  (R1-R3: huurrecht, "weet niet"); R3 was closed on 20 March with a fitting solution (18 days).
  F1 registered 5 February, closed 5 March with a solution (28 days); J1 registered in January;
  O1 in August 2025 (before the trend); N1 closed in March without a solution (not counted).
- one piket shift on 12 March in Utrecht: 6 held consults (L1-L6, huurrecht; advice: LAT
  avoided for 4), 1 no-show, 1 advocaat not reached, 1 cancelled, 1 still to come (10 booked);
  and 1 held consult of an Amsterdam case (counts for Amsterdam, not Utrecht).
- advice recorded in March: the 6 of the consults (same analysis 4, partly 1, different 1) and 4
  through the case (R1 same, R2 partly, R3 different, L6 unanswered): 10 advice, same 5, partly 2,
  different 2, unanswered 1 — agreement 5 of 9 answered = 56%.
- warm handovers made 15 March: L1 and L2 accepted, L3 pending.
- Amsterdam: 12 cases registered in March at its loket.
"""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from django.template.loader import render_to_string

from cases.models import Case, Handover, SecondLineAdvice, YesNoUnsure
from piket.localtime import LOCAL
from piket.models import Consult
from research.suppression import CellState
from signalering import report as report_module
from signalering.report import MonthReport, month_report
from tests.cases.factories import (
    CaseFactory,
    CaseStatusChangeFactory,
    HandoverFactory,
    SecondLineAdviceFactory,
    SocialMapEntryFactory,
    SubProblemFactory,
)
from tests.piket.factories import ConsultAdviceFactory, ConsultFactory, area, make_shift
from tests.research.factories import page_tables

pytestmark = pytest.mark.django_db

MARCH = date(2026, 3, 1)
Match = SecondLineAdvice.Match
QUERIES = 28  # month_report's queries, whatever the data


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=LOCAL)


def case(organisation, registered: date, referral=YesNoUnsure.YES, *, closed: date | None = None):
    made = CaseFactory(
        organisation=organisation,
        registered_at=at(registered),
        first_contact_on=registered,
        history=False,
        **(
            {"closed_on": closed, "status": Case.Status.CLOSED, "solution_reached": "ja"}
            if closed
            else {}
        ),
    )
    SubProblemFactory(case=made, legal_area=area("huurrecht"), referral_useful=referral)
    CaseStatusChangeFactory(
        case=made, from_status="", to_status=Case.Status.OPEN, at=made.registered_at
    )
    if closed:
        CaseStatusChangeFactory(
            case=made, from_status=Case.Status.OPEN, to_status=Case.Status.CLOSED, at=at(closed)
        )
    return made


@pytest.fixture
def march(orgs_utrecht, orgs_amsterdam, bart):
    loket, raad = orgs_utrecht["loket"], orgs_utrecht["raadslieden"]
    day = date(2026, 3, 10)
    yes, no, unsure = YesNoUnsure.YES, YesNoUnsure.NO, YesNoUnsure.UNSURE
    loket_cases = [case(loket, day, referral) for referral in (yes, yes, yes, yes, no, no)]
    SubProblemFactory(case=loket_cases[0], legal_area=area("arbeidsrecht"), referral_useful=unsure)
    r1, r2 = case(raad, date(2026, 3, 11), unsure), case(raad, date(2026, 3, 11), unsure)
    r3 = case(raad, date(2026, 3, 2), unsure, closed=date(2026, 3, 20))
    case(loket, date(2026, 2, 5), closed=date(2026, 3, 5))
    case(loket, date(2026, 1, 15))
    case(loket, date(2025, 8, 20))
    unsolved = case(loket, date(2026, 2, 2), closed=date(2026, 3, 6))
    Case.objects.filter(pk=unsolved.pk).update(solution_reached=YesNoUnsure.NO)
    amsterdam_cases = [case(orgs_amsterdam["loket"], day) for _i in range(12)]

    shift = make_shift(loket.location, [bart], day=date(2026, 3, 12), start=time(9), end=time(14))
    consult_cases = [*loket_cases, *loket_cases[:4], amsterdam_cases[0]]
    statuses = [Consult.Status.HELD] * 6 + [
        Consult.Status.NO_SHOW,
        Consult.Status.NOT_REACHED,
        Consult.Status.CANCELLED,
        Consult.Status.BOOKED,
        Consult.Status.HELD,
    ]
    matches = [Match.SAME] * 4 + [Match.PARTLY, Match.DIFFERENT]
    entry = SocialMapEntryFactory(location=loket.location, name="Schuldhulp Utrecht")
    for i, (consult_case, status) in enumerate(zip(consult_cases, statuses, strict=True)):
        consult = ConsultFactory(
            shift=shift,
            case=consult_case,
            advocaat=bart,
            legal_area=area("huurrecht"),
            minutes=20 * i,
            status=status,
        )
        if i < 6:
            ConsultAdviceFactory(
                consult=consult,
                subproblem=consult_case.subproblems.get(legal_area=area("huurrecht")),
                advice__analysis_match=matches[i],
                advice__certificate_otherwise=YesNoUnsure.YES if i < 4 else YesNoUnsure.NO,
                advice__referral_useful=YesNoUnsure.YES,
            )
    for made, match in ((r1, Match.SAME), (r2, Match.PARTLY), (r3, Match.DIFFERENT)):
        SecondLineAdviceFactory(
            subproblem=made.subproblems.get(), advocaat=bart, analysis_match=match
        )
    SecondLineAdviceFactory(
        subproblem=loket_cases[5].subproblems.get(),
        advocaat=bart,
        analysis_match="",
        fitting_organisations=[entry],
    )
    loket_cases[0].subproblems.get(legal_area=area("huurrecht")).considered_organisations.set(
        [entry]
    )
    SecondLineAdvice.objects.update(created_at=at(date(2026, 3, 12), 15))
    for made, status in zip(
        loket_cases[:3],
        (Handover.Status.ACCEPTED, Handover.Status.ACCEPTED, Handover.Status.PENDING),
        strict=True,
    ):
        HandoverFactory(case=made, status=status, created_at=at(date(2026, 3, 15)))


def raw(utrecht):
    return report_module._month_report(
        locations=[utrecht], month=MARCH, audience="team", threshold=None
    )


def lines(report: MonthReport, slug: str) -> dict[str, list[str]]:
    """A table as {row label: [its cells' texts, total, extra]}."""
    table = report.table(slug)
    return {line[0]: line[1:] for line in table.lines}


def test_the_raw_figures_are_the_hand_computed_ones(utrecht, march):
    report = raw(utrecht)
    organisations = lines(report, "maandrapport-casussen-per-organisatie")
    assert organisations == {
        "Het Juridisch Loket Utrecht (Utrecht)": ["6"],
        "Sociaal raadslieden Utrecht (Utrecht)": ["3"],
        "Totaal": ["9"],
    }
    areas = lines(report, "maandrapport-casussen-per-rechtsgebied")
    assert areas["Huurrecht"] == ["9"] and areas["Arbeidsrecht"] == ["1"]
    q1 = lines(report, "maandrapport-vraag1-eerstelijn")
    assert q1["Huurrecht"] == ["4", "2", "3", "0", "9"]
    assert q1["Arbeidsrecht"] == ["0", "0", "1", "0", "1"]
    assert q1["Totaal"] == ["4", "2", "4", "0", "10"]
    # consults booked from Utrecht's cases: the Amsterdam case's consult is not among them
    consults = lines(report, "maandrapport-consulten")
    assert consults["Huurrecht"] == ["1", "6", "1", "1", "1", "10"]
    assert consults["Totaal"] == ["1", "6", "1", "1", "1", "10"]
    assert lines(report, "maandrapport-lat-voorkomen")["Totaal"] == ["6", "4", "67%"]
    q3 = lines(report, "maandrapport-vraag3-analyse")
    assert q3["Huurrecht"] == ["5", "2", "2", "1", "10", "56%"]
    assert q3["Totaal"] == ["5", "2", "2", "1", "10", "56%"]
    assert lines(report, "maandrapport-vraag1-advocaat")["Totaal"] == ["6", "4", "0", "0", "10"]
    assert lines(report, "maandrapport-vraag2-advies")["Totaal"] == ["1", "9", "10"]
    assert lines(report, "maandrapport-vraag2-sociale-kaart")["Schuldhulp Utrecht (Utrecht)"] == [
        "1",
        "1",
    ]
    assert lines(report, "maandrapport-overdrachten") == {"Utrecht": ["2", "0", "1", "3"]}
    assert lines(report, "maandrapport-tijd-tot-oplossing") == {
        "Utrecht": ["0", "2", "0", "0", "2", "23 dagen"]
    }


def test_the_trend_covers_the_month_and_the_six_before(utrecht, march):
    trend = lines(raw(utrecht), "maandrapport-ontwikkeling")
    assert list(trend) == [
        "sep 2025",
        "okt 2025",
        "nov 2025",
        "dec 2025",
        "jan 2026",
        "feb 2026",
        "mrt 2026",
    ]
    #                         cases held n.r. LAT answered same handovers picked solved agreement
    assert trend["mrt 2026"] == ["9", "6", "1", "4", "9", "5", "3", "2", "2", "56%"]
    assert trend["feb 2026"] == ["2", "0", "0", "0", "0", "0", "0", "0", "0", "—"]
    assert trend["jan 2026"][0] == "1"
    assert trend["sep 2025"][0] == "0"  # August's case is before the trend


def test_the_national_comparison_counts_every_location(utrecht, march):
    report = raw(utrecht)
    key = lines(report, "maandrapport-landelijk-kerncijfers")
    assert list(key) == [
        "Amsterdam",
        "Middelburg",
        "Nijmegen",
        "Utrecht",
        "Zwolle",
        "Alle locaties",
    ]
    #                      cases booked held n.r. LAT handovers picked solved median
    assert key["Utrecht"] == ["9", "10", "6", "1", "4", "3", "2", "2", "23 dagen"]
    assert key["Amsterdam"] == ["12", "1", "1", "0", "0", "0", "0", "0", "—"]
    assert key["Alle locaties"][:3] == ["21", "11", "7"]
    q3 = lines(report, "maandrapport-landelijk-vraag3")
    assert q3["Utrecht"] == ["5", "2", "2", "1", "10", "56%"]


def test_the_headlines(utrecht, march):
    headlines = {h.label: h.text for h in raw(utrecht).headlines}
    assert headlines["Geregistreerde casussen"] == "9"
    assert headlines["LAT of toevoeging voorkomen, van de gehouden consulten"] == "4 van 6 (67%)"
    assert (
        headlines[
            "Dezelfde juridische analyse als de eerstelijn (vraag 3), van de adviezen met een "
            "oordeel"
        ]
        == "5 van 9 (56%)"
    )
    assert headlines["Mediane tijd tot een passende oplossing"] == "23 dagen"
    suppressed = {h.label: h.text for h in month_report(locations=[utrecht], month=MARCH).headlines}
    # the median of two cases is nearly one of them: only beside at least 5
    assert suppressed["Mediane tijd tot een passende oplossing"] == "—"
    assert suppressed["LAT of toevoeging voorkomen, van de gehouden consulten"] == "<5 van 6 (—)"


# ---------------------------------------------------------------- suppression


def test_small_counts_read_less_than_five_and_a_lone_one_takes_a_second(utrecht, march):
    report = month_report(locations=[utrecht], month=MARCH)
    organisations = lines(report, "maandrapport-casussen-per-organisatie")
    # the raadslieden's 3 is small; the loket's 6 would give it away (9 - 6): hidden too
    assert organisations == {
        "Het Juridisch Loket Utrecht (Utrecht)": ["×"],
        "Sociaal raadslieden Utrecht (Utrecht)": ["<5"],
        "Totaal": ["9"],
    }
    assert lines(report, "maandrapport-lat-voorkomen")["Totaal"] == ["6", "<5", "—"]
    q3 = lines(report, "maandrapport-vraag3-analyse")["Totaal"]
    assert q3[0] in ("5", "×") and q3[1:4] == ["<5", "<5", "<5"]
    assert q3[-1] == "—"  # no agreement rate beside hidden answers
    # zero is small too
    assert lines(report, "maandrapport-landelijk-kerncijfers")["Zwolle"][0] == "<5"


def _hidden(texts) -> int:
    return sum(text in ("<5", "×") for text in texts)


def test_no_total_gives_a_hidden_cell_away(utrecht, amsterdam, march):
    """Every row and column that is published with its total holds no hidden cell or at
    least two: a total minus the shown cells is never one hidden cell."""
    for scope in ([utrecht], [utrecht, amsterdam]):
        report = month_report(locations=scope, month=MARCH)
        for table in report.tables():
            width = len(table.columns)
            if table.total_heading:
                for row in (*table.rows, *([table.totals] if table.totals else [])):
                    texts = [cell.text for cell in (*row.cells, row.total)]
                    assert _hidden(texts) != 1, (table.slug, row.label, texts)
            if table.totals:
                for c in range(width):
                    texts = [row.cells[c].text for row in (*table.rows, table.totals)]
                    assert _hidden(texts) != 1, (table.slug, c, texts)


def test_one_count_reads_the_same_in_every_table(utrecht, march):
    """The month's cases are the organisations' total, a row of the trend and Utrecht's row of
    the comparison: one cell, so never shown in one table and hidden in another."""
    report = month_report(locations=[utrecht], month=MARCH)
    registered = {
        lines(report, "maandrapport-casussen-per-organisatie")["Totaal"][0],
        lines(report, "maandrapport-ontwikkeling")["mrt 2026"][0],
        lines(report, "maandrapport-landelijk-kerncijfers")["Utrecht"][0],
    }
    assert registered == {"9"}
    held = {
        lines(report, "maandrapport-consulten")["Totaal"][1],
        lines(report, "maandrapport-ontwikkeling")["mrt 2026"][1],
        lines(report, "maandrapport-landelijk-kerncijfers")["Utrecht"][2],
    }
    assert len(held) == 1


def test_the_publication_hides_a_second_cell_across_tables():
    """The core: a line that spans two tables (a location's row of the comparison and the
    location's own table) is protected as one."""
    pub = report_module._Publication(5)
    pub.line([pub.put("a", 3), pub.put("b", 20)], pub.put("a+b", 23))
    pub.line([pub.put("b", 20), pub.put("c", 30)], pub.put("b+c", 50))
    pub.suppress()
    assert pub["a"].state is CellState.PRIMARY
    assert pub["b"].suppressed  # the smallest shown cell of a's line
    assert pub["c"].suppressed or pub["b+c"].suppressed  # and then of b's line
    assert pub["a"].value == 0 and pub["b"].value == 0  # hidden counts are not kept


def test_a_regional_report_sums_its_locations(utrecht, amsterdam, march):
    report = report_module._month_report(
        locations=[utrecht, amsterdam], month=MARCH, audience="team", threshold=None
    )
    assert report.location_names == ("Amsterdam", "Utrecht")
    assert lines(report, "maandrapport-casussen-per-organisatie")["Totaal"] == ["21"]
    assert lines(report, "maandrapport-ontwikkeling")["mrt 2026"][:2] == ["21", "7"]
    assert lines(report, "maandrapport-overdrachten")["Totaal"] == ["2", "0", "1", "3"]


def test_guests_get_no_other_locations(utrecht, march):
    report = month_report(locations=[utrecht], month=MARCH, audience="guests")
    assert report.table("maandrapport-landelijk-kerncijfers") is None
    assert "Amsterdam" not in render_to_string("signalering/_month_report.html", {"report": report})


def test_an_unknown_audience_or_no_location_is_refused(utrecht):
    with pytest.raises(ValueError):
        month_report(locations=[utrecht], month=MARCH, audience="iedereen")
    with pytest.raises(ValueError):
        month_report(locations=[], month=MARCH)


# ---------------------------------------------------------------- freezing and the page


def test_the_frozen_json_renders_the_same_page(utrecht, march):
    report = month_report(locations=[utrecht], month=MARCH)
    frozen = report.to_json()
    import json

    thawed = MonthReport.from_json(json.loads(json.dumps(frozen)))
    assert thawed == report
    page = render_to_string("signalering/_month_report.html", {"report": report})
    assert render_to_string("signalering/_month_report.html", {"report": thawed}) == page
    # hidden counts are not in the frozen report: the raadslieden's 3 is nowhere
    organisations = next(
        table
        for section in frozen["sections"]
        for table in section["tables"]
        if table["slug"] == "maandrapport-casussen-per-organisatie"
    )
    assert [row["cells"] for row in organisations["rows"]] == [["×"], ["<5"]]


def test_an_unknown_version_is_refused(utrecht):
    frozen = month_report(locations=[utrecht], month=MARCH).to_json()
    with pytest.raises(ValueError):
        MonthReport.from_json({**frozen, "version": 99})


def test_the_page_holds_tables_and_charts(utrecht, march):
    report = month_report(locations=[utrecht], month=MARCH)
    html = render_to_string("signalering/_month_report.html", {"report": report})
    tables = page_tables(html)
    assert tables["maandrapport-casussen-per-organisatie"][-1] == ["Totaal", "9"]
    assert html.count("<caption") == len(report.tables())
    assert html.count('role="img"') == len(report.tables())
    assert html.count('role="region"') == len(report.tables())
    assert 'scope="col"' in html and 'scope="row"' in html
    assert "Bart" not in html and "bart@" not in html  # never per advocaat


# ---------------------------------------------------------------- queries


def test_the_number_of_queries_is_constant(
    utrecht, amsterdam, django_assert_num_queries, orgs_utrecht
):
    with django_assert_num_queries(QUERIES):
        month_report(locations=[utrecht], month=MARCH)


def test_the_number_of_queries_is_the_same_with_data_and_several_locations(
    utrecht, amsterdam, march, django_assert_num_queries
):
    with django_assert_num_queries(QUERIES):
        month_report(locations=[utrecht], month=MARCH)
    with django_assert_num_queries(QUERIES):
        month_report(locations=[utrecht, amsterdam], month=MARCH)
