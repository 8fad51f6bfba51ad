"""Server time per page in-process, CPU and wall, under the benchmark's production settings.

    .venv/bin/python bench/page_times.py [--requests 40] [--pages worker-list worker-detail …]

The pages of bench/http_pages.py (worker and coordinator: list, filtered list, search by number,
detail; the worker's booking page), each requested `--requests` times in interleaved rounds
(every page once per round, so a disturbance of the shared machine hits all pages) with the test
client, after a warm-up. Reported per page: the median and minimum of the process's CPU time
(`time.process_time`: the Python and template work, PostgreSQL's own work not included) and of
the wall time per request, and the queries of one request. The CPU column is the one to compare
before and after a change on a busy machine: other processes hardly move it.

Reads pilot_bench (--database-url for another) and writes nothing but what every request writes
(the session, the read audit of the detail pages). The booking page needs a case of the worker's
office with huurrecht and arbeidsrecht: the newest such case that the worker may book for, as
bench/http_pages.py makes one.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.http_pages import DEFAULT_DATABASE_URL, HOST, USERS, production_environment  # noqa: E402

SAMPLES = 50


def page_list(users: dict) -> list[tuple[str, str, list[str]]]:
    from django.db import connection
    from django.db.models import Count, Q
    from django.urls import reverse

    from cases import selectors
    from cases.models import LegalArea

    huur = LegalArea.objects.get(slug="huurrecht")
    list_url = reverse("cases:list")
    out = [("bare", "worker", ["/bench/kaal/"])]  # the fixed cost of a signed-in request
    for role in ("worker", "coordinator"):
        user = users[role]
        with connection.cursor() as cursor:
            cursor.execute("SELECT setseed(0.29)")
        numbers = list(
            selectors.cases_visible_to(user)
            .order_by("?")
            .values_list("number", flat=True)[: 2 * SAMPLES]
        )
        out += [
            (f"{role}-list", role, [list_url]),
            (f"{role}-filtered", role, [f"{list_url}?status=open&legal_area={huur.pk}"]),
            (f"{role}-search", role, [f"{list_url}?number={n}" for n in numbers[SAMPLES:]]),
            (
                f"{role}-detail",
                role,
                [reverse("cases:detail", args=[n]) for n in numbers[:SAMPLES]],
            ),
        ]
    worker = users["worker"]
    booking_case = (
        selectors.cases_visible_to(worker)
        .filter(organisation__in=selectors._team_organisation_ids(worker), status="open")
        .filter(anonymised_at__isnull=True)
        .annotate(
            areas=Count(
                "subproblems__legal_area",
                filter=Q(subproblems__legal_area__slug__in=["huurrecht", "arbeidsrecht"]),
                distinct=True,
            )
        )
        .filter(areas=2)
        .order_by("-registered_at", "-pk")
        .first()
    )
    out.append(("worker-book", "worker", [reverse("piket:book", args=[booking_case.number])]))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=40, help="measured requests per page")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--pages", nargs="*", help="keys of the pages to measure (default: all)")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    args = parser.parse_args(argv)

    os.environ.update(production_environment(args.database_url, "bench_page_times"))
    for key in [k for k in os.environ if k.startswith("DJANGO_")]:
        if key not in ("DJANGO_SETTINGS_MODULE", "DJANGO_SECURE", "DJANGO_SECRET_KEY"):
            del os.environ[key]
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User

    assert not settings.DEBUG
    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        from django.core.management import call_command

        call_command("collectstatic", interactive=False, verbosity=0)  # production's manifest
    settings.ALLOWED_HOSTS = [HOST]
    users = {role: User.objects.get(email=email) for role, email in USERS.items()}
    clients = {}
    for role, user in users.items():
        clients[role] = Client(HTTP_HOST=HOST)
        clients[role].force_login(user)
    pages = [p for p in page_list(users) if not args.pages or p[0] in args.pages]
    cpu: dict[str, list[float]] = {key: [] for key, _, _ in pages}
    wall: dict[str, list[float]] = {key: [] for key, _, _ in pages}
    queries = {}
    load_before = os.getloadavg()[0]
    for key, role, paths in pages:
        for i in range(args.warmup):
            response = clients[role].get(paths[i % len(paths)])
            assert response.status_code == 200, (key, response.status_code)
        with CaptureQueriesContext(connection) as ctx:
            clients[role].get(paths[0])
        queries[key] = len(ctx.captured_queries)
    for i in range(args.requests):
        for key, role, paths in pages:
            path = paths[i % len(paths)]
            started_cpu, started = time.process_time(), time.perf_counter()
            response = clients[role].get(path)
            cpu[key].append((time.process_time() - started_cpu) * 1000)
            wall[key].append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (path, response.status_code)
    load_after = os.getloadavg()[0]
    print(
        f"{args.requests} requests per page, interleaved; load average {load_before:.2f} before, "
        f"{load_after:.2f} after"
    )
    print("| page | queries | CPU ms median | CPU ms min | wall ms median | wall ms min |")
    print("|---|---:|---:|---:|---:|---:|")
    for key, _, _ in pages:
        print(
            f"| {key} | {queries[key]} | {statistics.median(cpu[key]):.1f} | "
            f"{min(cpu[key]):.1f} | {statistics.median(wall[key]):.1f} | {min(wall[key]):.1f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
