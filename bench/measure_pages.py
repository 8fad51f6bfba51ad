"""Server time and SQL queries of the case pages, at 1M cases and at 10k cases.

    .venv/bin/python bench/measure_pages.py \\
        --large postgres://postgres@127.0.0.1:5432/pilot_bench \\
        --small postgres://postgres@127.0.0.1:5432/pilot_bench_small [--proposed]

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

`--proposed` measures the 1M database once more with the change suggested in bench/README.md
applied in-process (a module constant patched, all inside a transaction that is rolled back):
what the fix would give before anyone changes the code. It never decides the exit status.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
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
PROPOSED_COUNT_CAP = 250  # --proposed: the list counts at most 10 pages of 25


def now_utc() -> str:
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())


# ---------------------------------------------------------------- child: one database


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))  # ceil
    return ordered[int(rank) - 1]


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "pilot.settings"
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()
    from django.conf import settings

    # Production-like rendering: no template debug. (DEBUG was read at import for the settings
    # that depend on it; the template engine is built lazily, so it sees this.)
    settings.DEBUG = False


def apply_proposed_changes(connection) -> str:
    """The open suggestion of bench/README.md, applied in-process (the caller rolls back).

    The index on (-registered_at, -id), the exact number match and the period as a range are in
    the code since 75641e9; what remains is the paginator's count cap: counting the newest 1001
    matches of a selective filter (status + legal area) walks ~50,000 index entries for the
    worker. A cap of 10 pages (251 rows) walks a quarter of that.
    """
    from cases.views import cases as case_views

    if not hasattr(case_views, "COUNT_CAP"):
        return "nothing to simulate: cases.views.cases has no COUNT_CAP"
    case_views.COUNT_CAP = PROPOSED_COUNT_CAP
    return f"cases.views.cases.COUNT_CAP = {PROPOSED_COUNT_CAP} (10 pages of 25)"


def collect(url: str, runs: int, budget_ms: float, explain_all: bool, proposed: bool) -> dict:
    setup_django(url)
    from django.db import connection, transaction
    from django.urls import NoReverseMatch, reverse

    try:
        reverse("cases:list")
        reverse("cases:detail", args=["Z-2222-2222"])
    except NoReverseMatch as exc:
        return {"error": f"case pages missing: {exc}"}

    out: dict = {"database": connection.settings_dict["NAME"], "pages": [], "counts": {}}
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM cases_case")
        out["cases"] = cursor.fetchone()[0]
        cursor.execute("SHOW server_version")
        out["postgres"] = cursor.fetchone()[0]
    out["proposed"] = proposed
    if not proposed:
        measure_all(out, runs, budget_ms, explain_all)
        return out
    with transaction.atomic():
        out["proposed"] = apply_proposed_changes(connection)
        measure_all(out, runs, budget_ms, explain_all)
        transaction.set_rollback(True)
    return out


def measure_all(out: dict, runs: int, budget_ms: float, explain_all: bool) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from accounts import access
    from accounts.models import Role, User
    from cases import selectors
    from cases.models import LegalArea

    list_url = reverse("cases:list")
    huurrecht = LegalArea.objects.get(slug="huurrecht").pk
    today = timezone.localdate()
    # a month about a year ago: its cases sit deep in the registered_at order
    period_start = (today.replace(day=1) - timedelta(days=365)).replace(day=1)
    period_end = (period_start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    period = f"registered_from={period_start}&registered_until={period_end}"

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
        details, searches = sample[:runs], sample[runs:]
        own = [m.organisation_id for m in access.memberships(user) if m.role == Role.FIRST_LINE]
        shapes = detail_shapes(connection, details, own)

        pages = [
            ("list", lambda i: list_url),
            (
                "list ?status=open&legal_area=huurrecht",
                lambda i: f"{list_url}?status=open&legal_area={huurrecht}",
            ),
            ("list ?number=<existing>", lambda i, s=searches: f"{list_url}?number={s[i]}"),
            (
                "list ?registered_from..until (a month, a year ago)",
                lambda i: f"{list_url}?{period}",
            ),
            ("detail", lambda i, d=details: reverse("cases:detail", args=[d[i]])),
        ]
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        for name, url_for in pages:
            page = measure_page(client, connection, CaptureQueriesContext, url_for, runs)
            page.update(role=role, page=name)
            if not name.startswith("list"):
                page.pop("count_p50", None)
            if name == "detail":
                page["shapes"] = [shapes.get(n, "?") for n in details]
            if explain_all or page["p95"] > budget_ms:
                page["plan"] = explain(connection, page["slowest_sql"])
            else:
                page.pop("slowest_sql")
            out["pages"].append(page)
        # the COUNT(*) of everything the user sees (the paginator's first query on the list)
        if explain_all or out["counts"][role]["count_ms"] > budget_ms / 3:
            out["counts"][role]["sql"] = count_sql
            out["counts"][role]["plan"] = explain(connection, count_sql)


def measure_page(client, connection, capture, url_for, runs: int) -> dict:
    times, queries, db_ms, count_ms, statuses = [], [], [], [], set()
    slowest = {"seconds": -1.0}
    for i in range(-WARMUP, runs):
        target = url_for(i % runs)
        # Django keeps at most 9,000 captured queries per connection: start each page empty, or
        # a long run would count 0 queries and the growth check would test nothing
        connection.queries_log.clear()
        with capture(connection) as ctx:
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
        if float(top["time"]) > slowest["seconds"]:
            slowest = {"seconds": float(top["time"]), "sql": top["sql"], "url": target}
        counted = [q for q in captured if q["sql"].startswith("SELECT COUNT(*)")]
        if counted:
            count_ms.append(float(counted[0]["time"]) * 1000)
    page = {
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
        "slowest_sql": slowest["sql"],
    }
    if count_ms:
        page["count_p50"] = percentile(count_ms, 50)
    return page


def detail_shapes(connection, numbers: list[str], own: list[int]) -> dict[str, str]:
    """What a case page has to show, which decides which queries run: the prefetches (skipped
    when there is nothing to prefetch) and the checks that differ for the registering team."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.number,
                c.organisation_id = ANY(%s),
                EXISTS (SELECT 1 FROM cases_clientidentity i
                        WHERE i.case_id = c.id AND i.destroyed_at IS NULL),
                EXISTS (SELECT 1 FROM cases_secondlineadvice a
                        JOIN cases_subproblem s ON s.id = a.subproblem_id WHERE s.case_id = c.id),
                EXISTS (SELECT 1 FROM cases_note n WHERE n.case_id = c.id),
                EXISTS (SELECT 1 FROM cases_handover h WHERE h.case_id = c.id),
                EXISTS (SELECT 1 FROM cases_caseuserpermission g
                        WHERE g.content_object_id = c.id)
                OR EXISTS (SELECT 1 FROM cases_caseteampermission g
                           WHERE g.content_object_id = c.id)
            FROM cases_case c WHERE c.number = ANY(%s)
            """,
            [own, numbers],
        )
        names = ("own team", "identity", "advice", "note", "handover", "grant")
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


def run_child(url: str, args, proposed: bool = False) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json") as tmp:
        cmd = [sys.executable, __file__, "--collect", url, "--json-out", tmp.name]
        cmd += ["--runs", str(args.runs), "--budget-ms", str(args.budget_ms)]
        if args.explain_all:
            cmd.append("--explain-all")
        if proposed:
            cmd.append("--proposed")
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


def size(data: dict) -> str:
    n = data["cases"]
    return f"{n / 1_000_000:g}M" if n >= 1_000_000 else f"{n / 1000:g}k"


def check(large: dict, small: dict, budget_ms: float) -> list[str]:
    failures = []
    small_pages = {(p["role"], p["page"]): p for p in small["pages"]}
    for page in large["pages"]:
        key = f"{page['page']} ({page['role']})"
        other = small_pages.get((page["role"], page["page"]))
        for data, db in ((page, size(large)), (other, size(small))):
            if data and data["statuses"] != [200]:
                failures.append(f"{key}: HTTP {data['statuses']} at {db}")
            if data and data["p95"] > budget_ms:
                failures.append(f"{key}: p95 {data['p95']:.0f} ms > {budget_ms:.0f} ms at {db}")
        if not other:
            failures.append(f"{key}: not measured at {size(small)}")
        elif page["page"] == "detail":
            a, b = by_shape(page), by_shape(other)
            for shape in sorted(set(a) & set(b)):
                if a[shape] != b[shape]:
                    failures.append(
                        f"{key}: {a[shape]} queries at {size(large)} but {b[shape]} at "
                        f"{size(small)} for a case with {shape}"
                    )
        elif query_range(page["queries"]) != query_range(other["queries"]):
            failures.append(
                f"{key}: {query_range(page['queries'])} queries at {size(large)} but "
                f"{query_range(other['queries'])} at {size(small)}"
            )
    # N+1: a page of 25 rows must cost the same queries as a page of one row
    for role in USERS:
        pages = {p["page"]: p for p in large["pages"] if p["role"] == role}
        full, one = pages.get("list"), pages.get("list ?number=<existing>")
        if full and one and max(full["queries"]) != max(one["queries"]):
            failures.append(
                f"list ({role}): {max(full['queries'])} queries for 25 rows but "
                f"{max(one['queries'])} for one row (N+1?)"
            )
    return failures


def table(large: dict, small: dict | None, budget_ms: float) -> list[str]:
    small_pages = {(p["role"], p["page"]): p for p in (small or {"pages": []})["pages"]}
    head = "| page | user | p50 ms | p95 ms | max ms | SQL ms p50 | COUNT(*) ms p50"
    head += f" | queries @{size(large)}"
    rule = "|---|---|---:|---:|---:|---:|---:|---:"
    if small:
        head += f" | queries @{size(small)} | p95 ms @{size(small)}"
        rule += "|---:|---:"
    lines = [head + " |", rule + "|"]
    for page in large["pages"]:
        other = small_pages.get((page["role"], page["page"]))
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
        ]
        if small:
            row += [
                query_range(other["queries"]) if other else "–",
                f"{other['p95']:.0f}" if other else "–",
            ]
        lines.append("| " + " | ".join(row) + " |")
    return lines


def plans(data: dict) -> list[str]:
    lines = []
    for role in USERS:
        count = data["counts"][role]
        if "plan" in count:
            lines += [
                f"### Exact COUNT(*) of the cases visible to the {role} "
                f"({count['visible']:,} rows, {count['count_ms']:.0f} ms; what an uncapped "
                "paginator runs on every list page)",
                "",
                "```sql",
                count["sql"],
                "```",
                "",
                "```",
                count["plan"],
                "```",
                "",
            ]
    for page in data["pages"]:
        if "plan" in page:
            lines += [
                f"### {page['page']} ({page['role']}): slowest query "
                f"{page['slowest_query_ms']:.0f} ms, page p95 {page['p95']:.0f} ms",
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
    return lines


def report(results: dict, budget_ms: float, runs: int) -> tuple[str, list[str]]:
    large, small, proposed = results["large"], results["small"], results.get("proposed")
    failures = check(large, small, budget_ms)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    lines = [
        f"# Case pages at {large['cases']:,} cases ({now_utc()})",
        "",
        f"Django test Client in-process, {runs} requests per page after {WARMUP} warm-up "
        f"requests, DEBUG off; PostgreSQL {large['postgres']}, Python "
        f"{platform.python_version()}, {os.cpu_count()} cores, load average {load} at the end. "
        "Server time = wall time of `client.get` (middleware, session save, queries, template). "
        f"Budget: p95 ≤ {budget_ms:.0f} ms. Worker = eerstelijn.amsterdam "
        f"({large['counts']['worker']['visible']:,} visible cases at {size(large)}, "
        f"{small['counts']['worker']['visible']:,} at {size(small)}), coordinator = "
        f"coordinator.amsterdam ({large['counts']['coordinator']['visible']:,} and "
        f"{small['counts']['coordinator']['visible']:,}).",
        "",
        *table(large, small, budget_ms),
        "",
        "Detail = 50 different random visible cases. Its query count depends only on what the "
        "case holds (a prefetch is skipped when there is nothing to prefetch; the registering "
        "team runs other permission checks than a grantee); maximum per kind of case at "
        + f"{size(large)}: "
        + "; ".join(
            f"{p['role']}: " + ", ".join(f"{s} {n}" for s, n in sorted(by_shape(p).items()))
            for p in large["pages"]
            if p["page"] == "detail"
        )
        + ".",
    ]
    for data in (large, small):
        rec = data.get("fill")
        if rec:
            phases = ", ".join(f"{k} {v:.0f} s" for k, v in rec["phases"].items())
            lines += [
                "",
                f"Fill of {rec['database']}: {rec['cases']:,} cases in "
                f"{rec['total_seconds']:.0f} s ({rec['date']}): {phases}.",
            ]
    lines += ["", "## Checks", ""]
    lines += [f"- FAIL {f}" for f in failures] or [
        f"- OK: every p95 within {budget_ms:.0f} ms; query counts equal at {size(small)} and "
        f"{size(large)}; the list costs the same queries for 25 rows as for one"
    ]
    if proposed:
        still = [
            f"{p['page']} ({p['role']}): p95 {p['p95']:.0f} ms"
            for p in proposed["pages"]
            if p["p95"] > budget_ms
        ]
        lines += [
            "",
            f"## With the proposed change (simulated at {size(proposed)}, see bench/README.md)",
            "",
            f"{proposed['proposed']}; everything else as committed. Applied in-process inside a "
            "transaction that is rolled back.",
            "",
            *table(proposed, None, budget_ms),
            "",
            *([f"- still FAIL {f}" for f in still] or ["- every p95 within budget"]),
        ]
    details = plans(large)
    if details:
        lines += ["", f"## Plans of the slow queries at {size(large)} (EXPLAIN ANALYZE)", ""]
        lines += details
    if proposed and plans(proposed):
        lines += ["", "## Plans with the proposed change", "", *plans(proposed)]
    return "\n".join(lines) + "\n", failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--large", default=LARGE_URL, help="the database with 1M cases")
    parser.add_argument("--small", default=SMALL_URL, help="the database with 10k cases")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--budget-ms", type=float, default=150.0)
    parser.add_argument("--explain-all", action="store_true", help="plans for every page")
    parser.add_argument("--proposed", action="store_true", help="also measure the proposed fix")
    parser.add_argument("--collect", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument("--json-out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.collect:
        data = collect(args.collect, args.runs, args.budget_ms, args.explain_all, args.proposed)
        Path(args.json_out).write_text(json.dumps(data))
        return 0

    results = {}
    todo = [("small", args.small, False), ("large", args.large, False)]
    if args.proposed:
        todo.append(("proposed", args.large, True))
    for label, url, proposed in todo:
        name = url.rsplit("/", 1)[-1]
        print(f"measuring {name}{' (proposed change)' if proposed else ''} ...", file=sys.stderr)
        data = run_child(url, args, proposed)
        if "error" in data:
            print(data["error"], file=sys.stderr)
            return 2
        data["fill"] = None if proposed else fill_record(url)
        results[label] = data
    markdown, failures = report(results, args.budget_ms, args.runs)
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{time.strftime('%Y-%m-%d', time.gmtime())}.md"
    path.write_text(markdown)
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=1))
    print(markdown)
    print(f"written to {path.relative_to(ROOT)}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
