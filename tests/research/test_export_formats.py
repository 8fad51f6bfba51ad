"""The research export's four formats: each a ZIP with the data, a codebook, the risk report and
a manifest; read back with their own readers; no direct identifier or free text in any byte."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pyarrow as pa
import pyarrow.parquet as pq
import pyreadstat
import pytest

from research.export.engine import export_write
from tests.research.export_data import (
    SECRET_WORDS,
    csv_rows,
    make_fixture,
    make_spec,
    unzip,
)

SPEC = make_spec(
    unit="subproblem",
    fields=(
        "case_pseudonym",
        "location",
        "registered",
        "age_band",
        "legal_area",
        "referral_useful",
        "advice_analysis_match",
        "subproblem_count",
    ),
)


@pytest.fixture
def fixture(orgs_utrecht):
    return make_fixture(orgs_utrecht)


def write(tmp_path, fmt, spec=SPEC, **options):
    out = tmp_path / f"export-{fmt}.zip"
    manifest = export_write(spec, fmt=fmt, out_path=out, request_info={"request": 7}, **options)
    return out, manifest


def everything_readable(name: str, data: bytes, tmp_path) -> bytes:
    """The file's bytes, and what its format decompresses or decodes to."""
    parts = [data]
    if name.endswith(".xlsx"):
        with zipfile.ZipFile(io.BytesIO(data)) as inner:
            parts += [inner.read(member) for member in inner.namelist()]
    elif name.endswith(".parquet"):
        parts.append(str(pq.read_table(io.BytesIO(data)).to_pylist()).encode())
    elif name.endswith(".sav"):
        path = tmp_path / "read.sav"
        path.write_bytes(data)
        frame, meta = pyreadstat.read_sav(str(path))
        parts.append(frame.to_csv().encode() + str(meta.__dict__).encode())
    return b"\n".join(parts)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "sav", "parquet"])
def test_every_format_is_a_zip_with_codebook_risk_report_and_manifest(fixture, tmp_path, fmt):
    out, manifest = write(tmp_path, fmt)
    files = unzip(out)
    data = f"STUDIE-A.{fmt}"
    assert set(files) == {
        data,
        "codebook.csv",
        "codebook.json",
        "risicorapport.json",
        "risicorapport.md",
        "manifest.json",
    }
    stored = json.loads(files["manifest.json"])
    assert stored["rules_version"] and stored["k"] == 5
    assert stored["request"] == {"request": 7}
    assert (
        stored["row_count"] == manifest.row_count == 18
    )  # one sub-problem per case; the unique one left out
    assert "study_key" not in stored["parameters"]
    for name, entry in stored["files"].items():
        assert hashlib.sha256(files[name]).hexdigest() == entry["sha256"]
    codebook = json.loads(files["codebook.json"])
    names = [v["name"] for v in codebook["variables"]]
    assert names == list(SPEC.fields)
    assert all(v["label_nl"] and v["label_en"] for v in codebook["variables"])


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "sav", "parquet"])
def test_no_direct_identifier_or_free_text_of_the_fixture_is_in_any_byte(fixture, tmp_path, fmt):
    out, _ = write(tmp_path, fmt)
    numbers = [case.number.encode() for case in fixture.all]
    for name, data in unzip(out).items():
        readable = everything_readable(name, data, tmp_path)
        for secret in [*(w.encode() for w in SECRET_WORDS), *numbers]:
            assert secret not in readable, (name, secret)


def test_csv_with_a_semicolon_for_dutch_excel(fixture, tmp_path):
    out, _ = write(tmp_path, "csv", delimiter=";")
    rows = csv_rows(unzip(out)["STUDIE-A.csv"], delimiter=";")
    assert len(rows) == 18
    assert set(rows[0]) == set(SPEC.fields)


def test_sav_reads_back_with_variable_and_value_labels(fixture, tmp_path):
    out, _ = write(tmp_path, "sav")
    path = tmp_path / "data.sav"
    path.write_bytes(unzip(out)["STUDIE-A.sav"])
    frame, meta = pyreadstat.read_sav(str(path), user_missing=True)
    labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
    assert labels["age_band"] == "Leeftijdsklasse"
    assert labels["legal_area"] == "Rechtsgebied"
    values = meta.variable_value_labels["age_band"]
    assert values[-1.0] == "Onbekend (niet vastgelegd)"
    assert values[-2.0] == "Onderdrukt (privacy)"
    assert "27 tot en met 40" in values.values()
    assert meta.readstat_variable_types["age_band"] == "double"
    assert meta.readstat_variable_types["case_pseudonym"] == "string"
    assert meta.readstat_variable_types["subproblem_count"] == "double"
    assert set(frame["subproblem_count"]) == {1.0}
    legal = meta.variable_value_labels["legal_area"]
    assert {legal[v] for v in frame["legal_area"]} <= {"Huurrecht", "Arbeidsrecht"}
    assert meta.missing_ranges["age_band"]  # -1 and -2 are user-missing


def test_parquet_reads_back_with_types_and_labels(fixture, tmp_path):
    out, _ = write(tmp_path, "parquet")
    table = pq.read_table(io.BytesIO(unzip(out)["STUDIE-A.parquet"]))
    schema = table.schema
    assert schema.field("age_band").type == pa.dictionary(pa.int32(), pa.string())
    assert schema.field("case_pseudonym").type == pa.string()
    assert schema.field("subproblem_count").type == pa.int64()
    assert schema.field("age_band").metadata[b"label_nl"] == b"Leeftijdsklasse"
    assert schema.field("age_band").metadata[b"label_en"] == b"Age band"
    assert json.loads(schema.metadata[b"codebook"])["unit"] == "subproblem"
    assert table.num_rows == 18
    assert set(table.column("age_band").to_pylist()) <= {"27-40", "41-65", "onderdrukt"}


def test_xlsx_holds_the_rows_and_a_sheet_of_variables(fixture, tmp_path):
    out, _ = write(tmp_path, "xlsx")
    with zipfile.ZipFile(io.BytesIO(unzip(out)["STUDIE-A.xlsx"])) as book:
        names = book.namelist()
        data = book.read("xl/worksheets/sheet1.xml").decode()
        variables = book.read("xl/worksheets/sheet2.xml").decode()
    assert "xl/worksheets/sheet2.xml" in names
    assert data.count("<row ") == 1 + 18  # header and one row per sub-problem
    assert "Leeftijdsklasse" in variables


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_progress_is_reported_up_to_the_total(fixture, tmp_path, fmt):
    calls = []
    write(tmp_path, fmt, progress=lambda done, total: calls.append((done, total)))
    assert calls and calls[-1] == (18, 18)
    assert all(done <= total for done, total in calls)


def test_not_recorded_and_suppressed_stay_apart_in_the_file(fixture, orgs_utrecht, tmp_path):
    from cases.models import Case
    from tests.research.export_data import MARCH, make_case

    for age in [Case.AgeBand.UNKNOWN] * 5:  # five without an age: a group of their own
        make_case(orgs_utrecht["loket"], day=MARCH, age_band=age)
    rare = [Case.AgeBand.UNDER_18] * 2 + [Case.AgeBand.A18_26] * 2 + [Case.AgeBand.OVER_65]
    for age in rare:  # five rare ages: suppressed together, kept as a group of five
        make_case(orgs_utrecht["loket"], day=MARCH, age_band=age)
    spec = make_spec(fields=("case_pseudonym", "age_band", "status"))
    out, _ = write(tmp_path, "csv", spec=spec)
    ages = [row["age_band"] for row in csv_rows(unzip(out)["STUDIE-A.csv"])]
    assert ages.count("onbekend") == 5
    assert ages.count("onderdrukt") == 6  # and the fixture's unique case (66+)
    out, _ = write(tmp_path, "sav", spec=spec)
    path = tmp_path / "data.sav"
    path.write_bytes(unzip(out)["STUDIE-A.sav"])
    frame, _meta = pyreadstat.read_sav(str(path), user_missing=True)
    assert (frame["age_band"] == -1).sum() == 5
    assert (frame["age_band"] == -2).sum() == 6
