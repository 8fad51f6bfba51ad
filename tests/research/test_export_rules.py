"""The generalisation rules of the research export are data, evaluated by PostgreSQL; the
catalogue holds no direct identifier and no free text."""

from __future__ import annotations

import pytest
from django.db import connection

from accounts.privacy import DataClass
from research.export import rules
from research.export.catalogue import FIELDS, _is_free_text, field_choices, refuse_fields
from research.export.rules import RULES, base_sql, level_sql, set_level_sql


def evaluate(sql: str):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {sql}")
        return cursor.fetchone()[0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("rule", "raw", "expected"),
    [
        ("date", "date '2026-02-17'", ["2026-02", "2026-K1", "2026"]),
        ("date", "date '2025-11-03'", ["2025-11", "2025-K4", "2025"]),
        ("age", "'18-26'", ["18-26", "0-26"]),
        ("age", "'66+'", ["66+", "66+"]),
        ("postcode", "'3511'", ["35", "3"]),
        ("household", "'gezin'", ["gezin", "met_anderen"]),
        ("income", "'boven_grens'", ["boven_grens", "boven_grens"]),
        ("legal_area", "'huurrecht'", ["huurrecht", "civiel"]),
    ],
)
def test_each_level_of_a_rule_coarsens_the_code(rule, raw, expected):
    base = base_sql(RULES[rule], raw)
    got = [evaluate(level_sql(RULES[rule], level, base)) for level in range(len(expected))]
    assert got == expected


@pytest.mark.django_db
def test_kind_of_case_generalises_to_its_legal_area_and_cluster():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT k.id::text FROM cases_kindofcase k JOIN cases_legalarea la "
            "ON la.id = k.legal_area_id WHERE la.slug = 'huurrecht' LIMIT 1"
        )
        kind = cursor.fetchone()[0]
    rule = RULES["kind_of_case"]
    assert evaluate(level_sql(rule, 1, f"'{kind}'")) == "huurrecht"
    assert evaluate(level_sql(rule, 2, f"'{kind}'")) == "civiel"


@pytest.mark.django_db
@pytest.mark.parametrize("rule", sorted(RULES))
def test_not_recorded_and_suppressed_pass_every_level_unchanged_and_apart(rule):
    for level in range(len(RULES[rule].levels)):
        assert evaluate(level_sql(RULES[rule], level, "'onbekend'")) == rules.ONBEKEND
        assert evaluate(level_sql(RULES[rule], level, "'onderdrukt'")) == rules.ONDERDRUKT
    assert rules.ONBEKEND != rules.ONDERDRUKT
    assert rules.SPECIAL[rules.ONBEKEND][2] != rules.SPECIAL[rules.ONDERDRUKT][2]


@pytest.mark.django_db
def test_an_empty_or_missing_value_is_not_recorded():
    assert evaluate(base_sql(RULES["postcode"], "''")) == rules.ONBEKEND
    assert evaluate(base_sql(RULES["date"], "NULL::date")) == rules.ONBEKEND


@pytest.mark.django_db
def test_a_set_is_generalised_element_by_element_without_duplicates():
    rule = RULES["legal_area"]
    assert evaluate(set_level_sql(rule, 1, "'huurrecht|consumentenrecht'")) == "civiel"
    assert evaluate(set_level_sql(rule, 1, "'arbeidsrecht|huurrecht'")) == "civiel|werk_inkomen"


def test_the_rules_carry_a_version_and_named_levels():
    assert rules.RULES_VERSION
    for rule in RULES.values():
        assert rule.levels and all(level.name for level in rule.levels)
        for level in rule.levels[1:]:
            if level.mapping:
                assert set(level.mapping.values()) <= {c for c, _nl, _en in level.categories}


def test_no_field_of_the_catalogue_is_a_direct_identifier_or_free_text():
    from django.apps import apps

    for f in FIELDS.values():
        label, name = f.declared_as.rsplit(".", 1)
        model = apps.get_model(label)
        assert model.data_classes[name] != DataClass.DIRECT, f.name
        assert not _is_free_text(model._meta.get_field(name)), f.name
        assert f.data_class in (DataClass.QUASI, DataClass.SENSITIVE, DataClass.SAFE)
    assert len(field_choices()) == len(FIELDS)


@pytest.mark.parametrize(
    ("names", "says"),
    [
        (["full_name"], "direct identificerend"),
        (["email"], "direct identificerend"),
        (["question"], "vrije tekst"),
        (["analysis"], "vrije tekst"),
        (["counterparty_other"], "vrije tekst"),
        (["bsn"], "bestaat niet"),
        ([], "ten minste één veld"),
    ],
)
def test_a_forbidden_or_unknown_field_is_refused_in_dutch(names, says):
    assert says in refuse_fields(names)


def test_a_subproblem_field_is_refused_in_an_export_per_case():
    assert refuse_fields(["referral_useful"], "case")
    assert refuse_fields(["referral_useful"], "subproblem") is None
    assert refuse_fields(["legal_area"], "case") is None  # a set there
