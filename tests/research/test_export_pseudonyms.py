"""Per-study pseudonyms: stable within a study, unrelated across studies, an HMAC under the
study's key (computed by PostgreSQL, the same as Python's hmac); advocaten only as a pseudonym."""

from __future__ import annotations

import pytest

from research.export.engine import export_write
from research.export.pseudonyms import pseudonym
from tests.accounts.factories import UserFactory
from tests.research.export_data import csv_rows, make_fixture, make_spec, unzip

KEY_A = b"sleutel van studie A, 32 bytes!!"
KEY_B = b"een heel andere sleutel, studie B"


def pseudonyms(tmp_path, name, **spec):
    out = tmp_path / f"{name}.zip"
    export_write(make_spec(**spec), fmt="csv", out_path=out, request_info={})
    study = spec.get("study_code", "STUDIE-A")
    return csv_rows(unzip(out)[f"{study}.csv"])


@pytest.fixture
def fixture(orgs_utrecht):
    return make_fixture(orgs_utrecht, advocaat=UserFactory(totp=False))


def test_a_case_keeps_its_pseudonym_across_the_exports_of_one_study(fixture, tmp_path):
    first = {row["case_pseudonym"] for row in pseudonyms(tmp_path, "one")}
    second = {
        row["case_pseudonym"]
        for row in pseudonyms(tmp_path, "two", fields=("case_pseudonym", "status"))
    }
    assert first and first <= second


def test_another_study_gets_unrelated_pseudonyms(fixture, tmp_path):
    a = {row["case_pseudonym"] for row in pseudonyms(tmp_path, "a")}
    b = {
        row["case_pseudonym"]
        for row in pseudonyms(tmp_path, "b", study_code="STUDIE-B", study_key=KEY_B)
    }
    assert len(a) == len(b) == 18
    assert not a & b


def test_the_pseudonym_is_the_hmac_of_the_case_under_the_study_key(fixture, tmp_path):
    released = {row["case_pseudonym"] for row in pseudonyms(tmp_path, "a")}
    expected = {pseudonym(KEY_A, f"case:{case.pk}") for case in fixture.common}
    assert released == expected
    assert all(case.number not in released for case in fixture.all)


def test_advocaten_appear_only_as_a_per_study_pseudonym(fixture, tmp_path):
    fields = ("case_pseudonym", "legal_area", "advocaat_pseudonym")
    rows = pseudonyms(tmp_path, "adv", unit="subproblem", fields=fields, k=2)
    advocaat = fixture.advocaat
    released = {row["advocaat_pseudonym"] for row in rows}
    assert pseudonym(KEY_A, f"advocaat:{advocaat.pk}") in released
    assert "onbekend" in released  # sub-problems without advice
    other = pseudonyms(
        tmp_path, "adv-b", unit="subproblem", fields=fields, k=2, study_code="B", study_key=KEY_B
    )
    assert not ({row["advocaat_pseudonym"] for row in other} - {"onbekend"}) & released
    text = str(rows)
    assert advocaat.email not in text and advocaat.full_name not in text
