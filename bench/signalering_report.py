"""Preparing the signaleringsoverleg's month report (signalering.report.month_report) at scale.

    .venv/bin/python bench/signalering_report.py --fill [--cases 1000000]   # once
    .venv/bin/python bench/signalering_report.py [--runs 20] [--month 2026-10]

The database (default `pilot_bench_report`; `--database-url` or BENCH_REPORT_DATABASE_URL; the
name must start with `pilot_bench`) is filled in three steps, each skipped when already done:

1. 45 locations are added to the pilot's five (`bench-01` … `bench-45`, as bench/piket.py names
   them), each with a Juridisch Loket, sociaal raadslieden and a sociale advocatuur and the
   demo users bench/fill_cases.py registers cases with;
2. bench/fill_cases.py's fill, over the 50 locations: the five pilot locations keep half of the
   cases in their usual proportions (Amsterdam 17.5%), the 45 others share the other half;
   `--cases` sets the scale (1,000,000 for the issue's figure);
3. bench/piket.py's fill: a year of piket for the 50 locations (26 weeks back, 26 ahead, two
   rosters a week each, two advocaten on duty), then what became of the past consults made
   varied (5% no-show, 5% advocaat not reached, 4% cancelled) and advice recorded after 70% of
   the held ones (30% of those: LAT avoided), as a piket consult's advice is.

The measurement: `month_report` for the last whole month, in-process (no HTTP), for the largest
location (Amsterdam), a small one (a bench location) and a region of three, after one warm-up:
`--cold-runs` times counted (the cache emptied first: every figure counted, the other
locations' too) and `--runs` times from the cache (what a meeting page does once the month is
counted). Per run: wall time (figures, suppression, the tables) and the queries
(CaptureQueriesContext), which must be the same number for every scope. Exit 1 when a p95 is
over the budget (1 s) or the query counts differ. Writes nothing: the cache lives in the
process and everything runs in a transaction that is rolled back.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import os
import sys
import time
import warnings
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = "postgres://postgres@127.0.0.1:5432/pilot_bench_report"
BUDGET_MS = 1000.0
EXTRA_LOCATIONS = 45  # as bench/piket.py


def log(message: str) -> None:
    print(message, flush=True)


def bench_module(name: str):
    """A sibling benchmark script as a module (bench/ is no package, and bench/piket.py would
    shadow the piket app on sys.path)."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]


def setup_django(url: str, *, create: bool) -> None:
    if create:
        bench_module("fill_cases").ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "pilot.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    sys.path.insert(0, str(ROOT))
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()


# ---------------------------------------------------------------- the fill


def add_locations() -> list[str]:
    """The 45 bench locations with the organisations and users fill_cases registers with."""
    from django.db import transaction

    from accounts.models import Location, Membership, Organisation, Role, User

    kinds = Organisation.Kind
    slugs = []
    with transaction.atomic():
        for i in range(1, EXTRA_LOCATIONS + 1):
            location, _ = Location.objects.get_or_create(
                slug=f"bench-{i:02d}", defaults={"name": f"Benchplaats {i:02d}"}
            )
            slugs.append(location.slug)
            for kind, label, user_prefix, role in (
                (kinds.JURIDISCH_LOKET, "Het Juridisch Loket", "eerstelijn", Role.FIRST_LINE),
                (kinds.SOCIAAL_RAADSLIEDEN, "Sociaal raadslieden", "raadsman", Role.FIRST_LINE),
                (kinds.SOCIALE_ADVOCATUUR, "Sociale advocatuur", "advocaat", Role.ADVOCAAT),
            ):
                organisation, _ = Organisation.objects.get_or_create(
                    location=location, kind=kind, defaults={"name": f"{label} {location.name}"}
                )
                email = f"{user_prefix}.{location.slug}@example.org"
                user = User.objects.filter(email=email).first() or User.objects.create_user(
                    email, None, full_name=f"{user_prefix.title()} {location.name}"
                )
                Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
    return slugs


def fill_cases(cases: int) -> None:
    from django.core.management import call_command

    module = bench_module("fill_cases")
    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    from cases.models import Case

    if Case.objects.exists():
        log(f"  {Case.objects.count():,} cases present: no case fill (a fresh database refills)")
        return
    call_command("seed_demo", force=True, stdout=io.StringIO())
    slugs = add_locations()
    # the five pilot locations keep half the cases in their proportions; the rest share the other
    pilot = dict(module.LOCATION_WEIGHTS)
    module.LOCATION_WEIGHTS = {
        **{slug: share / 2 for slug, share in pilot.items()},
        **{slug: 0.5 / len(slugs) for slug in slugs},
    }
    module.POSTCODES = {
        **module.POSTCODES,
        **{slug: (9001 + 10 * i, 10) for i, slug in enumerate(slugs)},
    }
    t = time.perf_counter()
    result = module.fill(cases=cases, reset=False, batch=module.BATCH, seed=0.42)
    log(f"  {result['cases']:,} cases over 50 locations in {time.perf_counter() - t:.0f} s")


ADVICE_SQL = """
CREATE TEMP TABLE bench_held ON COMMIT DROP AS
SELECT c.id AS consult_id, s.id AS subproblem_id, c.advocaat_id, c.ends_at,
       nextval(pg_get_serial_sequence('cases_secondlineadvice', 'id')) AS advice_id,
       random() AS u1, random() AS u2
FROM piket_consult c
JOIN cases_subproblem s ON s.case_id = c.case_id AND s.position = 1
WHERE c.status = 'gehouden' AND c.id % 10 < 7
    AND NOT EXISTS (SELECT 1 FROM piket_consultadvice a WHERE a.consult_id = c.id);
INSERT INTO cases_secondlineadvice (id, subproblem_id, advocaat_id, analysis, analysis_match,
    referral_useful, takes_case, continuation, certificate_otherwise, feedback, feedback_note,
    occasion, created_at, updated_at)
SELECT h.advice_id, h.subproblem_id, h.advocaat_id, 'Advies na het piketconsult.',
    CASE WHEN h.u1 < 0.6 THEN 'zelfde' WHEN h.u1 < 0.85 THEN 'deels' ELSE 'anders' END,
    CASE WHEN h.u2 < 0.5 THEN 'ja' WHEN h.u2 < 0.8 THEN 'nee' ELSE 'weet_niet' END,
    false, 'eerstelijn', CASE WHEN h.u2 < 0.3 THEN 'ja' ELSE 'nee' END, '{}'::varchar[], '',
    'piket', h.ends_at, h.ends_at
FROM bench_held h;
INSERT INTO piket_consultadvice (consult_id, subproblem_id, advice_id)
SELECT consult_id, subproblem_id, advice_id FROM bench_held;
"""


def fill_piket() -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from piket.models import Consult, Shift

    if Shift.objects.filter(location__slug="bench-01").exists():
        log(f"  {Consult.objects.count():,} consults present: no piket fill")
        return
    t = time.perf_counter()
    # bench/piket.py fills only an empty piket: the demo's few shifts make way
    data = bench_module("piket").fill(reset=True)
    log(f"  piket: {data}")
    with transaction.atomic(), connection.cursor() as cursor:
        # what became of the past consults, and the advice after the held ones
        cursor.execute(
            """
            UPDATE piket_consult SET status = CASE
                WHEN id %% 100 < 5 THEN 'niet_verschenen'
                WHEN id %% 100 < 10 THEN 'niet_bereikt'
                WHEN id %% 100 < 14 THEN 'geannuleerd'
                ELSE status END
            WHERE status = 'gehouden' AND starts_at < %s
            """,
            [timezone.now()],
        )
        cursor.execute(ADVICE_SQL)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) piket_consult")
        cursor.execute("VACUUM (ANALYZE) piket_consultadvice")
        cursor.execute("VACUUM (ANALYZE) cases_secondlineadvice")
    log(f"  piket filled in {time.perf_counter() - t:.0f} s")


# ---------------------------------------------------------------- the measurement


def last_whole_month() -> date:
    from django.utils import timezone

    today = timezone.localdate()
    return date(today.year - (today.month == 1), (today.month - 2) % 12 + 1, 1)


def measure(locations, month: date, runs: int, *, cold: str) -> dict:
    """`cold`: "all" (the cache emptied before each run), "scope" (only the scope's counts
    dropped: every location's months are in the cache, as for the second and later report of a
    month) or "" (everything from the cache)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from signalering.report import CACHE_VERSION, _cache_key, month_report

    month_report(locations=locations, month=month)  # warm-up: connection, plans, imports
    times, queries, sql_ms = [], set(), []
    for _run in range(runs):
        if cold == "all":
            cache.clear()  # counted again, the other locations' figures too
        elif cold == "scope":
            cache.delete(_cache_key(locations, month), version=CACHE_VERSION)
        connection.queries_log.clear()  # a full log (9000) would hide the new queries
        with CaptureQueriesContext(connection) as context:
            t = time.perf_counter()
            month_report(locations=locations, month=month)
            times.append((time.perf_counter() - t) * 1000)
        queries.add(len(context.captured_queries))
        sql_ms.append(sum(float(q["time"]) for q in context.captured_queries) * 1000)
    slowest = sorted(
        ((float(q["time"]) * 1000, q["sql"][:140]) for q in context.captured_queries),
        reverse=True,
    )[:3]
    return {
        "p50": percentile(times, 50),
        "p95": percentile(times, 95),
        "max": max(times),
        "sql_ms": percentile(sql_ms, 50),
        "queries": sorted(queries),
        "slowest": slowest,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_REPORT_DATABASE_URL", DATABASE_URL)
    )
    parser.add_argument("--fill", action="store_true", help="fill first (steps already done skip)")
    parser.add_argument("--cases", type=int, default=1_000_000, help="cases of the fill")
    parser.add_argument("--runs", type=int, default=20, help="runs from the cache")
    parser.add_argument("--cold-runs", type=int, default=3, help="runs counting everything")
    parser.add_argument("--month", help="YYYY-MM (default: the last whole month)")
    parser.add_argument("--budget-ms", type=float, default=BUDGET_MS)
    parser.add_argument("--slow", action="store_true", help="print the three slowest queries")
    args = parser.parse_args(argv)
    name = args.database_url.rsplit("/", 1)[-1]
    if not name.startswith("pilot_bench"):
        parser.error(f"refusing database {name!r}: its name must start with 'pilot_bench'")
    setup_django(args.database_url, create=args.fill)
    if args.fill:
        t = time.perf_counter()
        log(f"fill {name}: {args.cases:,} cases, 50 locations, a year of piket")
        fill_cases(args.cases)
        fill_piket()
        log(f"fill done in {time.perf_counter() - t:.0f} s\n")

    from django.conf import settings
    from django.db import connection, transaction

    from accounts.models import Location

    settings.DEBUG = False
    # The counts go to a cache of this process, not the database's cache table: the benchmark
    # writes nothing. (In production the page reads them from the database cache: two queries.)
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    month = date.fromisoformat(f"{args.month}-01") if args.month else last_whole_month()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM cases_case")
        cases = cursor.fetchone()[0]
        cursor.execute(
            "SELECT count(*), count(DISTINCT location_id) FROM piket_shift"
            " WHERE NOT is_cancelled AND location_id IN"
            " (SELECT id FROM accounts_location WHERE NOT is_national)"
        )
        shifts, piket_locations = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM piket_consult")
        consults = cursor.fetchone()[0]
    locations = list(Location.objects.filter(is_national=False).order_by("name"))
    by_slug = {loc.slug: loc for loc in locations}
    small = by_slug.get("bench-07") or locations[-1]
    scopes = {
        "Amsterdam (largest)": [by_slug.get("amsterdam", locations[0])],
        f"{small.name} (small)": [small],
        "region of three": [
            loc for loc in locations if loc.slug in ("utrecht", "zwolle", "bench-01")
        ]
        or locations[:3],
    }
    log(f"# Month report, {name}\n")
    log(
        f"{cases:,} cases, {len(locations)} locations; piket: {shifts:,} shifts at"
        f" {piket_locations} locations, {consults:,} consults. Month {month:%Y-%m},"
        f" {args.runs} runs each (after one warm-up); load average {os.getloadavg()[0]:.1f}"
        f" on {os.cpu_count()} cores.\n"
    )
    log("| scope | counts | runs | p50 ms | p95 ms | max ms | SQL ms p50 | queries |")
    log("|---|---|---:|---:|---:|---:|---:|---:|")
    failures = []
    counts: dict[str, set] = {"all": set(), "scope": set(), "": set()}
    what = {
        "all": "counted",
        "scope": "counted (every location's months cached)",
        "": "from the cache",
    }
    with transaction.atomic():
        for label, scope in scopes.items():
            for cold, runs in (
                ("all", args.cold_runs),
                ("scope", args.cold_runs),
                ("", args.runs),
            ):
                if not runs:
                    continue
                result = measure(scope, month, runs, cold=cold)
                counts[cold].update(result["queries"])
                log(
                    f"| {label} | {what[cold]} | {runs} |"
                    f" {result['p50']:.0f} | {result['p95']:.0f} | {result['max']:.0f} |"
                    f" {result['sql_ms']:.0f} | {'/'.join(map(str, result['queries']))} |"
                )
                if args.slow and cold == "all":
                    for ms, sql in result["slowest"]:
                        log(f"|  | slow query {ms:.0f} ms: `{sql}` |  |  |  |  |  |  |")
                if result["p95"] > args.budget_ms:
                    failures.append(
                        f"{label}, {what[cold]}: p95 {result['p95']:.0f} ms"
                        f" over {args.budget_ms:.0f}"
                    )
        transaction.set_rollback(True)
    for cold, seen in counts.items():
        if len(seen) > 1:
            failures.append(f"query counts differ ({what[cold]}): {sorted(seen)}")
    log("")
    for failure in failures:
        log(f"- FAIL {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
