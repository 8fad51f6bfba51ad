"""Every main page over HTTP, as users meet it, against Django's own ceiling on this machine.

    make bench-http
    # or, by hand, against the 1M-case fill (bench/README.md):
    .venv/bin/python bench/http_pages.py \
        --database-url postgres://postgres@127.0.0.1:5432/pilot_bench

Starts gunicorn with the production settings (DJANGO_DEBUG unset; bench/settings.py adds only the
benchmark's URL configuration) on 127.0.0.1, signs users in through the real login form (password,
then TOTP code) and measures with wrk (`apt install wrk`), interleaved in one run: a bare
anonymous view, a bare view behind login (both exist only in bench/urls.py) and each main page
(case list, filtered list, search by number, case detail, booking page, booking POST) for a
first-line worker and a coordinator where they apply. Three rounds; per page requests/s, p50, p99,
the queries of one request (counted in-process with the test client and CaptureQueriesContext)
and the ratios to the two bare views, min and median over the rounds. Then the race: gunicorn
with 4 workers, 50 users signed in through the form, 50 concurrent POSTs booking one slot.

Plain http on 127.0.0.1 for the benchmark only: the gunicorn started here gets DJANGO_SECURE=0
(no redirect to https, no Secure flag on the cookies, no HSTS), a random DJANGO_SECRET_KEY per
run and the development encryption keys of pilot/settings.py (with which bench/fill_cases.py,
run with DJANGO_DEBUG=1, encrypted the demo users' TOTP secrets and the invented identities). No
other switch exists for it: production's settings stay as they are.

Writes Markdown to stdout and to bench/results/http-<date>.md, every sample to
bench/results/http-latest.json. Refuses databases whose name does not start with pilot_bench.
Exit 1 when a request fails (a 5xx, an unexpected status, a socket error) or the race goes wrong.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
LUA = ROOT / "bench" / "http_pages.lua"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/pilot_bench"
HOST = "127.0.0.1"
USERS = {
    "worker": "eerstelijn.amsterdam@example.org",
    "coordinator": "coordinator.amsterdam@example.org",
}
RACE_EMAIL = "bench-race-{n:02d}@example.org"
BENCH_ADVOCAAT_EMAIL = "bench-http-advocaat-{n}@example.org"
QUESTION = "Is een advocaat nodig voor deze huurachterstand, of kan de eerste lijn dit oplossen?"
CALLBACK = "030 123 45 67"
SAMPLES = 200  # different case numbers cycled through by the detail and search pages
# The development keys of pilot/settings.py: bench/fill_cases.py (DJANGO_DEBUG=1) encrypted the
# demo users' TOTP secrets and the invented identities with them. Benchmark data only.
DEV_MFA_KEY = "ZGV2LW9ubHktbWZhLWtleS1kby1ub3QtdXNlLTAwMDA="
DEV_IDENTITY_KEY = "ZGV2LW9ubHktdmF1bHQta2V5LWRvLW5vdC11c2UtMDA="
DEV_IDENTITY_HASH_KEY = "dev-only-identity-hash-key"
DEV_RESEARCH_KEY = "ZGV2LW9ubHktcmVzZWFyY2gta2V5LWRvLW5vdC11c2U="


def log(message: str = "") -> None:
    print(message, flush=True)


def now_utc() -> str:
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())


def production_environment(database_url: str, queue: str) -> dict[str, str]:
    """The environment of gunicorn and of this process: production settings, plain http."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DB_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DJANGO_SECURE="0",  # plain http on 127.0.0.1: no https redirect, cookies not Secure
        DJANGO_SECRET_KEY=os.urandom(32).hex(),
        MFA_ENCRYPTION_KEYS=DEV_MFA_KEY,
        IDENTITY_ENCRYPTION_KEYS=DEV_IDENTITY_KEY,
        IDENTITY_HASH_KEY=DEV_IDENTITY_HASH_KEY,
        RESEARCH_ENCRYPTION_KEYS=DEV_RESEARCH_KEY,
        DATABASE_URL=database_url,
        CELERY_QUEUE=queue,  # confirmation mails are only enqueued, as in production
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    return env


# ---------------------------------------------------------------- data: users, cases, slots


def ensure_user(email: str, full_name: str, organisation, role) -> object:
    from accounts.demo import demo_user
    from accounts.models import Membership

    user = demo_user(email, full_name, CALLBACK)
    Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
    return user


def prepare(race_users: int, positions_needed: int) -> dict:
    """Users, a case to book for, case numbers to look at, and free positions to book."""
    from django.db import connection

    from accounts.models import Location, Organisation, Role, User
    from cases import selectors
    from cases.models import Case, LegalArea
    from cases.services.cases import SubProblemData, case_register

    amsterdam = Location.objects.get(slug="amsterdam")
    loket = Organisation.objects.get(location=amsterdam, kind=Organisation.Kind.JURIDISCH_LOKET)
    worker = User.objects.get(email=USERS["worker"])
    coordinator = User.objects.get(email=USERS["coordinator"])
    racers = [
        ensure_user(RACE_EMAIL.format(n=n), f"Bench Medewerker {n:02d}", loket, Role.FIRST_LINE)
        for n in range(1, race_users + 1)
    ]
    huur = LegalArea.objects.get(slug="huurrecht")
    arbeid = LegalArea.objects.get(slug="arbeidsrecht")

    def new_case() -> Case:
        return case_register(
            user=worker,
            organisation=loket,
            data={},
            subproblems=[SubProblemData(legal_area=huur), SubProblemData(legal_area=arbeid)],
        )

    booking_case, race_case = new_case(), new_case()
    samples = {}
    for role, user in (("worker", worker), ("coordinator", coordinator)):
        with connection.cursor() as cursor:
            cursor.execute("SELECT setseed(0.29)")
        visible = selectors.cases_visible_to(user).exclude(pk__in=[booking_case.pk, race_case.pk])
        numbers = list(visible.order_by("?").values_list("number", flat=True)[: 2 * SAMPLES])
        samples[role] = {"detail": numbers[:SAMPLES], "search": numbers[SAMPLES:]}
    bench_advocaten = ensure_positions(booking_case, huur, positions_needed)
    return {
        "worker": worker,
        "coordinator": coordinator,
        "racers": racers,
        "booking_case": booking_case,
        "race_case": race_case,
        "area": huur,
        "samples": samples,
        "bench_advocaten": bench_advocaten,
        "visible": {
            role: selectors.cases_visible_to(user).count()
            for role, user in (("worker", worker), ("coordinator", coordinator))
        },
        "cases": Case.objects.count(),
    }


def free_positions(case, area, *, not_before_hours: float = 3) -> list[str]:
    """Every free (slot, advocaat) place for the area within the booking horizon, as the booking
    form's slot values, one per advocaat free at that time; none in the next few hours (they
    would leave the window during the run)."""
    from datetime import timedelta

    from django.utils import timezone

    from piket.forms.booking import slot_value
    from piket.selectors import free_slots

    first = timezone.now() + timedelta(hours=not_before_hours)
    values = []
    for slot in free_slots(legal_area=area, location=case.location, limit=100_000):
        # Only the location's own piket: the demo's national shifts are served by an advocaat
        # of another location's firm, whom `case_grant_consult` refuses (reported, not hidden).
        if slot.starts_at >= first and not slot.is_national:
            values.extend([slot_value(area, slot.key)] * len(slot.free_advocaten))
    return values


def ensure_positions(case, area, needed: int) -> list:
    """The demo piket has two advocaten per shift: too few places for a booking POST measured
    for seconds. Benchmark advocaten (covering the area) are put on duty on the case's
    location's shifts in the booking horizon until there are `needed` places. Idempotent."""
    from django.utils import timezone

    from accounts.models import Organisation, Role, User
    from piket.models import AdvocaatProfile, Assignment, Shift
    from piket.selectors import booking_window

    firm = Organisation.objects.get(
        location=case.location, kind=Organisation.Kind.SOCIALE_ADVOCATUUR
    )
    coordinator = User.objects.get(email=USERS["coordinator"])
    start, end = booking_window(timezone.now())
    shifts = list(
        Shift.objects.filter(
            location=case.location,
            is_cancelled=False,
            starts_at__gte=start,
            starts_at__lt=end,
            roster__legal_areas=area,
        )
    )
    advocaten = []
    n = 0
    while len(free_positions(case, area)) < needed and n < 40 and shifts:
        n += 1
        email = BENCH_ADVOCAAT_EMAIL.format(n=n)
        advocaat = ensure_user(email, f"Bench Advocaat {n}", firm, Role.ADVOCAAT)
        profile, _ = AdvocaatProfile.objects.get_or_create(advocaat=advocaat)
        profile.legal_areas.add(area)
        Assignment.objects.bulk_create(
            [
                Assignment(shift=shift, advocaat=advocaat, assigned_by=coordinator)
                for shift in shifts
                if not shift.assignments.filter(advocaat=advocaat).exists()
            ]
        )
        advocaten.append(email)
    return advocaten


def pages(data: dict) -> list[dict]:
    """The measured pages: (key, user, label, request lines, expected status)."""
    from django.urls import reverse

    area = data["area"]
    list_url = reverse("cases:list")
    book_url = reverse("piket:book", args=[data["booking_case"].number])
    out = [
        {
            "key": "bare-anon",
            "user": None,
            "label": "bare view, anonymous",
            "expect": 200,
            "lines": [("GET", "/bench/kaal-anoniem/", "")],
        },
        {
            "key": "bare",
            "user": "worker",
            "label": "bare view, signed in",
            "expect": 200,
            "lines": [("GET", "/bench/kaal/", "")],
        },
    ]
    for role in ("worker", "coordinator"):
        samples = data["samples"][role]
        out += [
            {
                "key": f"{role}-list",
                "user": role,
                "label": "case list",
                "expect": 200,
                "lines": [("GET", list_url, "")],
            },
            {
                "key": f"{role}-filtered",
                "user": role,
                "expect": 200,
                "label": "filtered list ?status=open&legal_area=huurrecht",
                "lines": [("GET", f"{list_url}?status=open&legal_area={area.pk}", "")],
            },
            {
                "key": f"{role}-search",
                "user": role,
                "label": "search by number",
                "expect": 200,
                "lines": [("GET", f"{list_url}?number={n}", "") for n in samples["search"]],
            },
            {
                "key": f"{role}-detail",
                "user": role,
                "label": "case detail",
                "expect": 200,
                "lines": [
                    ("GET", reverse("cases:detail", args=[n]), "") for n in samples["detail"]
                ],
            },
        ]
        if role == "worker":  # only first-line workers book (accounts/access.py: piket.book)
            out += [
                {
                    "key": "worker-book",
                    "user": role,
                    "expect": 200,
                    "label": "booking page (next free slots, 2 legal areas)",
                    "lines": [("GET", book_url, "")],
                },
                {
                    "key": "worker-book-post",
                    "user": role,
                    "expect": 302,
                    "label": "booking POST (a free place each time)",
                    "post": True,
                    "lines": [("POST", book_url, "")],
                },  # filled per round: free places
            ]
    return out


def booking_body(slot: str) -> str:
    return urlencode({"slot": slot, "question": QUESTION, "callback_number": CALLBACK})


def count_queries(data: dict, page_list: list[dict]) -> None:
    """Queries of one warm request per page, in-process (test client, DEBUG off)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    clients = {None: Client(HTTP_HOST=HOST)}
    for role in ("worker", "coordinator"):
        clients[role] = Client(HTTP_HOST=HOST)
        clients[role].force_login(data[role])
    for page in page_list:
        client = clients[page["user"]]
        method, path, _body = page["lines"][0]
        if page.get("post"):
            positions = free_positions(data["booking_case"], data["area"])
            counts = []
            for slot in positions[:2]:
                with CaptureQueriesContext(connection) as ctx:
                    response = client.post(
                        path, {"slot": slot, "question": QUESTION, "callback_number": CALLBACK}
                    )
                assert response.status_code == 302, (path, response.status_code)
                counts.append(len(ctx.captured_queries))
            page["queries"] = counts[-1]
            continue
        # the first request warms up (and notes the two-factor check in the session)
        for line in (page["lines"] * 2)[:2]:
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(line[1])
            assert response.status_code == 200, (line[1], response.status_code)
        page["queries"] = len(ctx.captured_queries)
    delete_bench_consults(data)


def delete_bench_consults(data: dict) -> int:
    from piket.models import Consult

    deleted, _ = Consult.objects.filter(case__in=[data["booking_case"], data["race_case"]]).delete()
    return deleted


# ---------------------------------------------------------------- gunicorn and the login form


class Server:
    def __init__(self, env: dict, port: int, workers: int, logfile: Path):
        self.env, self.port, self.workers, self.logfile = env, port, workers, logfile
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.log = open(self.logfile, "a")  # noqa: SIM115 - closed in __exit__
        self.process = subprocess.Popen(  # noqa: S603
            [
                str(gunicorn),
                "pilot.wsgi:application",
                "--bind",
                f"{HOST}:{self.port}",
                "--workers",
                str(self.workers),
                "--chdir",
                str(ROOT),
                "--timeout",
                "60",
            ],
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 180  # each worker loads deduce's name lists
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited ({self.process.returncode}): see {self.logfile}")
            try:
                if all(get_status(self.port, "/health/") == 200 for _ in range(self.workers * 2)):
                    return self
            except OSError:
                pass
            time.sleep(1)
        raise SystemExit(f"gunicorn did not answer within 180 s: see {self.logfile}")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


def get_status(port: int, path: str) -> int:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request("GET", path)
        return conn.getresponse().status
    finally:
        conn.close()


class Browser:
    """Just enough of a browser for the login form: cookies and the CSRF token."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def request(self, method: str, path: str, form: dict | None = None):
        conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
        headers = {"Cookie": self.cookie_header} if self.cookies else {}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode()
        finally:
            conn.close()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.getheader("Location", ""), text

    def form_post(self, path: str, fields: dict):
        status, _location, text = self.request("GET", path)
        assert status == 200, (path, status)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
        assert token, f"no CSRF token on {path}"
        return self.request("POST", path, {"csrfmiddlewaretoken": token.group(1), **fields})

    def sign_in(self, email: str, password: str, secret: str) -> None:
        """Password, then the TOTP code, as the login pages post them. A code can be used once:
        when this user's current code was used a moment ago, wait for the next one."""
        status, location, _ = self.form_post(
            "/accounts/login/", {"login": email, "password": password}
        )
        assert status == 302 and location == "/accounts/2fa/authenticate/", (email, status)
        for _attempt in range(3):
            status, location, _ = self.form_post(
                "/accounts/2fa/authenticate/", {"code": totp_code(secret)}
            )
            if status == 302:
                assert location == "/", (email, location)
                assert "sessionid" in self.cookies and "csrftoken" in self.cookies
                return
            time.sleep(31 - time.time() % 30)  # the next code
        raise SystemExit(f"TOTP login of {email} failed")


def totp_code(secret: str) -> str:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time() // 30)))


# ---------------------------------------------------------------- wrk


def run_wrk(port: int, page: dict, browser: Browser | None, args, lines=None) -> dict:
    lines = lines or page["lines"]
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        for method, path, body in lines:
            f.write(f"{method}\t{path}\t{body}\n")
    env = {
        **os.environ,
        "BENCH_COOKIE": browser.cookie_header if browser else "",
        "BENCH_CSRF": browser.cookies.get("csrftoken", "") if browser else "",
    }
    try:
        out = subprocess.run(  # noqa: S603
            [
                args.wrk,
                f"-t{args.threads}",
                f"-c{args.connections}",
                f"-d{args.duration}s",
                "--timeout",
                "10s",
                "-s",
                str(LUA),
                f"http://{HOST}:{port}",
                "--",
                f.name,
                str(args.threads),
            ],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(f.name)
    found = re.search(r"^BENCH_JSON (.*)$", out, re.M)
    assert found, out
    result = json.loads(found.group(1))
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    statuses = {int(k): v for k, v in result["statuses"].items()}
    result["statuses"] = statuses
    result["unexpected"] = sum(n for code, n in statuses.items() if code != page["expect"])
    result["socket_errors"] = sum(
        result["errors"][k] for k in ("connect", "read", "write", "timeout")
    )
    return result


def measure_rounds(port: int, data: dict, page_list: list[dict], browsers: dict, args) -> None:
    rng = random.Random(7)
    order = list(page_list)
    for page in page_list:
        page["rounds"] = []
    for round_no in range(1, args.rounds + 1):
        rng.shuffle(order)  # interleaved: every round its own order of the pages
        log(f"round {round_no}: load average {os.getloadavg()[0]:.2f}")
        for page in order:
            lines = None
            if page.get("post"):
                delete_bench_consults(data)  # the same places free again each round
                lines = [
                    ("POST", page["lines"][0][1], booking_body(slot))
                    for slot in free_positions(data["booking_case"], data["area"])
                ]
                rng.shuffle(lines)
            result = run_wrk(port, page, browsers.get(page["user"]), args, lines)
            result["load"] = os.getloadavg()[0]
            if page.get("post"):
                result["places"] = len(lines)
                delete_bench_consults(data)
            page["rounds"].append(result)
            log(
                f"  {page['key']:<22} {result['rps']:7.1f}/s  p50 {result['p50_us'] / 1000:6.1f} ms"
                f"  p99 {result['p99_us'] / 1000:6.1f} ms  statuses {result['statuses']}"
                + (f"  SOCKET ERRORS {result['socket_errors']}" if result["socket_errors"] else "")
            )


# ---------------------------------------------------------------- the race


def race(port: int, data: dict, args) -> list[dict]:
    """50 users signed in through the form, 50 POSTs on one place at once (4 workers)."""
    from accounts.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
    from piket.models import Consult
    from piket.selectors import free_slots
    from piket.services.booking import consult_book

    case, area = data["race_case"], data["area"]
    path = f"/piket/boeken/{case.number}/"
    browsers = []
    started = time.perf_counter()
    lock = threading.Lock()

    def sign_in(user) -> None:
        browser = Browser(port)
        browser.sign_in(user.email, DEMO_PASSWORD, DEMO_TOTP_SECRET)
        with lock:
            browsers.append(browser)

    threads = [threading.Thread(target=sign_in, args=(u,)) for u in data["racers"]]
    for i in range(0, len(threads), 8):
        for t in threads[i : i + 8]:
            t.start()
        for t in threads[i : i + 8]:
            t.join()
    log(
        f"race: {len(browsers)} users signed in through the form in "
        f"{time.perf_counter() - started:.1f} s"
    )
    if len(browsers) != len(data["racers"]):
        raise SystemExit("not every race user could sign in")

    outcomes = []
    from datetime import timedelta

    from django.utils import timezone

    later = timezone.now() + timedelta(hours=3)
    candidates = [
        s
        for s in free_slots(legal_area=area, location=case.location, limit=1000)
        if s.starts_at >= later and not s.is_national and len(s.free_advocaten) > 1
    ]
    for attempt in range(args.race_rounds):
        slot = candidates[attempt * 3]
        for _ in slot.free_advocaten[1:]:  # one place left: all 50 race for it
            consult_book(
                user=data["worker"],
                case=case,
                legal_area=area,
                slot_key=slot.key,
                question=QUESTION,
                callback_number=CALLBACK,
            )
        body = booking_body(f"{area.pk}/{slot.key}")
        conns = []
        for browser in browsers:
            conn = http.client.HTTPConnection(HOST, port, timeout=60)
            conn.connect()
            conns.append((conn, browser))
        barrier = threading.Barrier(len(conns) + 1)
        answers: list[tuple[int, float]] = []

        def post(conn, browser, barrier, body, answers) -> None:
            headers = {
                "Cookie": browser.cookie_header,
                "X-CSRFToken": browser.cookies["csrftoken"],
                "Content-Type": "application/x-www-form-urlencoded",
            }
            barrier.wait()
            try:
                conn.request("POST", path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except OSError:
                status = 0
            with lock:
                answers.append((status, time.perf_counter()))
            conn.close()

        threads = [threading.Thread(target=post, args=(*c, barrier, body, answers)) for c in conns]
        for t in threads:
            t.start()
        barrier.wait()
        go = time.perf_counter()
        for t in threads:
            t.join(timeout=60)
        wall = max(at for _s, at in answers) - go
        statuses = [s for s, _at in answers]
        booked_in_db = Consult.objects.filter(
            case=case, starts_at=slot.starts_at, shift=slot.shift
        ).count() - (len(slot.free_advocaten) - 1)
        outcome = {
            "attempts": len(conns),
            "wall_s": round(wall, 3),
            "booked": statuses.count(302),
            "taken": statuses.count(409),
            "errors": len([s for s in statuses if s not in (302, 409)]),
            "statuses": {str(s): statuses.count(s) for s in sorted(set(statuses))},
            "booked_in_database": booked_in_db,
            "load": os.getloadavg()[0],
        }
        outcomes.append(outcome)
        log(f"race {attempt + 1}: {outcome}")
    delete_bench_consults(data)
    return outcomes


# ---------------------------------------------------------------- report


def summarise(page_list: list[dict]) -> list[dict]:
    base = {p["key"]: p["rounds"] for p in page_list if p["key"] in ("bare-anon", "bare")}
    rows = []
    for page in page_list:
        rounds = page["rounds"]
        rps = [r["rps"] for r in rounds]
        to_anon = [r["rps"] / b["rps"] for r, b in zip(rounds, base["bare-anon"], strict=True)]
        to_bare = [r["rps"] / b["rps"] for r, b in zip(rounds, base["bare"], strict=True)]
        rows.append(
            {
                "key": page["key"],
                "user": page["user"] or "anonymous",
                "label": page["label"],
                "queries": page.get("queries"),
                "rps": (min(rps), statistics.median(rps)),
                "p50_ms": (
                    statistics.median(r["p50_us"] for r in rounds) / 1000,
                    max(r["p50_us"] for r in rounds) / 1000,
                ),
                "p99_ms": (
                    statistics.median(r["p99_us"] for r in rounds) / 1000,
                    max(r["p99_us"] for r in rounds) / 1000,
                ),
                "to_anon": (min(to_anon), statistics.median(to_anon)),
                "to_bare": (min(to_bare), statistics.median(to_bare)),
                "unexpected": sum(r["unexpected"] for r in rounds),
                "socket_errors": sum(r["socket_errors"] for r in rounds),
            }
        )
    return rows


def report(rows: list[dict], races: list[dict], meta: dict, args) -> tuple[str, bool]:
    ok = True
    lines = [
        f"# HTTP benchmark, {meta['date']} (commit {meta['commit']})",
        "",
        f"{meta['cases']:,} cases; worker = {USERS['worker']} ({meta['visible']['worker']:,} "
        f"visible cases), coordinator = {USERS['coordinator']} "
        f"({meta['visible']['coordinator']:,}). gunicorn {args.workers} sync workers, "
        f"`wrk -t{args.threads} -c{args.connections} -d{args.duration}s` per page, "
        f"{args.rounds} rounds interleaved (each round its own page order). Load average "
        f"before / after: {meta['load_before']:.2f} / {meta['load_after']:.2f} on "
        f"{os.cpu_count()} cores.",
        "",
        "req/s and ratios: min / median of the rounds; p50 and p99: median / max of the rounds. "
        "Queries: one warm request in-process.",
        "",
        "| page | user | queries | req/s | p50 ms | p99 ms | ÷ bare anonymous | ÷ bare signed in "
        "| aims |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        aims = []
        if row["key"] == "bare":
            aims.append(("≥25% of anonymous", row["to_anon"][1] >= 0.25))
        elif row["key"] != "bare-anon" and not row["key"].endswith("post"):
            aims.append(("≥4%", row["to_anon"][1] >= 0.04))
        aims.append(("p99<300", row["p99_ms"][0] < 300))
        if row["unexpected"] or row["socket_errors"]:
            aims.append(
                (f"{row['unexpected']} unexpected, {row['socket_errors']} socket errors", False)
            )
            ok = False
        text = ", ".join(f"{name} {'ok' if good else '**no**'}" for name, good in aims)
        lines.append(
            f"| {row['label']} | {row['user']} | {row['queries']} "
            f"| {row['rps'][0]:.0f} / {row['rps'][1]:.0f} "
            f"| {row['p50_ms'][0]:.1f} / {row['p50_ms'][1]:.1f} "
            f"| {row['p99_ms'][0]:.0f} / {row['p99_ms'][1]:.0f} "
            f"| {row['to_anon'][0]:.3f} / {row['to_anon'][1]:.3f} "
            f"| {row['to_bare'][0]:.2f} / {row['to_bare'][1]:.2f} | {text} |"
        )
    if races:
        lines += [
            "",
            f"Race: {races[0]['attempts']} users signed in through the form, gunicorn "
            f"{args.race_workers} workers, {races[0]['attempts']} POSTs on one place at once:",
            "",
            "| attempt | booked (302) | taken (409) | errors | booked in database | wall s "
            "| load | aim (one booked, 0 errors, ≤1.5 s) |",
            "|---:|---:|---:|---:|---:|---:|---:|---|",
        ]
        for i, r in enumerate(races, 1):
            good = r["booked"] == 1 and r["booked_in_database"] == 1 and r["errors"] == 0
            ok = ok and good
            fast = r["wall_s"] <= 1.5
            lines.append(
                f"| {i} | {r['booked']} | {r['taken']} | {r['errors']} | "
                f"{r['booked_in_database']} | {r['wall_s']:.2f} | {r['load']:.2f} | "
                f"{'ok' if good else '**wrong**'}{'' if fast else ', **over 1.5 s**'} |"
            )
    return "\n".join(lines) + "\n", ok


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL") or DEFAULT_DATABASE_URL
    )
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (2)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (8)")
    parser.add_argument("--duration", type=int, default=8, help="seconds per page and round (8)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--race-users", type=int, default=50)
    parser.add_argument("--race-workers", type=int, default=4)
    parser.add_argument("--race-rounds", type=int, default=3)
    parser.add_argument("--skip-race", action="store_true")
    parser.add_argument("--wrk", default=shutil.which("wrk") or "/usr/bin/wrk")
    args = parser.parse_args(argv)

    name = urlsplit(args.database_url).path.lstrip("/")
    if not name.startswith("pilot_bench"):
        parser.error(f"refusing database {name!r}: its name must start with 'pilot_bench'")
    if not Path(args.wrk).exists():
        parser.error("wrk is not installed (Debian: apt install wrk)")

    queue = f"bench_http_{os.getpid()}"
    env = production_environment(args.database_url, queue)
    os.environ.update(env)
    for key in [k for k in os.environ if k.startswith("DJANGO_") and k not in env]:
        del os.environ[key]
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    assert not settings.DEBUG and settings.ROOT_URLCONF == "bench.urls"
    from cases.models import Case

    if Case.objects.count() < 1000:
        raise SystemExit(f"{name} holds hardly any cases: fill it first (bench/README.md)")
    log(f"{now_utc()}: collectstatic (production's hashed files) into {settings.STATIC_ROOT}")
    call_command("collectstatic", interactive=False, verbosity=0)

    load_before = os.getloadavg()[0]
    positions_needed = int(args.duration * 60)  # well above the POST's rate on two workers
    log(f"{now_utc()}: users, cases and free places")
    data = prepare(args.race_users, positions_needed)
    page_list = pages(data)
    setup_test_environment()  # the test client's host and query capture; DEBUG stays off
    settings.ALLOWED_HOSTS = [HOST]
    log(f"{now_utc()}: queries per page (in-process, one warm request each)")
    count_queries(data, page_list)
    log("  " + ", ".join(f"{p['key']} {p['queries']}" for p in page_list))

    RESULTS.mkdir(parents=True, exist_ok=True)
    gunicorn_log = RESULTS / "http-gunicorn.log"
    races: list[dict] = []
    from accounts.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET

    try:
        log(f"{now_utc()}: gunicorn, {args.workers} workers")
        with Server(env, args.port, args.workers, gunicorn_log):
            browsers = {}
            for role in ("worker", "coordinator"):
                browsers[role] = Browser(args.port)
                browsers[role].sign_in(USERS[role], DEMO_PASSWORD, DEMO_TOTP_SECRET)
            log(f"{now_utc()}: worker and coordinator signed in through the form; warming up")
            warm = argparse.Namespace(**{**vars(args), "duration": 1})
            for page in page_list:
                if not page.get("post"):
                    run_wrk(args.port, page, browsers.get(page["user"]), warm)
            measure_rounds(args.port, data, page_list, browsers, args)
        if not args.skip_race:
            log(f"{now_utc()}: gunicorn, {args.race_workers} workers, for the race")
            with Server(env, args.port, args.race_workers, gunicorn_log):
                races = race(args.port, data, args)
    finally:
        delete_bench_consults(data)
        purge_queue(queue)

    rows = summarise(page_list)
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],  # noqa: S607
        capture_output=True,
        text=True,
    ).stdout.strip()
    meta = {
        "date": now_utc(),
        "commit": commit,
        "cases": data["cases"],
        "visible": data["visible"],
        "load_before": load_before,
        "load_after": os.getloadavg()[0],
    }
    text, ok = report(rows, races, meta, args)
    log("")
    log(text)
    stamp = time.strftime("%Y-%m-%d-%H%M", time.gmtime())
    (RESULTS / f"http-{stamp}.md").write_text(text)
    (RESULTS / "http-latest.json").write_text(
        json.dumps(
            {
                "meta": meta,
                "args": vars(args),
                "rows": rows,
                "races": races,
                "pages": [{k: v for k, v in p.items() if k != "lines"} for p in page_list],
            },
            indent=1,
            default=str,
        )
    )
    log(f"written: bench/results/http-{stamp}.md, bench/results/http-latest.json")
    return 0 if ok else 1


def purge_queue(queue: str) -> None:
    """The confirmation mails the bookings enqueued: no worker reads this run's queue."""
    from django.conf import settings

    if settings.REDIS_URL:
        import redis

        redis.Redis.from_url(settings.REDIS_URL).delete(queue)


if __name__ == "__main__":
    sys.exit(main())
