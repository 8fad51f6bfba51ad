"""Bad input to the export engine: a clear Dutch message (ExportRefused) and nothing written."""

from __future__ import annotations

import datetime

import pytest

from research.export.engine import ExportRefused, export_check, export_write
from tests.research.export_data import make_fixture, make_spec


@pytest.fixture
def fixture(orgs_utrecht):
    return make_fixture(orgs_utrecht)


@pytest.mark.parametrize(
    ("spec", "fmt", "says"),
    [
        (make_spec(fields=("case_pseudonym", "full_name")), "csv", "direct identificerend"),
        (make_spec(fields=("location", "question")), "csv", "vrije tekst"),
        (make_spec(fields=("location", "analysis")), "parquet", "vrije tekst"),
        (
            make_spec(start=datetime.date(2019, 1, 1), end=datetime.date(2019, 12, 31)),
            "csv",
            "geen casussen",
        ),
        (make_spec(k=1000), "csv", "niet haalbaar"),
        (make_spec(unit="client"), "csv", "Onbekende eenheid"),
        (make_spec(fields=("referral_useful",)), "sav", "alleen in een export"),
        (make_spec(k=1), "csv", "ten minste 2"),
        (
            make_spec(start=datetime.date(2026, 3, 31), end=datetime.date(2026, 3, 1)),
            "csv",
            "eindigt vóór",
        ),
        (make_spec(released_quasi=("shoe_size:0",)), "csv", "eerder vrijgegeven"),
        (make_spec(diversity_field="age_band"), "csv", "ℓ-diversiteit"),
        (make_spec(), "pdf", "Onbekend formaat"),
    ],
)
def test_bad_input_is_refused_in_dutch_and_nothing_is_written(fixture, tmp_path, spec, fmt, says):
    out = tmp_path / "export.zip"
    with pytest.raises(ExportRefused) as refused:
        export_write(spec, fmt=fmt, out_path=out, request_info={})
    assert says in str(refused.value)
    assert list(tmp_path.iterdir()) == []


def test_the_dry_run_refuses_the_same(fixture):
    with pytest.raises(ExportRefused, match="niet haalbaar"):
        export_check(make_spec(k=1000))


def test_an_unreachable_diversity_is_refused(fixture):
    # every case of the fixture is open: one status, so no group has two
    with pytest.raises(ExportRefused, match="niet haalbaar"):
        export_check(make_spec(diversity_field="status", diversity_l=2))


def test_a_refused_export_leaves_an_earlier_file_alone(fixture, tmp_path):
    out = tmp_path / "export.zip"
    out.write_bytes(b"earlier")
    with pytest.raises(ExportRefused):
        export_write(make_spec(k=1000), fmt="csv", out_path=out, request_info={})
    assert out.read_bytes() == b"earlier"
