"""Factories for the research app's models, helpers of the export workflow's tests, and the
dashboard tests' builders (cases, consults and advice in the current year; a reader of the
dashboard's tables as text per cell).

study = StudyFactory()                               # with its own key
ExportRequestFactory(requester=olga, study=study)    # waiting for a decision
approved(ExportRequestFactory(requester=olga), bea)  # through the service (dry run included)
"""

from __future__ import annotations

import datetime
from datetime import time, timedelta
from html.parser import HTMLParser

import factory
from django.utils import timezone

from accounts.models import Organisation, Role
from cases.models import Case, YesNoUnsure
from piket.models import Consult
from research import keys
from research.export import catalogue
from research.models import ExportRequest, ExportStatusChange, Study
from tests.accounts.factories import OrganisationFactory, UserFactory, member
from tests.cases.factories import CaseFactory, SecondLineAdviceFactory, SubProblemFactory
from tests.piket.factories import ConsultAdviceFactory, ConsultFactory, area, make_shift


def allowed_fields(count: int = 3) -> list[str]:
    """The first fields of the catalogue (all may be exported)."""
    return [name for name, _label in catalogue.field_choices()][:count]


def researcher(email: str = "otto@example.org"):
    """Another researcher than the persona Olga."""
    return member(Role.RESEARCHER, OrganisationFactory(), email=email)


class StudyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Study
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"STUDIE-{n}")
    name = factory.Sequence(lambda n: f"Onderzoek {n}")
    k = 5
    key_token = factory.LazyFunction(keys.new_study_key_token)


class ExportRequestFactory(factory.django.DjangoModelFactory):
    """A request waiting for a decision (status history included)."""

    class Meta:
        model = ExportRequest
        skip_postgeneration_save = True

    study = factory.SubFactory(StudyFactory)
    requester = factory.SubFactory(UserFactory)
    purpose = "Hoe vaak is doorverwijzen naar een advocaat zinvol?"
    period_start = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=365))
    period_end = factory.LazyFunction(timezone.localdate)
    fields = factory.LazyFunction(allowed_fields)
    unit = ExportRequest.Unit.CASE
    format = ExportRequest.Format.CSV

    @factory.post_generation
    def history(obj, create, extracted, **kwargs):
        if create and obj.status == ExportRequest.Status.REQUESTED:
            ExportStatusChange.objects.create(
                export_request=obj, from_status="", to_status=obj.status, actor=obj.requester
            )


class ExportStatusChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExportStatusChange

    export_request = factory.SubFactory(ExportRequestFactory)
    from_status = ExportRequest.Status.REQUESTED
    to_status = ExportRequest.Status.REJECTED


def cases_for_export(organisation, n: int = 12) -> list:
    """`n` alike cases with research consent, registered today at the organisation's location,
    one sub-problem each: enough for k = 5 on any combination of their quasi-identifiers."""
    from tests.cases.factories import CaseFactory, SubProblemFactory

    registered_by = member(Role.FIRST_LINE, organisation, totp=False)
    cases = []
    for _n in range(n):
        case = CaseFactory(
            organisation=organisation, registered_by=registered_by, research_consent=True
        )
        SubProblemFactory(case=case)
        cases.append(case)
    return cases


def approve(export_request, approver, reason: str = "Past bij het doel van het onderzoek."):
    """Approve through the service (the dry run included); the run follows on commit."""
    from research.services import export_request_decide

    return export_request_decide(
        user=approver, export_request=export_request, approve=True, reason=reason
    )


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
