"""Research consent: a case whose client said no is never in a record-level export, and
withdrawing consent removes a case from every later export."""

from __future__ import annotations

import pytest

from cases.models import Case
from research.export.engine import export_check, export_write
from research.export.pseudonyms import pseudonym
from tests.research.export_data import csv_rows, make_fixture, make_spec, unzip

KEY = make_spec().study_key


def released(tmp_path, name) -> set[str]:
    out = tmp_path / f"{name}.zip"
    export_write(
        make_spec(fields=("case_pseudonym", "status")), fmt="csv", out_path=out, request_info={}
    )
    return {row["case_pseudonym"] for row in csv_rows(unzip(out)["STUDIE-A.csv"])}


@pytest.fixture
def fixture(orgs_utrecht):
    return make_fixture(orgs_utrecht)


def test_a_case_without_research_consent_is_never_exported_nor_counted(fixture, tmp_path):
    assert pseudonym(KEY, f"case:{fixture.refused.pk}") not in released(tmp_path, "one")
    assert export_check(make_spec()).records == 19


def test_withdrawing_consent_removes_the_case_from_later_exports(fixture, tmp_path):
    withdrawn = fixture.common[0]
    before = released(tmp_path, "before")
    assert pseudonym(KEY, f"case:{withdrawn.pk}") in before
    Case.objects.filter(pk=withdrawn.pk).update(research_consent=False)
    after = released(tmp_path, "after")
    assert pseudonym(KEY, f"case:{withdrawn.pk}") not in after
    assert after == before - {pseudonym(KEY, f"case:{withdrawn.pk}")}


def test_an_erased_case_is_not_exported(fixture, tmp_path):
    from django.utils import timezone

    erased = fixture.common[1]
    Case.objects.filter(pk=erased.pk).update(anonymised_at=timezone.now())
    assert pseudonym(KEY, f"case:{erased.pk}") not in released(tmp_path, "erased")
