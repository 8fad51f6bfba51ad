"""k-anonymity of the research export: checked in PostgreSQL, treated, reported, and pycanon
agrees on the k of what was released."""

from __future__ import annotations

import pandas as pd
import pytest
from pycanon import anonymity

from research.export.engine import export_check, export_write
from tests.research.export_data import csv_rows, make_fixture, make_spec, unzip

QUASI = ["location", "registered", "age_band", "postcode_region", "household", "legal_area"]


@pytest.fixture
def fixture(orgs_utrecht):
    return make_fixture(orgs_utrecht)


def test_the_unique_case_is_found_before_treatment_and_k_holds_after(fixture, tmp_path):
    report = export_check(make_spec())
    assert report.records == 19  # the case without consent is not counted
    assert report.unique_before >= 1
    assert report.at_risk_before > 0
    assert report.k_reached >= 5
    assert report.at_risk_after == 0


def test_pycanon_agrees_on_k_of_the_released_file(fixture, tmp_path):
    out = tmp_path / "export.zip"
    manifest = export_write(make_spec(), fmt="csv", out_path=out, request_info={"id": 1})
    files = unzip(out)
    rows = csv_rows(files["STUDIE-A.csv"])
    frame = pd.DataFrame(rows)
    k = anonymity.k_anonymity(frame, QUASI)
    assert k >= 5
    assert manifest.row_count == len(rows)


def test_the_unique_case_is_treated_and_reported(fixture):
    report = export_check(make_spec())
    assert report.unique_before == 1
    assert report.at_risk_before == round(1 / 19, 4)
    assert report.records_suppressed + report.records_dropped + report.records_generalised >= 1
    assert report.records_released + report.records_dropped == 19
    assert report.information_loss["records_dropped_share"] == round(report.records_dropped / 19, 4)


@pytest.fixture
def linkable(fixture, orgs_utrecht):
    """Each of age band and postcode region is 5-anonymous on its own, the pair is not:
    three cases aged 27-40 in postcode region 97."""
    from cases.models import Case
    from tests.research.export_data import MARCH, make_case

    for age, count in ((Case.AgeBand.A41_65, 5), (Case.AgeBand.A27_40, 3)):
        for _ in range(count):
            make_case(orgs_utrecht["loket"], day=MARCH, age_band=age, postcode_area="9716")
    return fixture


def two_exports(tmp_path, second_knows_the_first: bool):
    first = export_write(
        make_spec(fields=("case_pseudonym", "age_band")),
        fmt="csv",
        out_path=tmp_path / "one.zip",
        request_info={},
    )
    released = first.quasi_released if second_knows_the_first else ()
    spec = make_spec(fields=("case_pseudonym", "postcode_region"), released_quasi=released)
    export_write(spec, fmt="csv", out_path=tmp_path / "two.zip", request_info={})
    one = pd.DataFrame(csv_rows(unzip(tmp_path / "one.zip")["STUDIE-A.csv"]))
    two = pd.DataFrame(csv_rows(unzip(tmp_path / "two.zip")["STUDIE-A.csv"]))
    return spec, two.merge(one, on="case_pseudonym")  # a study's files link by pseudonym


def test_k_holds_over_the_union_of_two_exports_of_one_study(linkable, tmp_path):
    spec, linked = two_exports(tmp_path, second_knows_the_first=True)
    assert "age_band:0" in export_check(spec).quasi_identifiers  # checked, not in the file
    assert anonymity.k_anonymity(linked, ["age_band", "postcode_region"]) >= 5


def test_without_the_earlier_export_the_union_would_not_be_k_anonymous(linkable, tmp_path):
    _, linked = two_exports(tmp_path, second_knows_the_first=False)
    assert anonymity.k_anonymity(linked, ["age_band", "postcode_region"]) == 3


def test_per_subproblem_rows_are_checked_per_case(orgs_utrecht, tmp_path):
    from tests.research.export_data import MARCH, make_case

    for _ in range(5):  # five cases with two legal areas each: ten rows, five cases
        make_case(orgs_utrecht["loket"], day=MARCH, areas=("huurrecht", "arbeidsrecht"))
    make_case(orgs_utrecht["loket"], day=MARCH, areas=("huurrecht",))
    make_case(orgs_utrecht["loket"], day=MARCH, areas=("arbeidsrecht",))
    spec = make_spec(unit="subproblem", fields=("case_pseudonym", "legal_area"), k=5)
    manifest = export_write(spec, fmt="csv", out_path=tmp_path / "e.zip", request_info={})
    rows = csv_rows(unzip(tmp_path / "e.zip")["STUDIE-A.csv"])
    report = export_check(spec)
    assert report.records == 7 and report.rows_released == manifest.row_count == len(rows)
    # the lone cases (one area each) are unique as sets, however common each row looks alone
    assert report.unique_before == 2
    by_case: dict[str, set] = {}
    for row in rows:
        by_case.setdefault(row["case_pseudonym"], set()).add(row["legal_area"])
    sets = pd.DataFrame({"areas": ["|".join(sorted(v)) for v in by_case.values()]})
    assert anonymity.k_anonymity(sets, ["areas"]) >= 5


def test_l_diversity_on_a_chosen_field_is_reported(orgs_utrecht):
    from cases.models import Case
    from tests.research.export_data import MARCH, make_case

    for i in range(10):
        make_case(
            orgs_utrecht["loket"],
            day=MARCH,
            status=Case.Status.WAITING if i % 2 else Case.Status.OPEN,
        )
    report = export_check(
        make_spec(fields=("location", "age_band"), diversity_field="status", diversity_l=2)
    )
    assert report.l_reached >= 2 and report.diversity_field == "status"
