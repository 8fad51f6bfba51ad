"""The export engine: a spec in, one ZIP out (data file, codebook, risk report, manifest).

Plain Python over the cases and piket tables; no models of its own, nothing of requests, users
or approval (research's workflow calls it). What is exported and how, in order:

1. validate the spec (fields from the catalogue only, unit, k, period, format): ExportRefused;
2. in one transaction (REPEATABLE READ when the engine owns it, so the check and the data see
   the same rows): the case table, the combinations, k and ℓ, generalisation and local
   suppression (research/export/kanon.py), all in PostgreSQL;
3. the data: one SELECT over the cases with their released codes, streamed (COPY or a server-
   side cursor) into the format's writer (research/export/writers.py), in random order (by
   pseudonym), never all rows in memory (except .sav; see writers.py);
4. one ZIP: the data file, codebook.csv/.json, risicorapport.json/.md and manifest.json with the
   SHA-256 of every other file. Written as "<out>.part" and renamed: on any error nothing is
   left at out_path.

Cases without research consent, and erased cases, are never in the case table.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import os
import re
import tempfile
import zipfile
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from time import localtime, perf_counter
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from cases.models import LegalArea
from research.export import rules, writers
from research.export.catalogue import FIELDS, UNIT_LABELS, UNITS, ExportField, refuse_fields, text
from research.export.kanon import Check, Quasi
from research.export.pseudonyms import pads, pseudonym_sql
from research.export.rules import RULES, base_sql
from research.export.writers import Column

FORMATS = ("csv", "xlsx", "sav", "parquet")
# zlib level of the ZIP: 1 deflates a CSV of 1M rows several times faster than the default 6,
# the file a few per cent larger (the pseudonyms, random hex, hardly compress at any level)
ZIP_LEVEL = 1
logger = logging.getLogger(__name__)  # steps and timings only: never a value of a row


class ExportRefused(Exception):
    """Nothing was released; str(e) says why, in Dutch."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ExportSpec:
    study_code: str
    study_key: bytes  # the study's own secret: HMAC key of the pseudonyms
    k: int
    start: date
    end: date  # period of registration, inclusive
    location_ids: tuple[int, ...] | None  # None: all
    fields: tuple[str, ...]
    unit: str  # "subproblem" | "case"
    released_quasi: tuple[str, ...] = ()  # "name" or "name:level" from earlier exports
    diversity_field: str | None = None  # optional ℓ-diversity on this (non-quasi) field
    diversity_l: int = 2

    def parameters(self) -> dict:
        """The spec without its key, for manifests and logs."""
        values = asdict(self)
        del values["study_key"]
        values["start"], values["end"] = self.start.isoformat(), self.end.isoformat()
        values["location_ids"] = list(self.location_ids) if self.location_ids else None
        values["fields"] = list(self.fields)
        values["released_quasi"] = list(self.released_quasi)
        return values


@dataclass(frozen=True)
class RiskReport:
    k: int
    k_reached: int  # the smallest group of cases over the quasi-identifiers after treatment
    unit: str
    quasi_identifiers: tuple[str, ...]
    levels: dict[str, str] = field(default_factory=dict)  # quasi-identifier -> level used
    records: int = 0  # cases in the period with consent (before treatment)
    records_released: int = 0
    rows_released: int = 0  # rows of the data file (sub-problems or cases)
    records_generalised: int = 0  # cases with a value coarser than level 0
    records_suppressed: int = 0  # cases with at least one suppressed value
    records_dropped: int = 0  # cases left out entirely (record suppression)
    at_risk_before: float = 0.0  # share of cases in a group smaller than k, before treatment
    at_risk_after: float = 0.0
    unique_before: int = 0  # combinations that occurred exactly once before treatment
    groups_before: int = 0
    groups_after: int = 0
    suppressed_values: dict[str, int] = field(default_factory=dict)
    information_loss: dict[str, float] = field(default_factory=dict)
    diversity_field: str | None = None
    diversity_l: int | None = None
    l_reached: int | None = None

    def as_dict(self) -> dict:
        values = asdict(self)
        values["quasi_identifiers"] = list(self.quasi_identifiers)
        return values


@dataclass(frozen=True)
class Manifest:
    request: dict
    parameters: dict
    rules_version: str
    k: int
    row_count: int
    files: dict[str, dict]  # name -> {"sha256": ..., "bytes": ...}
    quasi_released: tuple[str, ...]  # "name:level": pass as released_quasi to the next export
    format: str
    created_at: str

    def as_dict(self) -> dict:
        values = asdict(self)
        values["quasi_released"] = list(self.quasi_released)
        return values


# ---------------------------------------------------------------- validation


def _validate(spec: ExportSpec, fmt: str | None = None, delimiter: str = ",") -> None:
    if spec.unit not in UNITS:
        raise ExportRefused(f"Onbekende eenheid '{spec.unit}': kies 'subproblem' of 'case'.")
    if message := refuse_fields(spec.fields, spec.unit):
        raise ExportRefused(message)
    if spec.k < 2:
        raise ExportRefused("k moet ten minste 2 zijn.")
    if spec.end < spec.start:
        raise ExportRefused("De periode eindigt vóór ze begint.")
    if not spec.study_key:
        raise ExportRefused("De studie heeft geen sleutel; de export kan niet pseudonimiseren.")
    for entry in spec.released_quasi:
        name, _, level = entry.partition(":")
        if name not in FIELDS or (level and not level.isdigit()):
            raise ExportRefused(f"Onbekend eerder vrijgegeven kenmerk '{entry}'.")
        if level and int(level) >= len(RULES[FIELDS[name].rule].levels):
            raise ExportRefused(f"Onbekend niveau in eerder vrijgegeven kenmerk '{entry}'.")
    if spec.diversity_field is not None:
        diverse = FIELDS.get(spec.diversity_field)
        if (
            diverse is None
            or diverse.quasi
            or diverse.scope != "case"
            or diverse.kind != "category"
        ):
            raise ExportRefused(
                "ℓ-diversiteit kan alleen op een categorisch kenmerk van de casus dat geen "
                "quasi-identificerend gegeven is."
            )
        if spec.diversity_l < 2:
            raise ExportRefused("ℓ moet ten minste 2 zijn.")
    if fmt is not None and fmt not in FORMATS:
        raise ExportRefused(f"Onbekend formaat '{fmt}': kies csv, xlsx, sav of parquet.")
    if delimiter not in (",", ";"):
        raise ExportRefused("Het scheidingsteken van CSV is ',' of ';'.")


# ---------------------------------------------------------------- SQL


CASE_JOINS = """
JOIN accounts_organisation o ON o.id = c.organisation_id
JOIN accounts_location loc ON loc.id = c.location_id
LEFT JOIN cases_counterparty cp ON cp.id = c.counterparty_id"""

SUBPROBLEM_JOINS = """
JOIN cases_legalarea la ON la.id = s.legal_area_id"""

ADVICE_JOIN = """
LEFT JOIN LATERAL (
    SELECT a.* FROM cases_secondlineadvice a WHERE a.subproblem_id = s.id
    ORDER BY a.created_at DESC, a.id DESC LIMIT 1
) adv ON true"""

FILTER = """c.research_consent AND c.anonymised_at IS NULL
    AND c.registered_at >= %(since)s AND c.registered_at < %(until)s
    AND (%(all_locations)s OR c.location_id = ANY(%(locations)s))"""


def _level0(f: ExportField, pads: tuple[str, str] = ("k.ipad", "k.opad")) -> str:
    """SQL of a field's level-0 code (text, ONBEKEND when not recorded); a pseudonym reads the
    key's pads from `pads` (the _export_key table, or the parameters of the case pass)."""
    if f.kind == "pseudonym":
        pseudonym = pseudonym_sql(f.source, *pads)
        return f"(COALESCE({pseudonym}, '{rules.ONBEKEND}') COLLATE \"C\")"
    if f.kind == "integer":
        return f.source
    return base_sql(RULES[f.rule], f.source)


def _advice_join(fields) -> str:
    """The latest second-line advice of a sub-problem, only when a field reads it."""
    return ADVICE_JOIN if any("adv." in f.source for f in fields) else ""


def _drop_tables(cursor) -> None:
    """The engine's temporary tables, when it runs inside a caller's transaction."""
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE tablename LIKE '\\_export\\_%%' AND schemaname = "
        "(SELECT nspname FROM pg_namespace WHERE oid = pg_my_temp_schema())"
    )
    for (table,) in cursor.fetchall():
        cursor.execute(f"DROP TABLE IF EXISTS {table}")


def _filter_params(spec: ExportSpec) -> dict:
    zone = ZoneInfo(settings.TIME_ZONE)
    return {
        "since": datetime.combine(spec.start, time.min, tzinfo=zone),
        "until": datetime.combine(spec.end + timedelta(days=1), time.min, tzinfo=zone),
        "all_locations": spec.location_ids is None,
        "locations": list(spec.location_ids or ()),
    }


def _quasi_columns(spec: ExportSpec) -> list[Quasi]:
    chosen = [FIELDS[name] for name in spec.fields if FIELDS[name].quasi]
    quasi = [Quasi(f"q{i}", f) for i, f in enumerate(chosen)]
    for entry in dict.fromkeys(spec.released_quasi):
        name, _, level = entry.partition(":")
        quasi.append(Quasi(f"q{len(quasi)}", FIELDS[name], level=int(level or 0), fixed=True))
    return quasi


def _build_tables(cursor, spec: ExportSpec, quasi: list[Quasi]) -> None:
    ipad, opad = pads(spec.study_key)
    _drop_tables(cursor)
    cursor.execute(
        "CREATE TEMP TABLE _export_key ON COMMIT DROP AS "
        "SELECT %(ipad)s::bytea AS ipad, %(opad)s::bytea AS opad",
        {"ipad": ipad, "opad": opad},
    )
    cursor.execute("ANALYZE _export_key")
    case_quasi = [q for q in quasi if not q.is_set]
    set_quasi = [q for q in quasi if q.is_set]

    # The case pass reads only the cases and piket tables, no temporary table: PostgreSQL may
    # run it with parallel workers (the HMAC of a pseudonym is most of its cost). So the key's
    # pads are parameters here, not the _export_key table.
    def level0(f: ExportField) -> str:
        return _level0(f, ("%(ipad)s::bytea", "%(opad)s::bytea"))

    columns = [f"{level0(q.field)} AS {q.column}" for q in case_quasi]
    if spec.diversity_field:
        columns.append(f"{level0(FIELDS[spec.diversity_field])} AS d")
    # the other case fields of the file, read in this one pass over the cases
    columns += [f'{level0(FIELDS[name])} AS "f_{name}"' for name in _case_values(spec)]
    outer = [f"COALESCE(sp.{q.column}, '{rules.ONBEKEND}') AS {q.column}" for q in set_quasi]
    if set_quasi or spec.unit == "subproblem":
        rows = "COALESCE(sp.rows, 0)" if spec.unit == "subproblem" else "1"
        outer.append(f"{rows} AS rows")
        aggregates = [
            f"string_agg(DISTINCT {level0(q.field)}, '|' ORDER BY {level0(q.field)}) AS {q.column}"
            for q in set_quasi
        ]
        subproblems = (
            "LEFT JOIN (SELECT s.case_id, "  # noqa: S608
            + "".join(f"{a}, " for a in aggregates)
            + "count(*) AS rows FROM cases_subproblem s JOIN cases_case c ON c.id = s.case_id"
            + SUBPROBLEM_JOINS
            + _advice_join(q.field for q in set_quasi)
            + f"\nWHERE {FILTER} GROUP BY s.case_id) sp"
            " ON sp.case_id = e.case_id"
        )
    else:
        outer.append("1 AS rows")
        subproblems = ""
    # OFFSET 0 keeps the case columns in a subquery of their own, computed by the parallel
    # workers under its Gather (pulled up, they would be computed above the join, by one process)
    cursor.execute(
        "CREATE TEMP TABLE _export_cases ON COMMIT DROP AS "  # noqa: S608
        f"SELECT e.*, {', '.join(outer)} FROM ("
        f"SELECT c.id AS case_id, {level0(FIELDS['case_pseudonym'])} AS p"
        + "".join(f", {column}" for column in columns)
        + f" FROM cases_case c {CASE_JOINS} WHERE {FILTER} OFFSET 0) e {subproblems}",
        {**_filter_params(spec), "ipad": ipad, "opad": opad},
    )
    keys = [q.column for q in quasi] + (["d"] if spec.diversity_field else [])
    flags = "".join(f", false AS s_{q.column}" for q in quasi)
    # the combinations of level-0 codes; then every coarser level of each distinct code once
    # (a small table per quasi-identifier), joined on
    cursor.execute("DROP TABLE IF EXISTS _export_combos0")
    cursor.execute(
        "CREATE TEMP TABLE _export_combos0 ON COMMIT DROP AS "  # noqa: S608
        f"SELECT {''.join(key + ', ' for key in keys)}count(*)::int AS n, "
        "sum(rows)::bigint AS rows FROM _export_cases"
        + (f" GROUP BY {', '.join(keys)}" if keys else "")
    )
    joins, levels = [], []
    for q in quasi:
        if not q.levels():
            continue
        table = f"_export_map_{q.column}"
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(
            f"CREATE TEMP TABLE {table} ON COMMIT DROP AS "  # noqa: S608
            f"SELECT code, {', '.join(q.level_columns('code'))} "
            f"FROM (SELECT DISTINCT {q.column} AS code FROM _export_combos0) x"
        )
        joins.append(f"JOIN {table} ON {table}.code = g.{q.column}")
        levels += [f"{table}.{q.column}_l{level}" for level in q.levels()]
    cursor.execute(
        "CREATE TEMP TABLE _export_combos ON COMMIT DROP AS "  # noqa: S608
        f"SELECT g.*{''.join(', ' + c for c in levels)}, false AS dropped{flags} "
        f"FROM _export_combos0 g {' '.join(joins)}"
    )
    # no ANALYZE of these two: the statements on them group or scan them whole, and the one
    # join (the data query) is a hash join either way (ANALYZE cost two seconds at 1M cases)


# ---------------------------------------------------------------- the check


@dataclass
class _Plan:
    spec: ExportSpec
    check: Check
    report: RiskReport


def _plan(cursor, spec: ExportSpec) -> _Plan:
    """Build the tables, check and treat; raises ExportRefused when nothing can be released."""
    started = perf_counter()
    quasi = _quasi_columns(spec)
    _build_tables(cursor, spec, quasi)
    logger.info("export %s: tables in %.2f s", spec.study_code, perf_counter() - started)
    check = Check(
        k=spec.k,
        quasi=quasi,
        diversity=spec.diversity_field is not None,
        diversity_l=spec.diversity_l,
    )
    check.before = check.risk(cursor)
    if not check.before.records:
        raise ExportRefused(
            "Er zijn geen casussen met toestemming voor onderzoek in deze periode "
            f"({spec.start:%d-%m-%Y} tot en met {spec.end:%d-%m-%Y}) op de gekozen locaties."
        )
    check.generalise(cursor)
    check.collapse(cursor)
    check.suppress(cursor)
    check.after = check.risk(cursor)
    check.finalise(cursor)
    logger.info(
        "export %s: checked in %.2f s (%s)", spec.study_code, perf_counter() - started, check.steps
    )
    report = _report(cursor, spec, check)
    unreachable = (
        f"k = {spec.k} is niet haalbaar zonder alles te onderdrukken. Kies minder of grovere "
        "velden, een langere periode of meer locaties."
    )
    if not report.records_released or not report.rows_released:
        raise ExportRefused(unreachable)
    varying = check.varying
    if varying:
        all_suppressed = " AND ".join(f"s_{q.column}" for q in varying)
        cursor.execute(
            f"SELECT count(*) FROM _export_combos WHERE NOT dropped AND NOT ({all_suppressed})"  # noqa: S608
        )
        if not cursor.fetchone()[0]:
            raise ExportRefused(unreachable)
    return _Plan(spec, check, report)


def _report(cursor, spec: ExportSpec, check: Check) -> RiskReport:
    varying = check.varying
    changed = " OR ".join(
        f"(r_{q.column} <> {q.column} AND NOT s_{q.column})" for q in varying if q.level > 0
    )
    suppressed = " OR ".join(f"s_{q.column}" for q in varying)
    per_quasi = "".join(
        f", coalesce(sum(n) FILTER (WHERE NOT dropped AND s_{q.column}), 0)" for q in varying
    )
    cursor.execute(
        "SELECT coalesce(sum(rows) FILTER (WHERE NOT dropped), 0), "  # noqa: S608
        f"coalesce(sum(n) FILTER (WHERE NOT dropped AND ({changed or 'false'})), 0), "
        f"coalesce(sum(n) FILTER (WHERE NOT dropped AND ({suppressed or 'false'})), 0), "
        f"coalesce(sum(n) FILTER (WHERE dropped), 0){per_quasi} FROM _export_combos"
    )
    rows, generalised, suppressed_records, dropped, *per = (int(v) for v in cursor.fetchone())
    before, after = check.before, check.after
    records = before.records
    suppressed_values = {q.field.name: count for q, count in zip(varying, per, strict=True)}
    loss = {}
    for q in varying:
        height = q.top + 1  # suppression is one step above the top level
        kept = after.records - suppressed_values[q.field.name]
        loss[q.field.name] = round(
            (kept * q.level / height + suppressed_values[q.field.name] + dropped) / records, 4
        )
    if loss:
        loss = {"overall": round(sum(loss.values()) / len(loss), 4), **loss}
    loss["records_dropped_share"] = round(dropped / records, 4)
    levels = {q.field.name: q.rule.levels[q.level].name for q in varying}
    levels.update(
        {
            f"{q.field.name} (eerder vrijgegeven)": q.rule.levels[q.level].name
            for q in check.quasi
            if q.fixed
        }
    )
    return RiskReport(
        k=spec.k,
        k_reached=after.smallest,
        unit=spec.unit,
        quasi_identifiers=tuple(q.key for q in check.quasi),
        levels=levels,
        records=records,
        records_released=after.records,
        rows_released=rows,
        records_generalised=generalised,
        records_suppressed=suppressed_records,
        records_dropped=dropped,
        at_risk_before=round(before.at_risk / records, 4),
        at_risk_after=round(after.at_risk / after.records, 4) if after.records else 0.0,
        unique_before=before.unique,
        groups_before=before.groups,
        groups_after=after.groups,
        suppressed_values=suppressed_values,
        information_loss=loss,
        diversity_field=spec.diversity_field,
        diversity_l=spec.diversity_l if spec.diversity_field else None,
        l_reached=after.l_reached,
    )


@contextmanager
def _snapshot():
    """One consistent snapshot for check and data (REPEATABLE READ) when we own the
    transaction; the temporary tables go with it (and are dropped when we don't own it)."""
    owns = not connection.in_atomic_block
    with transaction.atomic():
        if owns:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        with connection.cursor() as cursor:
            # memory of PostgreSQL, not of this process: the GROUP BYs hash in memory
            cursor.execute("SET LOCAL work_mem = '256MB'")
            # the first generalisation step hashes ~1M groups (a grouping per candidate) into
            # ~320 MB at 1M cases: at the default multiplier (2) it spilled to disk in 21 batches
            cursor.execute("SET LOCAL hash_mem_multiplier = 4")
            # planning of a one-off query: JIT compiles for longer than it saves here
            cursor.execute("SET LOCAL jit = off")
            # the joins on many code columns: hashing beats sorting them (measured, bench/)
            cursor.execute("SET LOCAL enable_mergejoin = off")
            # the case pass (the HMAC of every pseudonym) with parallel workers: the planner
            # counts a function call as cheap and would otherwise never start them
            cursor.execute("SET LOCAL parallel_setup_cost = 0")
            cursor.execute("SET LOCAL parallel_tuple_cost = 0.001")
        yield
        if not owns:
            with connection.cursor() as cursor:
                _drop_tables(cursor)


def export_check(spec: ExportSpec) -> RiskReport:
    """Dry run in PostgreSQL: validate, check k (and ℓ), plan the treatment; write nothing.
    Raises ExportRefused (Dutch message) when the export could not be released."""
    _validate(spec)
    with _snapshot(), connection.cursor() as cursor:
        return _plan(cursor, spec).report


# ---------------------------------------------------------------- the data


def _case_values(spec: ExportSpec) -> list[str]:
    """The case fields of the file that are not quasi-identifiers (nor the pseudonym)."""
    return [
        name
        for name in spec.fields
        if FIELDS[name].scope == "case" and not FIELDS[name].quasi and name != "case_pseudonym"
    ]


def _data_query(spec: ExportSpec, check: Check) -> str:
    """The rows of the file: the case table (one pass over the cases was enough), the released
    codes of its combination, and per sub-problem its own fields."""
    quasi = {q.field.name: q for q in check.quasi if not q.fixed}
    case_values = set(_case_values(spec))
    columns = []
    for name in spec.fields:
        f = FIELDS[name]
        q = quasi.get(name)
        if name == "case_pseudonym":
            value = "e.p"
        elif q is not None and q.is_set and spec.unit == "subproblem":
            # the row's own value, at the level of the case's set; suppressed with the set
            value = (
                f"(CASE WHEN cb.s_{q.column} THEN '{rules.ONDERDRUKT}' "
                f"ELSE {rules.level_sql(q.rule, q.level, _level0(f))} END)"
            )
        elif q is not None:
            value = f"cb.r_{q.column}"
        elif name in case_values:
            value = f'e."f_{name}"'
        else:
            value = _level0(f)
        columns.append(f'{value} AS "{name}"')
    keys = [q.column for q in check.quasi] + (["d"] if spec.diversity_field else [])
    join = " AND ".join(f"cb.{key} = e.{key}" for key in keys) or "true"
    order = "e.p"
    subproblems = ""
    if spec.unit == "subproblem":
        subproblems = (
            "JOIN cases_subproblem s ON s.case_id = e.case_id"
            + SUBPROBLEM_JOINS
            + _advice_join(FIELDS[name] for name in spec.fields)
        )
        order = "e.p, s.position"
    # the key only when a column computes a pseudonym here (the case's is in the case table)
    key = "CROSS JOIN _export_key k" if any("k.ipad" in column for column in columns) else ""
    return (
        f"SELECT {', '.join(columns)} FROM _export_cases e "  # noqa: S608
        f"JOIN _export_combos cb ON {join} AND NOT cb.dropped "
        f"{key} {subproblems} ORDER BY {order}"
    )


class _Labels:
    """Labels of category codes, Dutch and English; reference tables read once."""

    def __init__(self, cursor):
        cursor.execute("SELECT slug, name FROM accounts_location")
        self.location = dict(cursor.fetchall())
        cursor.execute("SELECT slug, name FROM cases_legalarea")
        self.legal_area = dict(cursor.fetchall())
        cursor.execute("SELECT id::text, name FROM cases_kindofcase")
        self.kind_of_case = dict(cursor.fetchall())
        self.cluster = dict(LegalArea.Cluster.choices)

    def of(self, f: ExportField, level: int, code: str) -> tuple[str, str]:
        rule = RULES[f.rule]
        step = rule.levels[level]
        if step.categories:
            found = {c: (nl, en) for c, nl, en in step.categories}
        elif level == 0 and f.categories:
            found = {c: (text(nl, "nl"), text(en, "en")) for c, nl, en in f.categories}
        else:
            found = {}
        if code in found:
            return found[code]
        named = None
        if f.rule == "legal_area":
            named = self.legal_area.get(code) if level == 0 else self.cluster.get(code)
        elif f.rule == "kind_of_case":
            table = (self.kind_of_case, self.legal_area, self.cluster)[level]
            named = table.get(code)
        elif f.rule == "location":
            named = self.location.get(code)
        elif f.rule == "postcode":
            return (f"{step.label_nl} {code}", f"{step.label_en} {code}")
        elif f.rule == "date" and step.name == "quarter":
            year, _, quarter = code.partition("-K")
            return (f"{year} kwartaal {quarter}", f"{year} Q{quarter}")
        if named is not None:
            return (text(named, "nl"), text(named, "en"))
        return (code, code)


def _columns(cursor, spec: ExportSpec, check: Check) -> list[Column]:
    labels = _Labels(cursor)
    quasi = {q.field.name: q for q in check.quasi if not q.fixed}
    result = []
    for name in spec.fields:
        f = FIELDS[name]
        q = quasi.get(name)
        level = q.level if q else 0
        if f.kind in ("pseudonym", "integer"):
            kind, codes = f.kind, []
        elif q is not None:
            kind = "set" if q.is_set and spec.unit == "case" else "category"
            # from the groups at the chosen levels (tens of thousands of rows), not from the
            # combinations (hundreds of thousands): the same released codes
            cursor.execute(
                f"SELECT DISTINCT unnest(string_to_array({check.group_released(q)}, '|')) AS v "  # noqa: S608
                "FROM _export_groups g WHERE NOT g.dropped ORDER BY v"
            )
            codes = [row[0] for row in cursor.fetchall()]
        elif f.reference == "counterparty":
            kind = "category"
            cursor.execute("SELECT name FROM cases_counterparty ORDER BY position, name")
            codes = [row[0] for row in cursor.fetchall()]
        else:
            kind, codes = "category", [code for code, _nl, _en in f.categories]
        categories = tuple(
            (code, *labels.of(f, level, code)) for code in codes if code not in rules.SPECIAL
        )
        result.append(
            Column(
                name=name,
                label_nl=f.label_nl,
                label_en=f.label_en,
                type=kind,
                categories=categories,
                level=RULES[f.rule].levels[level].name,
                quasi=f.quasi,
                data_class=str(f.data_class),
            )
        )
    return result


def _codebook_csv(columns: list[Column]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(
        ["variabele", "label_nl", "label_en", "type", "niveau", "code", "code_nl", "code_en"]
    )
    for c in columns:
        writer.writerow([c.name, c.label_nl, c.label_en, c.type, c.level, "", "", ""])
        for category in c.as_dict()["categories"]:
            writer.writerow(
                ["", "", "", "", "", category["code"], category["label_nl"], category["label_en"]]
            )
    return out.getvalue().encode("utf-8-sig")


def _risk_markdown(report: RiskReport) -> bytes:
    lines = [
        "# Risicorapport / risk report",
        "",
        f"- eenheid van de controle: casus (rechtzoekende); rijen per {report.unit}",
        f"- k gevraagd / bereikt: {report.k} / {report.k_reached}",
        f"- quasi-identificerende kenmerken: {', '.join(report.quasi_identifiers) or '-'}",
        f"- niveaus: {', '.join(f'{k}={v}' for k, v in report.levels.items()) or '-'}",
        f"- casussen in de periode (met toestemming): {report.records}",
        f"- casussen vrijgegeven: {report.records_released}; rijen: {report.rows_released}",
        f"- casussen gegeneraliseerd: {report.records_generalised}",
        f"- casussen met onderdrukte waarden: {report.records_suppressed}",
        f"- casussen weggelaten: {report.records_dropped}",
        f"- aandeel met risico vóór / na: {report.at_risk_before:.2%} / {report.at_risk_after:.2%}",
        f"- unieke combinaties vóór behandeling: {report.unique_before} "
        f"(van {report.groups_before} groepen; na: {report.groups_after})",
        f"- onderdrukte waarden per kenmerk: {report.suppressed_values}",
        f"- informatieverlies: {report.information_loss}",
    ]
    if report.diversity_field:
        lines.append(
            f"- ℓ-diversiteit op {report.diversity_field}: gevraagd {report.diversity_l}, "
            f"bereikt {report.l_reached}"
        )
    return ("\n".join(lines) + "\n").encode()


def _safe_name(code: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", code).strip("-") or "export"


class _Hashing:
    """A binary file that counts and hashes what goes through it."""

    def __init__(self, out):
        self.out, self.sha, self.size = out, hashlib.sha256(), 0

    def write(self, data: bytes) -> int:
        self.out.write(data)
        self.sha.update(data)
        self.size += len(data)
        return len(data)


def _add(zf: zipfile.ZipFile, name: str, data: bytes, files: dict) -> None:
    zf.writestr(name, data)
    files[name] = {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}


def _add_file(zf: zipfile.ZipFile, name: str, path: Path, files: dict) -> None:
    entry: str | zipfile.ZipInfo = name
    if name.endswith((".parquet", ".xlsx")):
        # compressed already (zstd; XLSX is itself a ZIP): deflating them again costs seconds
        # at 1M rows and saves next to nothing
        entry = zipfile.ZipInfo(name, date_time=localtime()[:6])
        entry.compress_type = zipfile.ZIP_STORED
    with path.open("rb") as source, zf.open(entry, "w", force_zip64=True) as target:
        hashing = _Hashing(target)
        while chunk := source.read(1 << 20):
            hashing.write(chunk)
    files[name] = {"sha256": hashing.sha.hexdigest(), "bytes": hashing.size}


def export_write(
    spec: ExportSpec,
    *,
    fmt: str,
    out_path: Path,
    delimiter: str = ",",
    request_info: dict,
    progress: Callable[[int, int], None] | None = None,
) -> Manifest:
    """Write one ZIP at out_path: the data file, codebook (csv and json), risk report (json and
    md) and manifest.json. Checks first (export_check in the same snapshot); raises
    ExportRefused, with nothing written, when the export can't be released."""
    _validate(spec, fmt, delimiter)
    out_path = Path(out_path)
    part = out_path.with_name(out_path.name + ".part")
    base = _safe_name(spec.study_code)
    try:
        with _snapshot(), connection.cursor() as cursor:
            plan = _plan(cursor, spec)
            report, check = plan.report, plan.check
            total = report.rows_released
            if fmt == "xlsx" and total > writers.XLSX_MAX_ROWS:
                raise ExportRefused(
                    f"Excel kan {total} rijen niet bevatten (ten hoogste "
                    f"{writers.XLSX_MAX_ROWS}); kies CSV of Parquet."
                )
            if fmt == "sav" and total * len(spec.fields) > writers.SAV_MAX_CELLS:
                raise ExportRefused(
                    "Deze export is te groot voor SPSS (.sav); kies CSV of Parquet, of minder "
                    "velden of een kortere periode."
                )
            columns = _columns(cursor, spec, check)
            query = _data_query(spec, check)
            if spec.unit == "subproblem":
                # the join to the sub-problems needs the planner's numbers of these two (one
                # row per case, they are hashed without: see _build_tables)
                cursor.execute("ANALYZE _export_cases")
                cursor.execute("ANALYZE _export_combos")
            codebook = {
                "unit": spec.unit,
                "unit_label_nl": UNIT_LABELS[spec.unit][0],
                "unit_label_en": UNIT_LABELS[spec.unit][1],
                "rules_version": rules.RULES_VERSION,
                "set_separator": "|",
                "variables": [c.as_dict() for c in columns],
            }
            done = (lambda rows: progress(rows, total)) if progress else None
            raw = connection.connection
            files: dict[str, dict] = {}
            with zipfile.ZipFile(
                part, "w", zipfile.ZIP_DEFLATED, allowZip64=True, compresslevel=ZIP_LEVEL
            ) as zf:
                name = f"{base}.{fmt}"
                if fmt == "csv":
                    with zf.open(name, "w", force_zip64=True) as target:
                        hashing = _Hashing(target)
                        writers.write_csv(
                            raw, query, {}, hashing, delimiter=delimiter, progress=done
                        )
                    files[name] = {"sha256": hashing.sha.hexdigest(), "bytes": hashing.size}
                else:
                    with tempfile.TemporaryDirectory(dir=out_path.parent) as scratch:
                        path = Path(scratch) / name
                        if fmt == "parquet":
                            writers.write_parquet(
                                raw,
                                query,
                                {},
                                path,
                                columns=columns,
                                progress=done,
                                metadata=codebook,
                            )
                        elif fmt == "xlsx":
                            writers.write_xlsx(raw, query, {}, path, columns=columns, progress=done)
                        else:
                            writers.write_sav(
                                raw,
                                query,
                                {},
                                path,
                                columns=columns,
                                progress=done,
                                label=f"{spec.study_code} ({spec.unit})",
                            )
                        _add_file(zf, name, path, files)
                if progress:
                    progress(total, total)
                _add(zf, "codebook.csv", _codebook_csv(columns), files)
                _add(zf, "codebook.json", _json(codebook), files)
                _add(zf, "risicorapport.json", _json(report.as_dict()), files)
                _add(zf, "risicorapport.md", _risk_markdown(report), files)
                released = [q.key for q in check.quasi]
                manifest = Manifest(
                    request=request_info,
                    parameters={**spec.parameters(), "format": fmt, "delimiter": delimiter},
                    rules_version=rules.RULES_VERSION,
                    k=spec.k,
                    row_count=total,
                    files=files,
                    quasi_released=tuple(dict.fromkeys(released)),
                    format=fmt,
                    created_at=timezone.now().isoformat(),
                )
                zf.writestr("manifest.json", _json(manifest.as_dict()))
        os.replace(part, out_path)
        logger.info("export %s: %s written, %d rows", spec.study_code, fmt, total)
    finally:
        part.unlink(missing_ok=True)
    return manifest


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str).encode()
