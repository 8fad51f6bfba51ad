"""Profile one page in-process with pyinstrument, under the benchmark's production settings.

    .venv/bin/python bench/profile_page.py worker /casussen/ [--repeat 20] [--post 'a=1&b=2']
    .venv/bin/python bench/profile_page.py worker /casussen/ --cpu   # CPU time only

The user is a role of bench/http_pages.py (worker, coordinator) or an e-mail address; the
database is pilot_bench (--database-url for another). The page is requested a few times to warm
up, then `--repeat` times under the profiler; prints pyinstrument's text report (Django's own
frames collapsed) and the queries of the last request.

With `--cpu`, a sampler of the process's CPU time (SIGPROF) instead: time spent waiting for
PostgreSQL is left out, which on a busy machine is most of the wall time. It prints the CPU ms
per request spent in each function (inclusive) and in each template tag (by template and line).
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
    parser.add_argument("--cpu", action="store_true", help="sample CPU time (no database waits)")
    parser.add_argument("--top", type=int, default=60, help="--cpu: lines per table")
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
    if args.cpu:
        cpu_profile(request, args.repeat, args.top)
        return 0
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


def cpu_profile(request, repeat: int, top: int) -> None:
    """Sample the stack every 0.5 ms of CPU time; per function and per template node, the CPU
    time of the requests in which it was on the stack (inclusive), in ms per request."""
    import collections
    import signal

    from django.template.base import Node

    functions: collections.Counter = collections.Counter()
    nodes: collections.Counter = collections.Counter()
    samples = [0]
    site = str(Path(statistics.__file__).parent)

    def sample(_signum, frame):
        samples[0] += 1
        seen = set()
        while frame is not None:
            code = frame.f_code
            name = code.co_filename.replace(str(ROOT) + "/", "").replace(site + "/", "")
            key = f"{name.split('site-packages/')[-1]}:{code.co_name}"
            node = frame.f_locals.get("self") if code.co_name == "render_annotated" else None
            if isinstance(node, Node) and node.origin is not None:
                where = f"{node.origin.template_name}:{node.token.lineno} {type(node).__name__}"
                if where not in seen:
                    seen.add(where)
                    nodes[where] += 1
            if key not in seen:
                seen.add(key)
                functions[key] += 1
            frame = frame.f_back

    signal.signal(signal.SIGPROF, sample)
    signal.setitimer(signal.ITIMER_PROF, 0.0005, 0.0005)
    started = time.process_time()
    for _ in range(repeat):
        request()
    cpu = (time.process_time() - started) * 1000 / repeat
    signal.setitimer(signal.ITIMER_PROF, 0, 0)
    scale = cpu / max(samples[0], 1)
    print(f"CPU {cpu:.1f} ms per request under the sampler ({samples[0]} samples)")
    for title, counter in (("functions", functions), ("template nodes", nodes)):
        print(f"\n{title} (CPU ms per request, inclusive):")
        for key, count in counter.most_common(top):
            print(f"{count * scale:7.2f}  {key}")


if __name__ == "__main__":
    sys.exit(main())
