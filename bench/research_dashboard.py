"""Server time and SQL queries of the research dashboard: all locations over a year.

    .venv/bin/python bench/research_dashboard.py \\
        [--database postgres://postgres@127.0.0.1:5432/pilot_bench] [--runs 30] [--year 2026]

Fill the database first with bench/fill_cases.py (1M cases). Requests the dashboard in-process
with Django's test Client (DEBUG off, no network, no browser) as the demo researcher
(onderzoeker.amsterdam: every location, suppressed) and the demo coordinator
(coordinator.amsterdam: the location's raw figures), for the whole year (the default period:
the current year, the fill's busiest). Per request: wall time around `client.get` (middleware,
every query, suppression, template) and the queries (CaptureQueriesContext). Also the CSV of
all tables. Everything runs inside one transaction that is rolled back: the benchmark writes
nothing to the database (not even the session).

Three cases per user: warm (the counts in the cache, as research.tasks.refresh_figures keeps them
every half hour: what a user waits for); not counted (the cache emptied before each request and
no worker: the page asks for the count and answers at once that it is being counted); and cold
(the cache emptied before each request, the counting task run in this process as Celery's eager
mode does: what a count costs the worker and the database). Prints Markdown; exit 1 when a warm
or not-counted p95 is over the budget (300 ms), a warm page's query count varies, or a page
does not answer 200. For cold requests it prints the three slowest queries.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from contextlib import nullcontext
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = "postgres://postgres@127.0.0.1:5432/pilot_bench"
USERS = {
    "researcher": "onderzoeker.amsterdam@example.org",
    "coordinator": "coordinator.amsterdam@example.org",
}
BUDGET_MS = 300.0
WARMUP = 3


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "pilot.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False  # production-like template rendering
    # The counts go to a cache of this process, not the database's cache table: the benchmark
    # writes nothing and holds no lock in a database others measure too. (In production a
    # page reads the counts from the database cache: one more query of about a millisecond.)
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # The session's activity stamp is written at most once a minute (accounts.middleware): a
    # write that belongs to no page, which would make the query count vary after a cold request.
    settings.SESSION_ACTIVITY_SECONDS = 24 * 60 * 60
    from pilot.celery import app

    app.conf.task_always_eager = True  # a count asked for runs here, never on a real queue


def measure(client, target: str, runs: int, *, cold: bool = False, worker: bool = True) -> dict:
    """`cold`: the cache is emptied before each request, so every request asks for a count of
    the year; `worker`: the count runs (eagerly, in the request) or, False, is only asked for."""
    from unittest import mock

    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from research import tasks

    times, queries, statuses, last = [], [], set(), []
    for i in range(-(1 if cold else WARMUP), runs):
        if cold:
            cache.clear()
        connection.queries_log.clear()
        no_worker = mock.patch.object(tasks.count_figures, "delay", lambda *args: None)
        with CaptureQueriesContext(connection) as ctx, nullcontext() if worker else no_worker:
            start = time.perf_counter()
            response = client.get(target)
            elapsed = (time.perf_counter() - start) * 1000
        if i < 0:
            continue
        statuses.add(response.status_code)
        times.append(elapsed)
        queries.append(len(ctx.captured_queries))
        last = ctx.captured_queries
    slowest = sorted(last, key=lambda q: float(q["time"]), reverse=True)[:3]
    return {
        "p50": percentile(times, 50),
        "p95": percentile(times, 95),
        "max": max(times),
        "queries": sorted(set(queries)),
        "statuses": sorted(statuses),
        "db_ms": sum(float(q["time"]) for q in last) * 1000,
        "slowest": [(float(q["time"]) * 1000, q["sql"][:160]) for q in slowest],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE_URL", DATABASE_URL))
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--cold-runs", type=int, default=3)
    parser.add_argument("--year", type=int, default=None)
    parser.add_argument("--budget-ms", type=float, default=BUDGET_MS)
    args = parser.parse_args(argv)
    setup_django(args.database)

    from django.db import connection, transaction
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from accounts.models import User

    year = args.year or timezone.localdate().year
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM cases_case")
        cases = cursor.fetchone()[0]
        cursor.execute(
            "SELECT count(*) FROM cases_case WHERE registered_at >= %s AND registered_at < %s",
            [f"{year}-01-01", f"{year + 1}-01-01"],
        )
        in_year = cursor.fetchone()[0]
    print(f"# Research dashboard, {connection.settings_dict['NAME']}")
    print(f"\n{cases:,} cases, {in_year:,} registered in {year}; {args.runs} runs per page.\n")
    print("| user | page | p50 ms | p95 ms | max ms | SQL ms (last) | queries | status |")
    print("|---|---|---|---|---|---|---|---|")
    failures = []
    with transaction.atomic():
        for role, email in USERS.items():
            client = Client(HTTP_HOST="localhost")
            client.force_login(User.objects.get(email=email))
            dashboard = f"{reverse('research:dashboard')}?jaar={year}"
            all_csv = f"{reverse('research:dashboard_csv')}?jaar={year}"
            for page, target, cold, worker, runs in (
                ("dashboard (cache warm)", dashboard, False, True, args.runs),
                ("csv, all tables (cache warm)", all_csv, False, True, args.runs),
                ("dashboard (not counted: answers at once)", dashboard, True, False, args.runs),
                ("dashboard (cold: counted)", dashboard, True, True, args.cold_runs),
            ):
                if not runs:
                    continue
                result = measure(client, target, runs, cold=cold, worker=worker)
                print(
                    f"| {role} | {page} | {result['p50']:.0f} | {result['p95']:.0f} | "
                    f"{result['max']:.0f} | {result['db_ms']:.0f} | "
                    f"{'/'.join(map(str, result['queries']))} | {result['statuses']} |"
                )
                if result["statuses"] != [200]:
                    failures.append(f"{role} {page}: answered {result['statuses']}")
                if not (cold and worker) and result["p95"] > args.budget_ms:
                    failures.append(f"{role} {page}: p95 {result['p95']:.0f} ms")
                if not cold and len(result["queries"]) != 1:
                    failures.append(f"{role} {page}: queries {result['queries']}")
                if cold and worker:
                    for ms, sql in result["slowest"]:
                        print(f"|  | slow query {ms:.0f} ms | `{sql}` |  |  |  |  |  |")
        transaction.set_rollback(True)  # nothing written, not even the sessions
    print()
    for failure in failures:
        print(f"- FAIL {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
