"""Profile one page in-process with pyinstrument, under the benchmark's production settings.

    .venv/bin/python bench/profile_page.py worker /casussen/ [--repeat 20] [--post 'a=1&b=2']

The user is a role of bench/http_pages.py (worker, coordinator) or an e-mail address; the
database is pilot_bench (--database-url for another). The page is requested a few times to warm
up, then `--repeat` times under the profiler; prints pyinstrument's text report (Django's own
frames collapsed) and the queries of the last request.
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("user")
    parser.add_argument("path")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--post", help="form body: profile a POST instead of a GET")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--all-frames", action="store_true", help="don't collapse library frames")
    parser.add_argument("--flat", action="store_true", help="self time per function")
    args = parser.parse_args(argv)

    os.environ.update(production_environment(args.database_url, "bench_profile"))
    for key in [k for k in os.environ if k.startswith("DJANGO_")]:
        if key not in ("DJANGO_SETTINGS_MODULE", "DJANGO_SECURE", "DJANGO_SECRET_KEY"):
            del os.environ[key]
    import django

    django.setup()
    from urllib.parse import parse_qsl

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from pyinstrument import Profiler

    from accounts.models import User

    # no setup_test_environment(): its template instrumentation (a signal and a context copy
    # per template rendered) would be profiled too
    settings.ALLOWED_HOSTS = [HOST]
    user = User.objects.get(email=USERS.get(args.user, args.user))
    client = Client(HTTP_HOST=HOST)
    client.force_login(user)

    def request():
        if args.post:
            return client.post(args.path, dict(parse_qsl(args.post)))
        return client.get(args.path)

    for _ in range(3):
        status = request().status_code
    timings = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        request()
        timings.append((time.perf_counter() - started) * 1000)
    print(
        f"{args.path}: {status}; without the profiler, {args.repeat} requests: "
        f"median {statistics.median(timings):.1f} ms, min {min(timings):.1f} ms "
        f"(load average {os.getloadavg()[0]:.2f})"
    )
    profiler = Profiler(interval=0.0005)
    with profiler:
        for _ in range(args.repeat):
            request()
    with CaptureQueriesContext(connection) as ctx:
        request()
    print(
        profiler.output_text(
            unicode=True,
            color=False,
            show_all=args.all_frames,
            flat=args.flat,
            time="percent_of_total",
        )
    )
    print(f"{len(ctx.captured_queries)} queries:")
    for q in ctx.captured_queries:
        print(f"  {q['time']}s  {q['sql'][:300]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
