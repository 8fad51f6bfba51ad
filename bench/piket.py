"""Benchmark the piket: finding the next free slots and booking, with a year of shifts for 50
locations in the database, and 50 concurrent booking attempts on one slot.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pilot_bench_piket \
        .venv/bin/python bench/piket.py

Creates the database when missing and migrates it, then (once; `--reset` to redo) adds 45
locations to the pilot's five, each with a sociale advocatuur (4 advocaten), a Juridisch Loket (one
first-line worker) and two rosters a week; a national roster on every weekday; 52 weeks of shifts
(26 back, 26 ahead) with two advocaten on duty each; about 40% of the past slots and 15% of the
future ones booked. Then measures in-process with Django's test Client (server time, no network):
the booking page (the next free slots for two legal areas), the booking POST, and 50 threads
(each its own connection) booking the same slot at once. Prints a Markdown table and writes
bench/results/piket-<database>.json. Refuses databases whose name does not start with pilot_bench.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/pilot_bench_piket"
EXTRA_LOCATIONS = 45
ADVOCATEN_PER_LOCATION = 4
REQUESTS = 50
CONCURRENT = 50
QUESTION = "Is een advocaat nodig voor deze huurachterstand, of kan de eerste lijn dit oplossen?"


def log(message: str) -> None:
    print(message, flush=True)


def ensure_database(url: str) -> bool:
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    admin_url = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
        conn.execute(f'CREATE DATABASE "{name}"')
        return True


# ---------------------------------------------------------------- the data


def fill(reset: bool) -> dict:
    """A year of shifts for 50 locations; idempotent unless `reset`."""
    import random
    from datetime import time as clock

    from django.db import connection, transaction
    from django.utils import timezone

    from accounts.models import Location, Membership, Organisation, Role, User
    from cases.models import Case, LegalArea
    from cases.services.cases import SubProblemData, case_register
    from piket.models import OCCUPYING, Assignment, Consult, Roster, Shift
    from piket.services.schedule import shifts_generate
    from piket.slots import slot_times

    if reset:
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE piket_notification, piket_waitlistentry, piket_consult,"
                " piket_assignment, piket_swap, piket_shift, piket_roster_legal_areas,"
                " piket_roster, piket_rosterexception CASCADE"
            )
    if Shift.objects.exists():
        return {"filled": False}

    rng = random.Random(42)
    started = time.perf_counter()
    areas = list(LegalArea.objects.filter(in_pilot_scope=True, is_active=True))
    with transaction.atomic():
        for i in range(1, EXTRA_LOCATIONS + 1):
            Location.objects.get_or_create(
                slug=f"bench-{i:02d}", defaults={"name": f"Benchplaats {i:02d}"}
            )
        locations = list(Location.objects.filter(is_national=False, is_active=True))
        national = Location.objects.get(is_national=True)
        admin = User.objects.filter(email="bench-coordinator@example.org").first()
        if admin is None:
            admin = User.objects.create_user(
                "bench-coordinator@example.org", "x", full_name="Bench Coördinator"
            )
        advocaten: dict[int, list[User]] = {}
        for location in [*locations, national]:
            firm, _ = Organisation.objects.get_or_create(
                location=location,
                kind=Organisation.Kind.SOCIALE_ADVOCATUUR,
                defaults={"name": f"Sociale advocatuur {location.name}"},
            )
            loket, _ = Organisation.objects.get_or_create(
                location=location,
                kind=Organisation.Kind.JURIDISCH_LOKET,
                defaults={"name": f"Het Juridisch Loket {location.name}"},
            )
            advocaten[location.pk] = []
            for n in range(ADVOCATEN_PER_LOCATION):
                email = f"bench-adv-{location.slug}-{n}@example.org"
                user = User.objects.filter(email=email).first() or User.objects.create_user(
                    email, None, full_name=f"Advocaat {n} {location.name}"
                )
                Membership.objects.get_or_create(user=user, organisation=firm, role=Role.ADVOCAAT)
                advocaten[location.pk].append(user)
            email = f"bench-worker-{location.slug}@example.org"
            worker = User.objects.filter(email=email).first() or User.objects.create_user(
                email, None, full_name=f"Medewerker {location.name}", phone="030 123 45 67"
            )
            Membership.objects.get_or_create(user=worker, organisation=loket, role=Role.FIRST_LINE)

        today = timezone.localdate()
        start = today - timedelta(weeks=26)
        for location in locations:
            for weekday, begin, end in ((1, clock(9), clock(12)), (3, clock(13), clock(17))):
                roster = Roster.objects.create(
                    location=location,
                    weekday=weekday,
                    start_time=begin,
                    end_time=end,
                    capacity=2,
                    valid_from=start,
                    created_by=admin,
                )
                roster.legal_areas.set(areas)
        for weekday in range(5):
            roster = Roster.objects.create(
                location=national,
                weekday=weekday,
                start_time=clock(10),
                end_time=clock(12),
                capacity=2,
                valid_from=start,
                created_by=admin,
            )
            roster.legal_areas.set(areas)
        shifts = shifts_generate(today=start, weeks=52)
        log(f"  {shifts} shifts generated")

        assignments = []
        for i, shift in enumerate(Shift.objects.order_by("pk")):
            pool = advocaten[shift.location_id]
            for k in range(2):
                assignments.append(
                    Assignment(shift=shift, advocaat=pool[(i + k) % len(pool)], assigned_by=admin)
                )
        Assignment.objects.bulk_create(assignments, batch_size=5000)

        # Cases to hang the consults on: a few per location, registered like the app does.
        cases_by_location: dict[int, list[Case]] = {}
        huur = LegalArea.objects.get(slug="huurrecht")
        for location in locations:
            worker = User.objects.get(email=f"bench-worker-{location.slug}@example.org")
            loket = Organisation.objects.get(
                location=location, kind=Organisation.Kind.JURIDISCH_LOKET
            )
            cases_by_location[location.pk] = [
                case_register(
                    user=worker,
                    organisation=loket,
                    data={},
                    subproblems=[SubProblemData(legal_area=huur)],
                )
                for _ in range(3)
            ]
        now = timezone.now()
        consults = []
        shifts_qs = Shift.objects.select_related("roster").prefetch_related("assignments")
        for shift in shifts_qs:
            share = 0.4 if shift.starts_at < now else 0.15
            cases = cases_by_location.get(shift.location_id) or cases_by_location[locations[0].pk]
            for begin, end in slot_times(shift):
                for assignment in shift.assignments.all():
                    if rng.random() < share:
                        case = rng.choice(cases)
                        consults.append(
                            Consult(
                                shift=shift,
                                advocaat_id=assignment.advocaat_id,
                                starts_at=begin,
                                ends_at=end,
                                case=case,
                                legal_area=huur,
                                booked_by_id=case.registered_by_id,
                                question=QUESTION,
                                callback_number="030 123 45 67",
                                status="gehouden" if begin < now else "geboekt",
                            )
                        )
        Consult.objects.bulk_create(consults, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return {
        "filled": True,
        "seconds": round(time.perf_counter() - started, 1),
        "locations": Location.objects.count(),
        "shifts": Shift.objects.count(),
        "assignments": Assignment.objects.count(),
        "consults": Consult.objects.filter(status__in=OCCUPYING).count(),
    }


# ---------------------------------------------------------------- the measurements


def percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * len(ordered)) - 1)]
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(p95 * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
    }


def measure() -> dict:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP
    from django.db import connections
    from django.test import Client

    from accounts.models import Location, Organisation, User
    from cases.models import LegalArea
    from cases.services.cases import SubProblemData, case_register
    from piket import selectors
    from piket.models import Consult
    from piket.services.booking import SlotTaken, consult_book

    location = Location.objects.get(slug="bench-17")
    worker = User.objects.get(email=f"bench-worker-{location.slug}@example.org")
    loket = Organisation.objects.get(location=location, kind=Organisation.Kind.JURIDISCH_LOKET)
    areas = [LegalArea.objects.get(slug=s) for s in ("huurrecht", "arbeidsrecht")]
    case = case_register(
        user=worker,
        organisation=loket,
        data={},
        subproblems=[SubProblemData(legal_area=a) for a in areas],
    )
    if not Authenticator.objects.filter(user=worker, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(worker, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")  # the pages require MFA
    client = Client()
    client.force_login(worker, backend="django.contrib.auth.backends.ModelBackend")
    url = f"/piket/boeken/{case.number}/"
    results = {}
    try:
        for _ in range(5):  # warm up: templates, connection, caches
            response = client.get(url)
            assert response.status_code == 200, (response.status_code, response.get("Location"))
        samples = []
        for _ in range(REQUESTS):
            t = time.perf_counter()
            response = client.get(url)
            samples.append(time.perf_counter() - t)
            assert response.status_code == 200
        results["booking page (next free slots, 2 legal areas)"] = percentiles(samples)

        samples = []
        for _ in range(REQUESTS):
            slot = selectors.free_slots(legal_area=areas[0], location=location)[0]
            data = {
                "slot": f"{areas[0].pk}/{slot.key}",
                "question": QUESTION,
                "callback_number": "030 123 45 67",
            }
            t = time.perf_counter()
            response = client.post(url, data)
            samples.append(time.perf_counter() - t)
            assert response.status_code == 302, response.status_code
        results["booking POST (book, grant, audit, enqueue mail)"] = percentiles(samples)

        slot = selectors.free_slots(legal_area=areas[0], location=location)[0]
        slot_key = slot.key
        # one advocaat free at that time: book the others first so all 50 race for one place
        for _ in slot.free_advocaten[1:]:
            consult_book(
                user=worker,
                case=case,
                legal_area=areas[0],
                slot_key=slot_key,
                question=QUESTION,
                callback_number="030 123 45 67",
            )
        barrier = threading.Barrier(CONCURRENT + 1, timeout=30)
        outcomes: list[str] = []
        lock = threading.Lock()

        def attempt() -> None:
            try:
                user = User.objects.get(pk=worker.pk)
                own_case = type(case).objects.get(pk=case.pk)
                barrier.wait()
                try:
                    consult_book(
                        user=user,
                        case=own_case,
                        legal_area=areas[0],
                        slot_key=slot_key,
                        question=QUESTION,
                        callback_number="030 123 45 67",
                    )
                    outcome = "booked"
                except SlotTaken:
                    outcome = "taken"
                except Exception as exc:  # noqa: BLE001 - reported below
                    outcome = f"error {exc!r}"
                with lock:
                    outcomes.append(outcome)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=attempt) for _ in range(CONCURRENT)]
        for thread in threads:
            thread.start()
        barrier.wait()  # every thread has its connection open; go
        t = time.perf_counter()
        for thread in threads:
            thread.join(timeout=30)
        seconds = time.perf_counter() - t
        results["concurrent"] = {
            "attempts": CONCURRENT,
            "seconds": round(seconds, 3),
            "booked": outcomes.count("booked"),
            "taken": outcomes.count("taken"),
            "errors": [o for o in outcomes if o.startswith("error")],
            "hung": sum(thread.is_alive() for thread in threads),
        }
    finally:
        Consult.objects.filter(case=case).delete()  # leave the database as it was
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reset", action="store_true", help="delete the piket data and refill")
    parser.add_argument(
        "--database-url", default=os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    )
    args = parser.parse_args(argv)
    url = args.database_url
    name = urlsplit(url).path.lstrip("/")
    if not name.startswith("pilot_bench"):
        parser.error(f"refusing database {name!r}: its name must start with 'pilot_bench'")

    created = ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "pilot.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    log(f"database {name} {'created' if created else 'exists'}: migrate")
    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    data = fill(args.reset)
    log(f"data: {data}")
    setup_test_environment()  # locmem mail, DEBUG off (no query log), 'testserver' allowed
    from pilot.celery import app

    # As in production the web process only enqueues the confirmation mail; a worker sends it.
    app.conf.task_always_eager = False
    results = measure()

    concurrent = results.pop("concurrent")
    load = os.getloadavg()
    log(f"\nload average during the run: {load[0]:.2f} on {os.cpu_count()} cores")
    log("\n| measurement | p50 ms | p95 ms | max ms | target |\n|---|---:|---:|---:|---|")
    for label, figures in results.items():
        ok = "ok" if figures["p95_ms"] < 100 else "**over**"
        log(
            f"| {label}, {REQUESTS} requests | {figures['p50_ms']} | {figures['p95_ms']} |"
            f" {figures['max_ms']} | p95 < 100 ms: {ok} |"
        )
    ok = concurrent["booked"] == 1 and concurrent["seconds"] < 1 and not concurrent["errors"]
    log(
        f"| {CONCURRENT} concurrent bookings of one slot | — | — |"
        f" {concurrent['seconds'] * 1000:.0f} (all done) |"
        f" < 1 s, exactly one booked: {'ok' if ok else '**failed**'}"
        f" ({concurrent['booked']} booked, {concurrent['taken']} taken,"
        f" {len(concurrent['errors'])} errors, {concurrent['hung']} hung) |"
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    record = {
        "database": name,
        "data": data,
        "results": results,
        "concurrent": concurrent,
        "load_average": load[0],
        "cores": os.cpu_count(),
    }
    (RESULTS / f"piket-{name}.json").write_text(json.dumps(record, indent=2, default=str))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
