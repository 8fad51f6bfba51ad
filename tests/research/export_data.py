"""Builders for the export engine's tests (research/export): a crafted set of cases in which one
case is unique on its quasi-identifiers, and a spec to export it. Not a test module: the tests
of the engine import from here (tests/test_test_imports.py)."""

from __future__ import annotations

import datetime
import io
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from django.utils import timezone

from cases.models import Case, LegalArea
from research.export.engine import ExportSpec
from tests.cases.factories import (
    PIET,
    CaseFactory,
    ClientIdentityFactory,
    KindOfCaseFactory,
    SecondLineAdviceFactory,
    SubProblemFactory,
)

MARCH = datetime.date(2026, 3, 1)
# Free text and identifiers of the fixture: none of it may appear in any export's bytes.
QUESTION = "Mevrouw Klaasje Vermeulen-Zwart heeft huurachterstand sinds de brand"
ANALYSIS = "Analyse: verhuurder Doornbosch dreigt met ontruiming na 3 maanden achterstand"
ADVICE = "Advies van mr. Hendrikus Willemsen: eerst schriftelijk in gebreke stellen"
OTHER_PARTY = "Woonstichting De Zonnige Kroonappel"
SECRET_WORDS = (QUESTION, ANALYSIS, ADVICE, OTHER_PARTY, PIET.full_name, PIET.email, "Oudegracht")


@dataclass
class Fixture:
    common: list[Case] = field(default_factory=list)
    unique: Case | None = None
    refused: Case | None = None  # research_consent is no
    advocaat: object = None

    @property
    def all(self) -> list[Case]:
        return [*self.common, self.unique, self.refused]


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def make_case(organisation, *, day: datetime.date, areas=("huurrecht",), consent=True, **data):
    case = CaseFactory(
        organisation=organisation,
        registered_at=at(day),
        first_contact_on=day,
        research_consent=consent,
        question=QUESTION,
        counterparty_other=OTHER_PARTY,
        household=Case.Household.SINGLE,
        income=Case.Income.LOW,
        **data,
    )
    for slug in areas:
        area = LegalArea.objects.get(slug=slug)
        SubProblemFactory(
            case=case,
            legal_area=area,
            kind_of_case=KindOfCaseFactory(legal_area=area, name=f"Soort {slug}"),
            analysis=ANALYSIS,
        )
    return case


def make_fixture(orgs: dict, *, advocaat=None) -> Fixture:
    """18 ordinary cases in March 2026 (12 aged 27-40, 6 aged 41-65), one unique case (66+, in
    postcode region 97, arbeidsrecht) and one without research consent."""
    loket = orgs["loket"]
    fixture = Fixture(advocaat=advocaat)
    for i in range(18):
        age = Case.AgeBand.A27_40 if i < 12 else Case.AgeBand.A41_65
        case = make_case(loket, day=MARCH + datetime.timedelta(days=i), age_band=age)
        fixture.common.append(case)
    fixture.unique = make_case(
        loket,
        day=datetime.date(2026, 3, 20),
        areas=("arbeidsrecht",),
        age_band=Case.AgeBand.OVER_65,
        postcode_area="9716",
    )
    fixture.refused = make_case(
        loket,
        day=datetime.date(2026, 3, 21),
        consent=False,
        age_band=Case.AgeBand.UNDER_18,
        postcode_area="1011",
    )
    for case in fixture.all:
        ClientIdentityFactory(case=case, identity=PIET)
    if advocaat is not None:
        for case in fixture.common[:6]:
            SecondLineAdviceFactory(
                subproblem=case.subproblems.first(), advocaat=advocaat, analysis=ADVICE
            )
    return fixture


def make_spec(**overrides) -> ExportSpec:
    spec = ExportSpec(
        study_code="STUDIE-A",
        study_key=b"sleutel van studie A, 32 bytes!!",
        k=5,
        start=datetime.date(2026, 3, 1),
        end=datetime.date(2026, 3, 31),
        location_ids=None,
        fields=(
            "case_pseudonym",
            "location",
            "registered",
            "age_band",
            "postcode_region",
            "household",
            "legal_area",
            "status",
        ),
        unit="case",
    )
    return replace(spec, **overrides)


def unzip(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def csv_rows(data: bytes, delimiter: str = ",") -> list[dict[str, str]]:
    import csv

    return list(csv.DictReader(io.StringIO(data.decode("utf-8")), delimiter=delimiter))
