"""The generalisation rules of the research export, as data.

A rule is a ladder of levels, finest first. Level 0 is an SQL expression over the raw column
(`{col}`); every later level is an SQL expression over the level-0 value (`{v}`, text), or a
mapping of level-0 codes to coarser codes. The engine starts each quasi-identifier at level 0 and
climbs a level when k is not reached; above the last level only local suppression remains.

Two codes are never a category of their own data: ONBEKEND (nothing was recorded) and ONDERDRUKT
(suppressed for privacy by this export). They pass unchanged through every level, are coded
differently in every format (.sav: -1 and -2, both user-missing) and never counted as one.

Change a rule: change RULES_VERSION too. Every manifest carries it, so a study can tell which
rules produced a file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

RULES_VERSION = "2026-11-29.1"

ONBEKEND = "onbekend"  # not recorded
ONDERDRUKT = "onderdrukt"  # suppressed by the export (k-anonymity or ℓ-diversity)
SPECIAL = {
    ONBEKEND: ("Onbekend (niet vastgelegd)", "Unknown (not recorded)", -1),
    ONDERDRUKT: ("Onderdrukt (privacy)", "Suppressed (privacy)", -2),
}

# Local suppression is tried only once fewer than this share of the records is at risk; above it
# the engine first generalises further (the next level of a rule).
MAX_SUPPRESSION_SHARE = 0.05


@dataclass(frozen=True)
class Level:
    name: str
    label_nl: str
    label_en: str
    sql: str = "{v}"  # level 0: over "{col}"; later levels: over "{v}", the level-0 code
    mapping: dict[str, str] = field(default_factory=dict)  # level-0 code -> code at this level
    categories: tuple[tuple[str, str, str], ...] = ()  # (code, nl, en) of a mapped level


@dataclass(frozen=True)
class Rule:
    name: str
    label_nl: str
    label_en: str
    levels: tuple[Level, ...]
    # Order of treatment: a lower number is generalised and suppressed first (the most
    # identifying, least useful detail goes first).
    priority: int = 50


EXACT = Level("exact", "zoals vastgelegd", "as recorded", sql="{col}")

AGE_COARSE = (
    ("0-26", "Jonger dan 27", "Under 27"),
    ("27-65", "27 tot en met 65", "27 to 65"),
    ("66+", "66 of ouder", "66 or older"),
)
HOUSEHOLD_COARSE = (
    ("alleen", "Alleen", "Alone"),
    ("met_anderen", "Met anderen", "With others"),
)
INCOME_COARSE = (
    ("binnen_grens", "Binnen de inkomensgrens", "Within the income limit"),
    ("boven_grens", "Boven de inkomensgrens", "Above the income limit"),
)

RULES: dict[str, Rule] = {
    rule.name: rule
    for rule in (
        Rule(
            "date",
            "datum",
            "date",
            (
                Level("month", "maand", "month", sql="to_char({col}, 'YYYY-MM')"),
                Level(
                    "quarter",
                    "kwartaal",
                    "quarter",
                    sql="left({v}, 4) || '-K' || ((substr({v}, 6, 2)::int + 2) / 3)::text",
                ),
                Level("year", "jaar", "year", sql="left({v}, 4)"),
            ),
            priority=20,
        ),
        Rule(
            "age",
            "leeftijd",
            "age",
            (
                Level("band", "leeftijdsklasse", "age band", sql="{col}"),
                Level(
                    "coarse",
                    "grove leeftijdsklasse",
                    "coarse age band",
                    mapping={
                        "0-17": "0-26",
                        "18-26": "0-26",
                        "27-40": "27-65",
                        "41-65": "27-65",
                        "66+": "66+",
                    },
                    categories=AGE_COARSE,
                ),
            ),
            priority=40,
        ),
        Rule(
            "postcode",
            "postcodegebied",
            "postcode area",
            (
                # the four digits are never released: the finest level is the region (two digits)
                Level("region", "regio (2 cijfers)", "region (2 digits)", sql="left({col}, 2)"),
                Level("district", "landsdeel (1 cijfer)", "district (1 digit)", sql="left({v}, 1)"),
            ),
            priority=10,
        ),
        Rule(
            "household",
            "huishouden",
            "household",
            (
                Level("exact", "zoals vastgelegd", "as recorded", sql="{col}"),
                Level(
                    "coarse",
                    "alleen of met anderen",
                    "alone or with others",
                    mapping={
                        "alleenstaand": "alleen",
                        "eenouder": "met_anderen",
                        "samen": "met_anderen",
                        "gezin": "met_anderen",
                        "anders": "met_anderen",
                    },
                    categories=HOUSEHOLD_COARSE,
                ),
            ),
            priority=45,
        ),
        Rule(
            "income",
            "inkomen",
            "income",
            (
                Level("exact", "zoals vastgelegd", "as recorded", sql="{col}"),
                Level(
                    "coarse",
                    "binnen of boven de inkomensgrens",
                    "within or above the income limit",
                    mapping={
                        "uitkering": "binnen_grens",
                        "laag": "binnen_grens",
                        "geen": "binnen_grens",
                        "boven_grens": "boven_grens",
                    },
                    categories=INCOME_COARSE,
                ),
            ),
            priority=46,
        ),
        Rule(
            "legal_area",
            "rechtsgebied",
            "legal area",
            (
                Level("legal_area", "rechtsgebied", "legal area", sql="{col}"),
                Level(
                    "cluster",
                    "cluster van rechtsgebieden",
                    "cluster of legal areas",
                    sql="(SELECT la.cluster FROM cases_legalarea la WHERE la.slug = {v})",
                ),
            ),
            priority=60,
        ),
        Rule(
            "kind_of_case",
            "soort zaak",
            "kind of case",
            (
                Level("kind", "soort zaak", "kind of case", sql="{col}"),
                Level(
                    "legal_area",
                    "rechtsgebied",
                    "legal area",
                    sql=(
                        "(SELECT la.slug FROM cases_kindofcase ko JOIN cases_legalarea la"
                        " ON la.id = ko.legal_area_id WHERE ko.id::text = {v})"
                    ),
                ),
                Level(
                    "cluster",
                    "cluster van rechtsgebieden",
                    "cluster of legal areas",
                    sql=(
                        "(SELECT la.cluster FROM cases_kindofcase ko JOIN cases_legalarea la"
                        " ON la.id = ko.legal_area_id WHERE ko.id::text = {v})"
                    ),
                ),
            ),
            priority=30,
        ),
        # no coarser level: only local suppression
        Rule("location", "locatie", "location", (EXACT,), priority=70),
        Rule("organisation_kind", "soort organisatie", "kind of organisation", (EXACT,), 65),
        Rule("pseudonym", "pseudoniem", "pseudonym", (EXACT,), priority=5),
        Rule("exact", "zoals vastgelegd", "as recorded", (EXACT,), priority=50),
    )
}


def level_sql(rule: Rule, level: int, value: str) -> str:
    """SQL for the code at `level` of a rule, given the level-0 code `value` (an SQL
    expression). ONBEKEND and ONDERDRUKT pass through unchanged."""
    if level == 0:
        return value
    step = rule.levels[level]
    if step.mapping:
        whens = " ".join(
            f"WHEN '{code}' THEN '{coarse}'" for code, coarse in sorted(step.mapping.items())
        )
        expression = f"(CASE {value} {whens} ELSE {value} END)"
    else:
        expression = step.sql.format(v=value)
    return (
        f"(CASE WHEN {value} IN ('{ONBEKEND}', '{ONDERDRUKT}') THEN {value} "
        f"ELSE COALESCE({expression}, '{ONBEKEND}') END)"
    )


def base_sql(rule: Rule, column: str) -> str:
    """SQL for the level-0 code of a raw column: text, ONBEKEND when nothing was recorded."""
    expression = rule.levels[0].sql.format(col=column)
    # byte order ("C"): codes are compared, grouped and sorted millions of times; a language's
    # collation would be many times slower and buys nothing for codes
    return f"(COALESCE(NULLIF(({expression})::text, ''), '{ONBEKEND}') COLLATE \"C\")"


def set_level_sql(rule: Rule, level: int, value: str) -> str:
    """The same for a set-valued code ('a|b|c', sorted, distinct): each element is taken to the
    level, and the result is again a sorted set without duplicates."""
    if level == 0:
        return value
    element = level_sql(rule, level, "x.e")
    # SQL from the rules' own data and the engine's column names, never from a request
    return (
        f"(CASE WHEN {value} IN ('{ONBEKEND}', '{ONDERDRUKT}') THEN {value} ELSE "  # noqa: S608
        f"(SELECT string_agg(DISTINCT {element}, '|' ORDER BY {element}) "
        f"FROM unnest(string_to_array({value}, '|')) AS x(e)) END)"
    )
