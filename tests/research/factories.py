"""Builders for the research tests: cases, consults and advice in the current year, and a reader
of the dashboard's tables (the page's HTML, as text per cell). The research app has no models of
its own yet, so no factories."""

from __future__ import annotations

from datetime import time, timedelta
from html.parser import HTMLParser

from django.utils import timezone

from accounts.models import Organisation
from cases.models import Case, YesNoUnsure
from piket.models import Consult
from tests.cases.factories import CaseFactory, SecondLineAdviceFactory, SubProblemFactory
from tests.piket.factories import ConsultAdviceFactory, ConsultFactory, area, make_shift


def this_year(days_ago: int = 0):
    """A moment in the current local year (the dashboard's default period)."""
    now = timezone.now()
    moment = now - timedelta(days=days_ago)
    return moment if moment.year == now.year else now


def cases_at(organisation: Organisation, count: int, *, legal_area: str = "huurrecht") -> list:
    """`count` cases registered this year by the organisation, one sub-problem each."""
    made = []
    for _i in range(count):
        case = CaseFactory(organisation=organisation, registered_at=this_year())
        SubProblemFactory(case=case, legal_area=area(legal_area), referral_useful=YesNoUnsure.YES)
        made.append(case)
    return made


def held_consults(case: Case, advocaat, count: int, *, hour: int = 10) -> list:
    """`count` (at most 6) held piket consults on the case with the advocaat in a shift today
    from `hour`, each with advice (LAT avoided), and a second-line advice through the case."""
    shift = make_shift(
        case.location, [advocaat], day=timezone.localdate(), start=time(hour), end=time(hour + 2)
    )
    consults = []
    for i in range(count):
        consult = ConsultFactory(
            shift=shift,
            case=case,
            advocaat=advocaat,
            legal_area=area("huurrecht"),
            minutes=20 * i,
            status=Consult.Status.HELD,
        )
        ConsultAdviceFactory(consult=consult, advice__certificate_otherwise=YesNoUnsure.YES)
        consults.append(consult)
    SecondLineAdviceFactory(subproblem=case.subproblems.first(), advocaat=advocaat)
    return consults


class _Tables(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.current: list[list[str]] | None = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "data-table" in attrs:
            self.current = self.tables.setdefault(attrs["data-table"], [])
        elif tag == "tr" and self.current is not None:
            self.current.append([])
        elif tag in ("th", "td") and self.current is not None:
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self.current = None
        elif tag in ("th", "td") and self.cell is not None:
            self.current[-1].append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def page_tables(html: str) -> dict[str, list[list[str]]]:
    """Every dashboard table on the page by its slug: the header row, then each row's texts."""
    parser = _Tables()
    parser.feed(html)
    return parser.tables
