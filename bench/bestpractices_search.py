"""Search in the best-practice library over 20,000 entries, and the related entries of a case.

    .venv/bin/python bench/bestpractices_search.py \\
        [--database postgres://postgres@127.0.0.1:5432/pilot_bench_library] [--entries 20000] \\
        [--runs 300] [--reset]

Fills its own database (created when missing; the name must start with `pilot_bench`) with
`--entries` library entries of realistic Dutch text generated from word lists (each entry about
a handful of subjects, two of them from the dozen most common; titles of 4-9 words, summaries of
one sentence, bodies of 60-400 words in Markdown, 0-3 tags, 1-2 legal areas, a kind of case on a
third; 70% adopted, the rest idea/draft/consultation/archived; a fifth local), inserted in
batches with bulk_create so the search trigger fills every search vector as in production.
Then measures, in-process with Django's test Client (DEBUG off, inside a transaction that is
rolled back: nothing is written, not even the session):

- the library page with `q` (server time of `client.get`: middleware, synonyms, the ranked and
  highlighted search, the filters, the template) for a mix of queries: common and rare words,
  two and three words, a synonym of the coordinators' list, search syntax and a pasted page,
  with and without filters; also the search selector alone (the two queries it sends);
- the case page's related entries (bestpractices.selectors.entries_related_to_cases: one query)
  for cases of every legal area.

Prints Markdown; exit 1 when a p95 is over its budget (50 ms for the search, 10 ms for the related
entries) or a page does not answer 200.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
import warnings
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = "postgres://postgres@127.0.0.1:5432/pilot_bench_library"
SEARCH_BUDGET_MS = 50.0
RELATED_BUDGET_MS = 10.0
WARMUP = 5

# ---------------------------------------------------------------- the text


def _words(text: str) -> list[str]:
    return text.split()


SUBJECTS = _words(
    """huurder huurders verhuurder woningcorporatie huurcommissie huurverhoging
huurachterstand ontruiming onderhoud gebreken schimmel servicekosten borg
huurcontract werkgever werknemer
ontslag loon loonbeslag arbeidscontract proeftijd transitievergoeding ziekte uitkering
bijstand participatiewet gemeente toeslagen belastingdienst zorgtoeslag huurtoeslag
kinderopvangtoeslag terugvordering boete bezwaar beroep bezwaarschrift beschikking schulden
schuldeisers incasso deurwaarder beslag schuldhulpverlening betalingsregeling aanmaning
dagvaarding kantonrechter vonnis advocaat toevoeging eigen bijdrage rechtsbijstand
consument webwinkel koop garantie levering abonnement telefoonabonnement energieleverancier
energierekening afsluiting verblijfsvergunning naturalisatie gezinshereniging IND inburgering
alimentatie omgang echtscheiding ouderschapsplan WW WIA Ziektewet UWV herbeoordeling
keuring arbeidsongeschiktheid kostendelersnorm inlichtingenplicht fraude terugbetaling
wachtlijst spreekuur intake doorverwijzing overdracht terugkoppeling verwijsbrief
dossier stukken termijn vervaltermijn hoorzitting mediation"""
)
VERBS = _words(
    """bellen controleren vastleggen bespreken doorverwijzen terugkoppelen nagaan opvragen
aanvragen indienen voorbereiden begeleiden uitleggen overdragen afspreken ondersteunen
beoordelen toetsen inplannen bevestigen nabellen opvolgen aankaarten"""
)
FILLER = _words(
    """de het een en van met voor bij als dan zodat binnen na over door naar om in op
altijd eerst samen direct tijdig zorgvuldig schriftelijk telefonisch persoonlijk vooraf
daarna ook alleen nooit meestal wanneer"""
)
ADJECTIVES = _words(
    """dreigende lopende hoge onterechte late tweede eerste volledige korte warme
complexe spoedeisende nieuwe lokale landelijke"""
)
TITLE_PATTERNS = (
    "{Subject}: {verb} bij {adjective} {subject}",
    "{Subject} en {subject} {verb}",
    "Werkwijze {subject}: {adjective} {subject} {verb}",
    "Samenwerkingsafspraak {subject} met {subject}",
    "Checklist {subject} {verb}",
    "Wanneer de tweede lijn bij {subject}",
    "Kwaliteitseis: {subject} binnen {number} dagen {verb}",
)


def topic(rng: random.Random) -> list[str]:
    """What one entry is about: a handful of subjects, the head of the list more often (as in
    real texts some words, "huurder", "bezwaar", come up in many entries, most in few)."""
    head = SUBJECTS[:12]
    return rng.sample(head, 2) + rng.sample(SUBJECTS, rng.randint(3, 6))


def sentence(rng: random.Random, words: int, about: list[str]) -> str:
    out = []
    for i in range(words):
        pool = rng.random()
        if pool < 0.3:
            out.append(rng.choice(about) if rng.random() < 0.93 else rng.choice(SUBJECTS))
        elif pool < 0.45:
            out.append(rng.choice(VERBS))
        elif pool < 0.55:
            out.append(rng.choice(ADJECTIVES))
        else:
            out.append(rng.choice(FILLER))
        if i == 0:
            out[0] = out[0][:1].upper() + out[0][1:]
    return " ".join(out) + "."


def title(rng: random.Random, about: list[str]) -> str:
    text = rng.choice(TITLE_PATTERNS).format(
        Subject=rng.choice(about).capitalize(),
        subject=rng.choice(about),
        verb=rng.choice(VERBS),
        adjective=rng.choice(ADJECTIVES),
        number=rng.choice((2, 5, 10, 14)),
    )
    return text[:200]


def body(rng: random.Random, about: list[str]) -> str:
    parts = []
    for _ in range(rng.randint(2, 5)):
        parts.append(f"## {sentence(rng, rng.randint(2, 5), about)[:-1]}")
        parts.append(
            " ".join(sentence(rng, rng.randint(8, 16), about) for _ in range(rng.randint(2, 6)))
        )
        if rng.random() < 0.4:
            parts.append(
                "\n".join(f"- {sentence(rng, rng.randint(4, 9), about)}" for _ in range(3))
            )
    return "\n\n".join(parts)


# ---------------------------------------------------------------- Django


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "pilot.settings"
    os.environ.setdefault("DJANGO_DEBUG", "1")  # development keys; DEBUG itself is off below
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.SESSION_ACTIVITY_SECONDS = 24 * 60 * 60


def create_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.startswith("pilot_bench"):
        raise SystemExit(f"refusing {name!r}: the benchmark's database starts with pilot_bench")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def fill(total: int, reset: bool) -> None:
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from accounts.models import Location, Organisation, Role, User
    from bestpractices.models import Entry, Revision, Synonym
    from cases.models import KindOfCase, LegalArea
    from tests.accounts.factories import OrganisationFactory, member

    call_command("migrate", verbosity=0)
    if reset:
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE bestpractices_entry, bestpractices_revision, bestpractices_synonym "
                "CASCADE"
            )
    have = Entry.objects.count()
    if have >= total:
        print(f"{have:,} entries already there; --reset to fill again.\n")
        return
    utrecht, _ = Location.objects.get_or_create(slug="utrecht", defaults={"name": "Utrecht"})
    amsterdam, _ = Location.objects.get_or_create(slug="amsterdam", defaults={"name": "Amsterdam"})
    organisation = OrganisationFactory(
        location=utrecht, name="Het Juridisch Loket Utrecht", kind=Organisation.Kind.JURIDISCH_LOKET
    )
    email = "bench.bibliotheek@example.org"
    author = User.objects.filter(email=email).first() or member(
        Role.COORDINATOR, organisation, email=email
    )
    for term, synonyms in (("bijstand", ["participatiewet"]), ("huurbaas", ["verhuurder"])):
        Synonym.objects.get_or_create(term=term, defaults={"synonyms": synonyms})
    areas = list(LegalArea.objects.all())
    kinds_by_area: dict[int, list[int]] = {}
    for kind_pk, area_pk in KindOfCase.objects.values_list("pk", "legal_area_id"):
        kinds_by_area.setdefault(area_pk, []).append(kind_pk)
    rng = random.Random(20261129 + have)
    statuses = ["adopted"] * 14 + [
        "idea",
        "draft",
        "draft",
        "consultation",
        "consultation",
        "archived",
    ]
    now = timezone.now()
    started = time.perf_counter()
    batch = 2000
    for offset in range(have, total, batch):
        size = min(batch, total - offset)
        with transaction.atomic():
            topics = [topic(rng) for _ in range(size)]
            entries = Entry.objects.bulk_create(
                Entry(
                    kind=rng.choice(Entry.Kind.values),
                    slug=f"bench-{offset + i}",
                    title=title(rng, about),
                    summary=sentence(rng, rng.randint(10, 22), about),
                    body=body(rng, about),
                    tags=rng.sample(about, rng.randint(0, 3)),
                    audience=rng.choice(Entry.Audience.values),
                    status="draft",
                    author=author,
                    owner=author,
                )
                for i, about in enumerate(topics)
            )
            revisions = Revision.objects.bulk_create(
                Revision(
                    entry=e, number=1, title=e.title, summary=e.summary, body=e.body, author=author
                )
                for e in entries
            )
            areas_through = Entry.legal_areas.through
            kinds_through = Entry.kinds_of_case.through
            locations_through = Entry.locations.through
            area_rows, kind_rows, location_rows = [], [], []
            for entry in entries:
                for area in rng.sample(areas, rng.choice((1, 1, 1, 2))):
                    area_rows.append(areas_through(entry_id=entry.pk, legalarea_id=area.pk))
                    if rng.random() < 0.33 and kinds_by_area.get(area.pk):
                        kind = rng.choice(kinds_by_area[area.pk])
                        kind_rows.append(kinds_through(entry_id=entry.pk, kindofcase_id=kind))
                if rng.random() < 0.2:
                    place = rng.choice((utrecht, amsterdam))
                    location_rows.append(locations_through(entry_id=entry.pk, location_id=place.pk))
            areas_through.objects.bulk_create(area_rows)
            kinds_through.objects.bulk_create(kind_rows)
            locations_through.objects.bulk_create(location_rows)
            chosen = [
                (e.pk, r.pk, rng.choice(statuses)) for e, r in zip(entries, revisions, strict=True)
            ]
            with connection.cursor() as cursor:
                cursor.executemany(
                    "UPDATE bestpractices_entry SET current_revision_id = %s, status = %s, "
                    "adopted_revision_id = CASE WHEN %s = 'adopted' THEN %s END, "
                    "review_by = CASE WHEN %s = 'adopted' THEN (%s::timestamptz + interval "
                    "'1 year')::date END, adopted_at = CASE WHEN %s = 'adopted' THEN "
                    "%s::timestamptz - (random() * interval '700 days') END, "
                    "is_public = (%s = 'adopted' AND random() < 0.3) WHERE id = %s",
                    [
                        (rev, status, status, rev, status, now, status, now, status, pk)
                        for pk, rev, status in chosen
                    ],
                )
        done = offset + size
        print(f"  {done:,} entries ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) bestpractices_entry")
        cursor.execute("ANALYZE")
    print(f"Filled to {total:,} entries in {time.perf_counter() - started:.0f} s.\n")


# ---------------------------------------------------------------- measuring


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]


QUERIES = [
    {"q": "huur"},
    {"q": "huurder"},
    {"q": "schulden"},
    {"q": "bezwaar"},
    {"q": "uitkering"},
    {"q": "ontslag"},
    {"q": "termijn"},
    {"q": "mediation"},
    {"q": "kostendelersnorm"},
    {"q": "bijstand"},  # a synonym: also "participatiewet"
    {"q": "huurbaas"},  # a synonym: also "verhuurder"
    {"q": "huurachterstand ontruiming"},
    {"q": "beslag loon deurwaarder"},
    {"q": "de het een"},  # stop words only
    {"q": "huur & | ! ( ) : * ' \""},
    {"q": "toeslagen " * 2000},  # a pasted page
    {"q": "huur", "legal_area": "huurrecht"},
    {"q": "uitkering", "kind": "way_of_working"},
    {"q": "schulden", "audience": "first", "status": "adopted"},
    {"q": "bezwaar", "location": "utrecht"},
]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", default=DATABASE_URL)
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--reset", action="store_true")
    args = parser.parse_args(argv)
    create_database(args.database)
    setup_django(args.database)
    fill(args.entries, args.reset)

    from django.db import connection, reset_queries, transaction
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from accounts.adapters import has_totp
    from accounts.middleware import LOGIN_AT, MFA_DONE, SEEN_AT
    from accounts.models import Location, User
    from bestpractices import selectors
    from bestpractices.models import Entry
    from cases.models import LegalArea, SubProblem
    from tests.accounts.factories import member
    from tests.cases.factories import CaseFactory, SubProblemFactory

    counts = dict(Entry.objects.values_list("status").annotate(n=Count("pk")))
    print(f"# Library search, {connection.settings_dict['NAME']}")
    print(
        f"\n{sum(counts.values()):,} entries ({counts.get('adopted', 0):,} adopted); "
        f"{args.runs} requests per measurement, queries drawn in turn from {len(QUERIES)}.\n"
    )
    failures: list[str] = []
    with transaction.atomic():
        author = User.objects.get(email="bench.bibliotheek@example.org")
        organisation = author.memberships.get().organisation
        worker = member("eerstelijn", organisation, email="bench.zoeker@example.org")
        client = Client(HTTP_HOST="localhost")
        client.force_login(worker, backend="django.contrib.auth.backends.ModelBackend")
        session = client.session
        stamp = timezone.now().timestamp()
        session.update({LOGIN_AT: stamp, SEEN_AT: stamp})
        if has_totp(worker):
            session[MFA_DONE] = worker.pk
        session.save()
        ids = {
            "legal_area": {a.slug: a.pk for a in LegalArea.objects.all()},
            "location": {loc.slug: loc.pk for loc in Location.objects.all()},
        }

        def url(params: dict) -> str:
            real = {k: ids[k][v] if k in ids else v for k, v in params.items()}
            return "/bibliotheek/?" + urlencode(real)

        # the page
        samples, statuses, queries, hits = [], set(), set(), {}
        for i in range(WARMUP + args.runs):
            params = QUERIES[i % len(QUERIES)]
            target = url(params)
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                response = client.get(target)
                elapsed = (time.perf_counter() - start) * 1000
            statuses.add(response.status_code)
            if i >= WARMUP:
                samples.append(elapsed)
                queries.add(len(ctx.captured_queries))
        page = (percentile(samples, 50), percentile(samples, 95), max(samples))
        # the selector alone: synonyms, then the ranked page of 25 with fragments (and its count)
        selector = []
        for i in range(WARMUP + args.runs):
            params = QUERIES[i % len(QUERIES)]
            start = time.perf_counter()
            found = selectors.entries_searched(Entry.objects.filter(status="adopted"), params["q"])
            list(found[:25])
            count = found.count()
            elapsed = (time.perf_counter() - start) * 1000
            if i >= WARMUP:
                selector.append(elapsed)
                hits[params["q"][:40]] = count
        sel = (percentile(selector, 50), percentile(selector, 95), max(selector))

        # related entries on the case page
        cases = []
        areas = list(LegalArea.objects.all())
        for n in range(60):
            case = CaseFactory(organisation=organisation, registered_by=worker)
            for area in random.Random(n).sample(areas, 1 + n % 3):
                kind = area.kinds.first() if n % 2 else None
                SubProblemFactory(case=case, legal_area=area, kind_of_case=kind)
            cases.append(case)
        related, related_queries = [], set()
        for i in range(WARMUP + args.runs):
            case = cases[i % len(cases)]
            reset_queries()
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                found = selectors.entries_related_to_cases(worker, [case])
                elapsed = (time.perf_counter() - start) * 1000
            if i >= WARMUP:
                related.append(elapsed)
                related_queries.add(len(ctx.captured_queries))
        rel = (percentile(related, 50), percentile(related, 95), max(related))
        day = cases[:8]
        start = time.perf_counter()
        selectors.entries_related_to_cases(worker, day)
        day_ms = (time.perf_counter() - start) * 1000
        subproblems = SubProblem.objects.filter(case__in=cases).count()
        transaction.set_rollback(True)

    print("| measurement | p50 ms | p95 ms | max ms | SQL queries | status |")
    print("|---|---|---|---|---|---|")
    print(
        f"| library page with `q` (in-process, template included) | {page[0]:.1f} | {page[1]:.1f} "
        f"| {page[2]:.1f} | {'/'.join(map(str, sorted(queries)))} | {sorted(statuses)} |"
    )
    print(
        f"| search selector alone (synonyms, page of 25 with fragments, count) | {sel[0]:.1f} | "
        f"{sel[1]:.1f} | {sel[2]:.1f} | 3 | |"
    )
    print(
        f"| related entries of one case (case page, booking page) | {rel[0]:.2f} | {rel[1]:.2f} "
        f"| {rel[2]:.2f} | {'/'.join(map(str, sorted(related_queries)))} | |"
    )
    print(
        f"| related entries of 8 cases at once (a day of preparation cards) | {day_ms:.2f} "
        "| | | 1 | |"
    )
    print(f"\n60 cases with {subproblems} sub-problems for the related entries.\n")
    print("Hits per query (adopted entries, without the filters):\n")
    print(", ".join(f"`{q.strip()}` {n:,}" for q, n in hits.items()))
    print()
    if statuses != {200}:
        failures.append(f"library page answered {sorted(statuses)}")
    if page[1] > SEARCH_BUDGET_MS:
        failures.append(f"library page p95 {page[1]:.1f} ms > {SEARCH_BUDGET_MS:.0f} ms")
    if rel[1] > RELATED_BUDGET_MS:
        failures.append(f"related entries p95 {rel[1]:.2f} ms > {RELATED_BUDGET_MS:.0f} ms")
    if related_queries != {1}:
        failures.append(f"related entries took {related_queries} queries")
    for failure in failures:
        print(f"- FAIL {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
