"""Benchmark of the research export engine (research/export): 1M cases to CSV and to Parquet,
with generalisation and the k-anonymity check, against PostgreSQL's own COPY of the same columns.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pilot_bench_engine \
        .venv/bin/python bench/research_export.py [--formats csv parquet] [--k 5] [--repeat 1]

Each measurement runs in a child process of its own (this script with --child), which reports
its wall time (from the start of the export to the closed ZIP, Django's start-up left out) and its
peak RSS (getrusage(RUSAGE_SELF).ru_maxrss); the parent also reads RUSAGE_CHILDREN. The baseline,
"copy", is `COPY (SELECT …) TO STDOUT` (CSV) of the same columns, ungeneralised, read by psycopg
and thrown away: the physical limit of getting those rows out of PostgreSQL. Results go to stdout
and to bench/results/research_export-<date>.md (gitignored). Aims (issue 10): CSV within 3x of
COPY, Parquet within 4x, peak memory under 300 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIELDS = (
    "case_pseudonym",
    "location",
    "organisation_kind",
    "registered",
    "age_band",
    "household",
    "income",
    "status",
    "solution_reached",
    "legal_area",
)
# The same columns as the export, as they are stored (no generalisation, no pseudonym key):
# what COPY can do with them at best.
COPY_SQL = """
COPY (
    SELECT c.id, loc.slug, o.kind, c.registered_at, c.age_band, c.household, c.income, c.status,
        c.solution_reached, sp.areas
    FROM cases_case c
    JOIN accounts_location loc ON loc.id = c.location_id
    JOIN accounts_organisation o ON o.id = c.organisation_id
    LEFT JOIN (SELECT s.case_id, string_agg(la.slug, '|' ORDER BY la.slug) AS areas
               FROM cases_subproblem s JOIN cases_legalarea la ON la.id = s.legal_area_id
               GROUP BY s.case_id) sp ON sp.case_id = c.id
    WHERE c.research_consent AND c.anonymised_at IS NULL
) TO STDOUT WITH (FORMAT csv, HEADER true)
"""


def child(what: str, k: int) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pilot.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import logging

    from django.db import connection

    logging.basicConfig(
        stream=sys.stderr, level=logging.INFO, format="%(relativeCreated)d ms %(message)s"
    )

    from research.export.engine import ExportSpec, export_write

    started = time.perf_counter()
    result: dict = {"what": what}
    if what == "copy":
        connection.ensure_connection()
        size = 0
        with connection.connection.cursor() as cursor, cursor.copy(COPY_SQL) as copy:
            for block in copy:
                size += len(block)
        result["bytes"] = size
    else:
        spec = ExportSpec(
            study_code="BENCH",
            study_key=b"bench key of the research export",
            k=k,
            start=date(2000, 1, 1),
            end=date.today(),
            location_ids=None,
            fields=FIELDS,
            unit="case",
        )
        with tempfile.TemporaryDirectory() as scratch:
            out = Path(scratch) / f"bench.{what}.zip"
            manifest = export_write(spec, fmt=what, out_path=out, request_info={"bench": True})
            result["bytes"] = out.stat().st_size
            result["rows"] = manifest.row_count
            report = json.loads(_read(out, "risicorapport.json"))
            result["k_reached"] = report["k_reached"]
            result["levels"] = report["levels"]
            result["records_suppressed"] = report["records_suppressed"]
            result["records_dropped"] = report["records_dropped"]
    result["seconds"] = time.perf_counter() - started
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def _read(path: Path, name: str) -> bytes:
    import zipfile

    with zipfile.ZipFile(path) as zf:
        return zf.read(name)


def run_child(what: str, k: int) -> dict:
    started = time.perf_counter()
    output = subprocess.run(
        [sys.executable, __file__, "--child", what, "--k", str(k)],
        check=True,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    ).stdout
    result = json.loads(output.strip().splitlines()[-1])
    result["process_seconds"] = time.perf_counter() - started
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--formats", nargs="+", default=["csv", "parquet"])
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.k)))
        return 0

    results = []
    for _ in range(args.repeat):
        copy = run_child("copy", args.k)
        results.append(copy)
        for fmt in args.formats:
            result = run_child(fmt, args.k)
            result["ratio_to_copy"] = result["seconds"] / copy["seconds"]
            results.append(result)
    children_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    aims = {"csv": 3.0, "parquet": 4.0}
    lines = [
        f"# Research export benchmark {date.today()}",
        "",
        f"database: {os.environ.get('DATABASE_URL', '(default)')}; k = {args.k}; "
        f"fields: {', '.join(FIELDS)}; unit: case",
        "",
        "| what | rows | wall s | ratio to COPY | aim | peak RSS MB | file MB | k reached |",
        "|---|---|---|---|---|---|---|---|",
    ]
    failed = False
    for r in results:
        ratio = r.get("ratio_to_copy")
        aim = aims.get(r["what"])
        ok = (ratio is None or aim is None or ratio <= aim) and r["peak_rss_mb"] < 300
        failed |= not ok
        lines.append(
            f"| {r['what']} | {r.get('rows', '')} | {r['seconds']:.2f} | "
            f"{'' if ratio is None else f'{ratio:.2f}x'} | {'' if aim is None else f'{aim}x'} | "
            f"{r['peak_rss_mb']:.0f} | {r['bytes'] / 1e6:.1f} | {r.get('k_reached', '')} |"
        )
    lines += ["", f"largest child's peak RSS (RUSAGE_CHILDREN): {children_peak:.0f} MB"]
    for r in results:
        if "levels" in r:
            lines.append(
                f"- {r['what']}: levels {r['levels']}; cases with a suppressed value "
                f"{r['records_suppressed']}, left out {r['records_dropped']}"
            )
    text = "\n".join(lines) + "\n"
    print(text)
    target = ROOT / "bench" / "results"
    target.mkdir(exist_ok=True)
    (target / f"research_export-{date.today()}.md").write_text(text)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
