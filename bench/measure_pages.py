"""Server time and SQL queries of the case pages, at 1M cases and at 10k cases.

    .venv/bin/python bench/measure_pages.py \\
        --large postgres://postgres@127.0.0.1:5432/pilot_bench \\
        --small postgres://postgres@127.0.0.1:5432/pilot_bench_small

Fill both databases first with bench/fill_cases.py (`make bench` does all of it). Every page is
requested in-process with Django's test Client (force_login, no network, no browser) as a
first-line worker (eerstelijn.amsterdam: ~21% of the cases) and as a coordinator
(coordinator.amsterdam: the location's ~35%). Per request: wall time around `client.get` and the
SQL queries (CaptureQueriesContext). Each database is measured in its own subprocess (Django
settings are per process).

Writes Markdown to stdout and to bench/results/<date>.md. Exit 1 when a p95 is over the budget
or a page's query count differs between 10k and 1M cases (or between a list of 25 rows and a
list of 1 row: an N+1). For each slow page, the slowest query is run again under
EXPLAIN (ANALYZE, BUFFERS) and its plan printed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
LARGE_URL = "postgres://postgres@127.0.0.1:5432/pilot_bench"
SMALL_URL = "postgres://postgres@127.0.0.1:5432/pilot_bench_small"
USERS = {
    "worker": "eerstelijn.amsterdam@example.org",
    "coordinator": "coordinator.amsterdam@example.org",
}
WARMUP = 3


# ---------------------------------------------------------------- child: one database


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))  # ceil
    return ordered[int(rank) - 1]


def collect(url: str, runs: int, budget_ms: float, explain_all: bool) -> dict:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "pilot.settings"
    sys.path.insert(0, str(ROOT))
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse
    from django.utils import timezone

    from accounts.models import User
    from cases import selectors
    from cases.models import Case, LegalArea

    # Production-like rendering: no template debug. (DEBUG was read at import for the settings
    # that depend on it; the template engine is built lazily, so it sees this.)
    settings.DEBUG = False

    try:
        list_url = reverse("cases:list")
        reverse("cases:detail", args=["Z-2222-2222"])
    except NoReverseMatch as exc:
        return {"error": f"case pages missing: {exc}"}

    huurrecht = LegalArea.objects.get(slug="huurrecht").pk
    today = timezone.localdate()
    # a month about a year ago: its cases sit deep in the registered_at order
    period_start = (today.replace(day=1) - timedelta(days=365)).replace(day=1)
    period_end = (period_start + timedelta(days=32)).replace(day=1) - timedelta(days=1)

    out: dict = {"database": connection.settings_dict["NAME"], "pages": [], "counts": {}}
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM cases_case")
        out["cases"] = cursor.fetchone()[0]
        cursor.execute("SHOW server_version")
        out["postgres"] = cursor.fetchone()[0]

    for role, email in USERS.items():
        user = User.objects.get(email=email)
        visible = selectors.cases_visible_to(user)
        visible.count()  # warm the cache, then time the paginator's COUNT(*) as it runs
        with CaptureQueriesContext(connection) as ctx:
            t = time.perf_counter()
            out["counts"][role] = {"visible": visible.count()}
            out["counts"][role]["count_ms"] = (time.perf_counter() - t) * 1000
        count_sql = ctx.captured_queries[-1]["sql"]

        with connection.cursor() as cursor:
            cursor.execute("SELECT setseed(0.17)")
        sample = list(visible.order_by("?").values_list("number", flat=True)[: 2 * runs])
        detail_numbers, search_numbers = sample[:runs], sample[runs:]
        shapes = detail_shapes(connection, detail_numbers)

        pages = [
            ("list", lambda i: list_url),
            (
                "list ?status=open&legal_area=huurrecht",
                lambda i: f"{list_url}?status=open&legal_area={huurrecht}",
            ),
            ("list ?number=<existing>", lambda i: f"{list_url}?number={search_numbers[i]}"),
            (
                "list ?registered_from..until (one month, a year ago)",
                lambda i: (
                    f"{list_url}?registered_from={period_start}&registered_until={period_end}"
                ),
            ),
            ("detail", lambda i: reverse("cases:detail", args=[detail_numbers[i]])),
        ]
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        for name, url_for in pages:
            times, queries, db_ms, count_ms, statuses, slowest = [], [], [], [], set(), None
            for i in range(-WARMUP, runs):
                target = url_for(i % runs)
                with CaptureQueriesContext(connection) as ctx:
                    t = time.perf_counter()
                    response = client.get(target)
                    elapsed = (time.perf_counter() - t) * 1000
                if i < 0:
                    continue
                statuses.add(response.status_code)
                captured = ctx.captured_queries
                times.append(elapsed)
                queries.append(len(captured))
                db_ms.append(sum(float(q["time"]) for q in captured) * 1000)
                top = max(captured, key=lambda q: float(q["time"]))
                if slowest is None or float(top["time"]) > slowest["seconds"]:
                    slowest = {
                        "seconds": float(top["time"]),
                        "sql": top["sql"],
                        "url": target,
                        "request_ms": elapsed,
                    }
                counted = [q for q in captured if q["sql"].startswith("SELECT COUNT(*)")]
                if counted and name.startswith("list"):
                    count_ms.append(float(counted[0]["time"]) * 1000)
            page = {
                "role": role,
                "page": name,
                "runs": runs,
                "statuses": sorted(statuses),
                "times": times,
                "queries": queries,
                "db_ms": db_ms,
                "p50": percentile(times, 50),
                "p95": percentile(times, 95),
                "max": max(times),
                "db_p50": percentile(db_ms, 50),
                "slowest_query_ms": slowest["seconds"] * 1000,
                "slowest_url": slowest["url"],
            }
            if count_ms:
                page["count_p50"] = percentile(count_ms, 50)
            if name == "detail":
                page["shapes"] = [shapes.get(n, "?") for n in detail_numbers]
            if explain_all or page["p95"] > budget_ms:
                page["slowest_sql"] = slowest["sql"]
                page["plan"] = explain(connection, slowest["sql"])
            out["pages"].append(page)
        # the COUNT(*) of everything the user sees (the paginator's first query on the list)
        if explain_all or out["counts"][role]["count_ms"] > budget_ms / 3:
            out["counts"][role]["sql"] = count_sql
            out["counts"][role]["plan"] = explain(connection, count_sql)
    return out


def detail_shapes(connection, numbers: list[str]) -> dict[str, str]:
    """What a case page has to show, which decides which prefetch queries run."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.number,
                EXISTS (SELECT 1 FROM cases_clientidentity i
                        WHERE i.case_id = c.id AND i.destroyed_at IS NULL),
                EXISTS (SELECT 1 FROM cases_secondlineadvice a
                        JOIN cases_subproblem s ON s.id = a.subproblem_id WHERE s.case_id = c.id),
                EXISTS (SELECT 1 FROM cases_note n WHERE n.case_id = c.id),
                EXISTS (SELECT 1 FROM cases_handover h WHERE h.case_id = c.id),
                EXISTS (SELECT 1 FROM cases_casegrant g WHERE g.case_id = c.id)
            FROM cases_case c WHERE c.number = ANY(%s)
            """,
            [numbers],
        )
        names = ("identity", "advice", "note", "handover", "grant")
        return {
            row[0]: "+".join(n for n, has in zip(names, row[1:], strict=True) if has) or "bare"
            for row in cursor.fetchall()
        }


def explain(connection, sql: str) -> str:
    if not sql.lstrip().upper().startswith("SELECT"):
        return "(not a SELECT: not explained)"
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


# ---------------------------------------------------------------- parent: both databases


def run_child(url: str, runs: int, budget_ms: float, explain_all: bool) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json") as tmp:
        cmd = [
            sys.executable,
            __file__,
            "--collect",
            url,
            "--runs",
            str(runs),
            "--budget-ms",
            str(budget_ms),
            "--json-out",
            tmp.name,
        ]
        if explain_all:
            cmd.append("--explain-all")
        subprocess.run(cmd, check=True)
        return json.loads(Path(tmp.name).read_text())


def fill_record(url: str) -> dict | None:
    path = RESULTS / f"fill-{url.rsplit('/', 1)[-1]}.json"
    return json.loads(path.read_text()) if path.exists() else None


def query_range(values: list[int]) -> str:
    lo, hi = min(values), max(values)
    return str(lo) if lo == hi else f"{lo}–{hi}"


def by_shape(page: dict) -> dict[str, int]:
    result: dict[str, int] = {}
    for shape, count in zip(page["shapes"], page["queries"], strict=True):
        result[shape] = max(result.get(shape, 0), count)
    return result


def report(large: dict, small: dict, budget_ms: float, runs: int) -> tuple[str, list[str]]:
    failures: list[str] = []
    small_pages = {(p["role"], p["page"]): p for p in small["pages"]}
    lines = [
        f"# Case pages at {large['cases']:,} cases ({time.strftime('%Y-%m-%d %H:%M')})",
        "",
        f"Django test Client in-process, {runs} requests per page after {WARMUP} warm-up "
        f"requests; PostgreSQL {large['postgres']}, Python {platform.python_version()}, "
        f"{os.cpu_count()} cores. Server time = wall time of `client.get` (middleware, "
        f"session save, queries, template). Budget: p95 ≤ {budget_ms:.0f} ms.",
        "",
        f"Visible cases: worker {large['counts']['worker']['visible']:,}, "
        f"coordinator {large['counts']['coordinator']['visible']:,} "
        f"(at 10k: {small['counts']['worker']['visible']:,} and "
        f"{small['counts']['coordinator']['visible']:,}).",
        "",
        f"| page | user | p50 ms | p95 ms | max ms | SQL ms p50 | COUNT(*) ms p50 "
        f"| queries @{large['cases'] // 1000:,}k | queries @{small['cases'] // 1000:,}k "
        f"| p95 ms @{small['cases'] // 1000:,}k |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for page in large["pages"]:
        key = (page["role"], page["page"])
        other = small_pages.get(key)
        p95 = f"{page['p95']:.0f}"
        row = [
            page["page"],
            page["role"],
            f"{page['p50']:.0f}",
            f"**{p95}**" if page["p95"] > budget_ms else p95,
            f"{page['max']:.0f}",
            f"{page['db_p50']:.0f}",
            f"{page['count_p50']:.0f}" if "count_p50" in page else "–",
            query_range(page["queries"]),
            query_range(other["queries"]) if other else "–",
            f"{other['p95']:.0f}" if other else "–",
        ]
        lines.append("| " + " | ".join(row) + " |")
        for data, label in ((page, "1M"), (other, "10k")):
            if data and data["statuses"] != [200]:
                failures.append(f"{key}: HTTP {data['statuses']} at {label}")
            if data and data["p95"] > budget_ms:
                failures.append(f"{key}: p95 {data['p95']:.0f} ms > {budget_ms:.0f} ms at {label}")
        if other:
            if page["page"] == "detail":
                a, b = by_shape(page), by_shape(other)
                for shape in sorted(set(a) & set(b)):
                    if a[shape] != b[shape]:
                        failures.append(
                            f"{key}: {a[shape]} queries at 1M but {b[shape]} at 10k "
                            f"for a case with {shape}"
                        )
            elif (min(page["queries"]), max(page["queries"])) != (
                min(other["queries"]),
                max(other["queries"]),
            ):
                failures.append(
                    f"{key}: queries {query_range(page['queries'])} at 1M but "
                    f"{query_range(other['queries'])} at 10k"
                )
    # N+1: a page of 25 rows must cost the same queries as a page of one row
    for role in USERS:
        pages = {p["page"]: p for p in large["pages"] if p["role"] == role}
        full, one = pages.get("list"), pages.get("list ?number=<existing>")
        if full and one and max(full["queries"]) != max(one["queries"]):
            failures.append(
                f"({role}, list): {max(full['queries'])} queries for 25 rows but "
                f"{max(one['queries'])} for one row (N+1?)"
            )

    detail_shapes = sorted(
        {s for p in large["pages"] if p["page"] == "detail" for s in p["shapes"]}
    )
    lines += [
        "",
        "Detail pages are 50 different random visible cases; their query count depends only on "
        "what the case has (a prefetch is skipped when there is nothing to prefetch): "
        + "; ".join(
            f"{p['role']}: " + ", ".join(f"{s} {n}" for s, n in sorted(by_shape(p).items()))
            for p in large["pages"]
            if p["page"] == "detail"
        )
        + f" (shapes seen: {len(detail_shapes)}).",
    ]
    for data, label in ((large, "large"), (small, "small")):
        rec = data.get("fill")
        if rec:
            phases = ", ".join(f"{k} {v:.0f} s" for k, v in rec["phases"].items())
            lines.append(
                f"\nFill ({label}, {rec['database']}): {rec['cases']:,} cases in "
                f"{rec['total_seconds']:.0f} s ({rec['date']}): {phases}."
            )

    lines += ["", "## Checks", ""]
    lines += [f"- FAIL {f}" for f in failures] or [
        "- OK: every p95 within budget, query counts equal at 10k and 1M, no N+1 on the list"
    ]
    diagnosis = []
    for role in USERS:
        count = large["counts"][role]
        if "plan" in count:
            diagnosis += [
                f"### COUNT(*) of the cases visible to the {role} "
                f"({count['visible']:,} rows, {count['count_ms']:.0f} ms)",
                "",
                "```",
                count["plan"],
                "```",
                "",
            ]
    for page in large["pages"]:
        if "plan" in page:
            diagnosis += [
                f"### {page['page']} ({page['role']}): slowest query "
                f"{page['slowest_query_ms']:.0f} ms, p95 {page['p95']:.0f} ms",
                "",
                "```sql",
                page["slowest_sql"],
                "```",
                "",
                "```",
                page["plan"],
                "```",
                "",
            ]
    if diagnosis:
        lines += ["", "## Plans (EXPLAIN ANALYZE, BUFFERS) at 1M", "", *diagnosis]
    return "\n".join(lines) + "\n", failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--large", default=LARGE_URL, help="the database with 1M cases")
    parser.add_argument("--small", default=SMALL_URL, help="the database with 10k cases")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--budget-ms", type=float, default=150.0)
    parser.add_argument("--explain-all", action="store_true", help="plans for every page")
    parser.add_argument("--collect", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument("--json-out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.collect:
        data = collect(args.collect, args.runs, args.budget_ms, args.explain_all)
        Path(args.json_out).write_text(json.dumps(data))
        return 0

    results = {}
    for label, url in (("small", args.small), ("large", args.large)):
        print(f"measuring {url.rsplit('/', 1)[-1]} ...", file=sys.stderr, flush=True)
        data = run_child(url, args.runs, args.budget_ms, args.explain_all)
        if "error" in data:
            print(data["error"], file=sys.stderr)
            return 2
        data["fill"] = fill_record(url)
        results[label] = data
    markdown, failures = report(results["large"], results["small"], args.budget_ms, args.runs)
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{time.strftime('%Y-%m-%d')}.md"
    path.write_text(markdown)
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=1))
    print(markdown)
    print(f"written to {path.relative_to(ROOT)}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
