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
