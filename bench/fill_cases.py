"""Fill a benchmark database with realistic cases, fast (server-side SQL, batches of 100k).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pilot_bench \
        .venv/bin/python bench/fill_cases.py --cases 1000000

Creates the database when missing, runs `migrate`, `createcachetable` and `seed_demo --force` in
it, then inserts cases with `INSERT ... SELECT ... FROM generate_series(...)`: no rows travel
between Python and PostgreSQL. Per case: 1-3 sub-problems, a note on ~30%, an identity in the
vault on ~60%, warm handovers and consults (with grants and second-line advice) on a few percent,
and the audit entries the application would have written (create, status, note, handover, views).

Refuses any database whose name does not start with `pilot_bench`: it never touches your
development data. Idempotent-ish: without `--reset` it only adds the cases that are missing (case
numbers follow from the row index, so a second run continues where the first stopped); `--reset`
truncates the case tables first. Ends with VACUUM ANALYZE (what autovacuum would do in production:
planner statistics and the visibility map for index-only scans).

Phase timings go to stdout and to bench/results/fill-<database>.json (read by measure_pages.py).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/pilot_bench"
BATCH = 100_000

# ---------------------------------------------------------------- case numbers
# Same format as cases.models.new_case_number(): "Z-XXXX-XXXX" over a 30-letter alphabet. The
# row index i is permuted over all 30**8 numbers (an affine map, then every digit mixed with the
# one before it), so numbers are unique, deterministic and look random.

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
NUMBER_SPACE = 30**8
MULTIPLIER = 405_488_000_011  # coprime with 30**8 (no factor 2, 3 or 5)
OFFSET = 123_456_789_012
MAX_INDEX = (2**63 - 1) // MULTIPLIER  # i * MULTIPLIER must fit a bigint (about 22 million)


def case_number(i: int) -> str:
    """The Python twin of the SQL function below (used to check it)."""
    n = (i * MULTIPLIER + OFFSET) % NUMBER_SPACE
    digits = []
    for _ in range(8):
        digits.append(n % 30)
        n //= 30
    digits.reverse()  # most significant first
    out, previous = [], 0
    for d in digits:
        previous = (d + 7 * previous + 3) % 30
        out.append(ALPHABET[previous])
    return f"Z-{''.join(out[:4])}-{''.join(out[4:])}"


CASE_NUMBER_FUNCTION = f"""
CREATE OR REPLACE FUNCTION pg_temp.bench_case_number(i bigint) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
    alphabet constant text := '{ALPHABET}';
    n bigint := (i * {MULTIPLIER} + {OFFSET}) % {NUMBER_SPACE};
    d int[] := array_fill(0, ARRAY[8]);
    previous int := 0;
    result text := 'Z-';
BEGIN
    FOR k IN REVERSE 8..1 LOOP
        d[k] := n % 30;
        n := n / 30;
    END LOOP;
    FOR k IN 1..8 LOOP
        previous := (d[k] + 7 * previous + 3) % 30;
        result := result || substr(alphabet, previous + 1, 1);
        IF k = 4 THEN
            result := result || '-';
        END IF;
    END LOOP;
    RETURN result;
END
$$;
"""

# ---------------------------------------------------------------- distributions

LOCATION_WEIGHTS = {  # slug: share of all cases
    "amsterdam": 0.35,
    "utrecht": 0.25,
    "nijmegen": 0.15,
    "zwolle": 0.15,
    "middelburg": 0.10,
}
LOKET_SHARE = 0.60  # the rest goes to the Sociaal raadslieden of the location
POSTCODES = {  # slug: (first four-digit postcode area, how many)
    "amsterdam": (1011, 99),
    "utrecht": (3511, 75),
    "nijmegen": (6511, 36),
    "zwolle": (8011, 33),
    "middelburg": (4331, 9),
}
LEGAL_AREA_WEIGHTS = {  # slug: share of all sub-problems
    "huurrecht": 0.28,
    "sociale-voorzieningen": 0.22,
    "verbintenissenrecht": 0.12,
    "sociale-verzekeringen": 0.10,
    "arbeidsrecht": 0.09,
    "consumentenrecht": 0.08,
    "vreemdelingenrecht": 0.06,
    "familierecht": 0.03,
    "overig": 0.02,
}
CHANNELS = [
    ("balie", 35),
    ("telefoon", 30),
    ("email", 12),
    ("afspraak", 12),
    ("verwijzing", 5),
    ("video", 3),
    ("huisbezoek", 3),
]
STATUSES = [("open", 25), ("wacht_tweedelijn", 10), ("doorverwezen", 15), ("gesloten", 50)]
AGE_BANDS = [("0-17", 2), ("18-26", 14), ("27-40", 30), ("41-65", 38), ("66+", 10), ("onbekend", 6)]
HOUSEHOLDS = [
    ("alleenstaand", 40),
    ("eenouder", 18),
    ("samen", 12),
    ("gezin", 20),
    ("anders", 4),
    ("onbekend", 6),
]
INCOMES = [("uitkering", 45), ("laag", 30), ("boven_grens", 8), ("geen", 7), ("onbekend", 10)]
SOLUTION_REACHED = [("ja", 65), ("nee", 20), ("weet_niet", 15)]
SOLUTION_WHERE = [("eerstelijn", 55), ("sociale_kaart", 20), ("advocaat", 15), ("elders", 10)]
REFERRAL_USEFUL = [("ja", 25), ("nee", 45), ("weet_niet", 30)]
ANALYSIS_MATCH = [("zelfde", 55), ("deels", 30), ("anders", 15)]
CONTINUATION = [("eerstelijn", 40), ("advocaat", 25), ("terug", 20), ("sociale_kaart", 15)]

QUESTIONS = [
    "Verhuurder wil de huur met 8 procent verhogen; klopt dat met de huurprijscheck?",
    "Al maanden schimmel in de badkamer, verhuurder reageert niet op meldingen.",
    "Gemeente vordert bijstand terug over twee jaar; rechtzoekende begrijpt de berekening niet.",
    "Aanvraag Wmo-ondersteuning afgewezen, wil bezwaar maken binnen de termijn.",
    "Zorgtoeslag stopgezet na wijziging in inkomen, terugvordering ontvangen.",
    "Werkgever betaalt het loon van de laatste maand niet uit.",
    "Ontslag op staande voet na ziekmelding; wil weten of dat rechtsgeldig is.",
    "Incassobureau rekent hoge kosten op een oude telefoonrekening.",
    "Webwinkel levert niet en reageert niet; betaling al gedaan.",
    "WW-uitkering geweigerd wegens verwijtbare werkloosheid.",
    "Verlenging verblijfsvergunning: welke stukken zijn nodig en wat zijn de termijnen?",
    "Borg niet terugbetaald na einde huur, verhuurder noemt schade die er al was.",
    "Energieleverancier verhoogt het voorschot fors; betalingsregeling gewenst.",
    "Kinderbijslag gestopt na verhuizing; SVB vraagt om bewijsstukken.",
    "Huurachterstand van drie maanden, dagvaarding voor ontruiming ontvangen.",
    "Bijzondere bijstand voor inrichting woning geweigerd.",
]
ANALYSES = [
    "Huurverhoging lijkt boven het maximum; huurcommissie kan toetsen.",
    "Termijn voor bezwaar loopt nog; bezwaarschrift pro forma indienen.",
    "Terugvordering lijkt terecht, maar betalingsregeling en kwijtschelding onderzoeken.",
    "Mogelijk onvoldoende onderzoek door de gemeente; hoorzitting vragen.",
    "Loonvordering: eerst schriftelijk in gebreke stellen met termijn.",
    "Kosten incasso boven de wettelijke staffel; bezwaar maken bij het incassobureau.",
    "Koop op afstand: herroepingsrecht en ingebrekestelling versturen.",
    "Verblijfsrecht hangt af van inkomen en duur; stukken verzamelen.",
]
NOTES = [
    "Rechtzoekende belt terug na overleg met de verhuurder.",
    "Stukken ontvangen en in het dossier opgenomen.",
    "Afspraak gemaakt voor het spreekuur van volgende week.",
    "Brief aan de gemeente verstuurd, reactie binnen zes weken verwacht.",
    "Telefonisch contact: situatie ongewijzigd.",
    "Bezwaarschrift samen opgesteld en verstuurd.",
]
HANDOVER_CONTEXT = [
    "Rechtzoekende heeft hulp nodig bij het ordenen van de administratie; zie deelproblemen.",
    "Juridische vraag ligt buiten ons aanbod; rechtzoekende is op de hoogte en stemt in.",
    "Graag een blik van een advocaat op de termijn en de kansen in bezwaar.",
]
FAKE_NAMES = [  # invented; used only inside the encrypted identity tokens
    "Sanne Bakker-Oomen",
    "Daan de Vries-Hamers",
    "Fleur Visser-Kok",
    "Bram Mulder-Brink",
    "Noor Smit-Verhoef",
    "Joris Meijer-Dekker",
    "Lotte Bos-Hendriks",
    "Thijs Vos-Postma",
]


def pick(column: str, choices: list[tuple[str, float]]) -> str:
    """A CASE expression that turns a uniform random column into a weighted choice."""
    total = sum(weight for _, weight in choices)
    parts, cumulative = [], 0.0
    for value, weight in choices[:-1]:
        cumulative += weight / total
        parts.append(f"WHEN {column} < {cumulative:.6f} THEN '{value}'")
    return f"(CASE {' '.join(parts)} ELSE '{choices[-1][0]}' END)"


# ---------------------------------------------------------------- setup


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def ensure_database(url: str) -> bool:
    """Create the database when it does not exist. True when it was created."""
    import psycopg

    name = database_name(url)
    admin_url = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
        conn.execute(f'CREATE DATABASE "{name}"')
        return True


class Phases:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.started = time.perf_counter()

    def add(self, phase: str, seconds: float) -> None:
        self.seconds[phase] = self.seconds.get(phase, 0.0) + seconds

    def run(self, phase: str, cursor, sql: str, params=None) -> int:
        t = time.perf_counter()
        cursor.execute(sql, params)
        self.add(phase, time.perf_counter() - t)
        return cursor.rowcount

    @property
    def total(self) -> float:
        return time.perf_counter() - self.started


def log(message: str) -> None:
    print(message, flush=True)


# ---------------------------------------------------------------- the fill


def reference_data() -> dict:
    from django.contrib.auth.models import Permission
    from django.db import transaction

    from accounts.models import Location, Organisation, User
    from accounts.services import organisation_team
    from cases.models import Counterparty, KindOfCase, LegalArea

    targets = []  # (lo, hi, location, organisation, registered_by, partner org, partner user,
    #                advocatuur, advocaat, postcode lo, postcode span)
    cumulative = 0.0
    kinds = Organisation.Kind
    for slug, share in LOCATION_WEIGHTS.items():
        location = Location.objects.get(slug=slug)
        orgs = {o.kind: o for o in Organisation.objects.filter(location=location)}
        users = {
            u.email.split(".")[0]: u
            for u in User.objects.filter(email__endswith=f".{slug}@example.org")
        }
        loket, raad = orgs[kinds.JURIDISCH_LOKET], orgs[kinds.SOCIAAL_RAADSLIEDEN]
        advocatuur = orgs[kinds.SOCIALE_ADVOCATUUR]
        pc_lo, pc_span = POSTCODES[slug]
        for org, user, partner, partner_user, org_share in (
            (loket, users["eerstelijn"], raad, users["raadsman"], LOKET_SHARE),
            (raad, users["raadsman"], loket, users["eerstelijn"], 1 - LOKET_SHARE),
        ):
            lo, cumulative = cumulative, cumulative + share * org_share
            targets.append(
                (
                    lo,
                    cumulative,
                    location.pk,
                    org.pk,
                    user.pk,
                    partner.pk,
                    partner_user.pk,
                    advocatuur.pk,
                    users["advocaat"].pk,
                    pc_lo,
                    pc_span,
                )
            )
    targets[-1] = (targets[-1][0], 1.000001, *targets[-1][2:])  # no gap from rounding

    areas = []
    cumulative = 0.0
    for slug, share in LEGAL_AREA_WEIGHTS.items():
        area = LegalArea.objects.get(slug=slug)
        lo, cumulative = cumulative, cumulative + share
        kind_ids = list(
            KindOfCase.objects.filter(legal_area=area).order_by("pk").values_list("pk", flat=True)
        )
        areas.append((lo, cumulative, area.pk, kind_ids))
    areas[-1] = (areas[-1][0], 1.000001, *areas[-1][2:])
    counterparties = list(Counterparty.objects.order_by("pk").values_list("pk", flat=True))
    with transaction.atomic():  # every team that receives handovers has its guardian group
        for organisation in Organisation.objects.all():
            organisation_team(organisation)
    permissions = dict(
        Permission.objects.filter(
            content_type__app_label="cases",
            codename__in=["advise_case", "handle_case", "reveal_identity"],
        ).values_list("codename", "pk")
    )
    return {
        "targets": targets,
        "areas": areas,
        "counterparties": counterparties,
        "permissions": {
            "advise": permissions["advise_case"],
            "handle": permissions["handle_case"],
            "reveal": permissions["reveal_identity"],
        },
    }


def identity_pool() -> list[str]:
    from cases import vault

    pool = []
    for k, name in enumerate(FAKE_NAMES * 4):
        identity = vault.Identity(
            full_name=name,
            birth_date=date(1950 + k, 1 + k % 12, 1 + k % 28),
            phone=f"06-0000{k:04d}",
            postcode=f"{1011 + k} AB",
            city="Demostad",
        )
        pool.append(vault.encrypt_identity(identity.to_dict()))
    return pool


def prepare_session(cursor, ref: dict) -> None:
    cursor.execute("SET synchronous_commit = off")
    # Foreign keys are checked by triggers, deferred to COMMIT by Django: about a third of the
    # time. The rows are built from existing rows, so they hold by construction; replica mode
    # skips the triggers and check_foreign_keys() verifies the result at the end.
    cursor.execute("SET session_replication_role = replica")
    cursor.execute("SET work_mem = '64MB'")
    cursor.execute("SET maintenance_work_mem = '512MB'")
    cursor.execute(CASE_NUMBER_FUNCTION)
    cursor.execute("DROP TABLE IF EXISTS bench_targets, bench_areas")
    cursor.execute(
        "CREATE TEMP TABLE bench_targets (lo float8, hi float8, location_id bigint,"
        " organisation_id bigint, user_id bigint, partner_org_id bigint, partner_user_id bigint,"
        " advocatuur_id bigint, advocaat_id bigint, pc_lo int, pc_span int)"
    )
    cursor.executemany(
        "INSERT INTO bench_targets VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        ref["targets"],
    )
    cursor.execute(
        "CREATE TEMP TABLE bench_areas (lo float8, hi float8, area_id bigint, kinds bigint[])"
    )
    cursor.executemany("INSERT INTO bench_areas VALUES (%s, %s, %s, %s)", ref["areas"])
    cursor.execute("ANALYZE bench_targets")
    cursor.execute("ANALYZE bench_areas")


GEN_SQL = """
CREATE TEMP TABLE bench_gen ON COMMIT DROP AS
WITH r AS MATERIALIZED (
    SELECT i, random() AS u_loc, random() AS u_age, random() AS u_time, random() AS u_fc,
           random() AS u_status, random() AS u_close, random() AS u_a, random() AS u_b,
           random() AS u_c, random() AS u_d, random() AS u_e, random() AS u_f, random() AS u_g,
           random() AS u_h, random() AS u_k, random() AS u_m, random() AS u_n, random() AS u_p
    FROM generate_series(%(lo)s::bigint, %(hi)s::bigint - 1) AS i
),
a AS (
    SELECT r.*, t.location_id, t.organisation_id, t.user_id, t.partner_org_id, t.partner_user_id,
           t.advocatuur_id, t.advocaat_id, t.pc_lo, t.pc_span,
           -- age in days: density falls linearly over 3 years, so recent cases are more likely
           current_date - floor(1095 * (1 - sqrt(r.u_age)))::int AS d0
    FROM r JOIN bench_targets t ON r.u_loc >= t.lo AND r.u_loc < t.hi
),
b AS (
    SELECT a.*,
           -- office hours on working days, Amsterdam time; never in the future
           -- (Saturday moves to Friday, Sunday to Monday)
           LEAST(now(), ((a.d0 + CASE extract(isodow FROM a.d0) WHEN 6 THEN -1 WHEN 7 THEN 1
                                                                  ELSE 0 END)
                         + time '08:30' + a.u_time * interval '8 hours 30 minutes')
                        AT TIME ZONE 'Europe/Amsterdam') AS registered_at,
           {status} AS status
    FROM a
),
c AS (
    SELECT b.*,
           (b.registered_at AT TIME ZONE 'Europe/Amsterdam')::date
               - floor(15 * b.u_fc * b.u_fc)::int AS first_contact_on
    FROM b
)
SELECT nextval(pg_get_serial_sequence('cases_case', 'id')) AS id, c.*,
       pg_temp.bench_case_number(c.i) AS number,
       CASE WHEN c.status = 'gesloten'
            THEN LEAST(current_date, c.first_contact_on + floor(-ln(1 - c.u_close) * 35)::int)
       END AS closed_on,
       CASE WHEN c.u_a < 0.6 THEN 1 WHEN c.u_a < 0.9 THEN 2 ELSE 3 END AS n_sub,
       c.u_b < 0.30 AS has_note,
       c.u_c < 0.60 AS has_identity,
       -- warm handover to the other first-line team of the location (accepted: a team grant)
       (c.status = 'doorverwezen' AND c.u_d < 0.30) AS team_handover,
       -- consult with the location's sociale advocatuur: pending while waiting, accepted with
       -- advice (and a personal grant) for a third of the closed cases
       CASE WHEN c.status = 'wacht_tweedelijn' THEN 'open'
            WHEN c.status = 'gesloten' AND c.u_d < 0.30 THEN 'geaccepteerd' END AS consult,
       floor(c.u_e * 4)::int AS n_views
FROM c
"""

CASE_INSERT = """
INSERT INTO cases_case (id, number, location_id, organisation_id, registered_by_id,
    first_contact_on, registered_at, closed_on, updated_at, channel, status, question,
    solution_reached, solution_where, age_band, postcode_area, household, income, counterparty_id,
    counterparty_other, research_consent, anonymised_at)
SELECT g.id, g.number, g.location_id, g.organisation_id, g.user_id, g.first_contact_on,
    g.registered_at, g.closed_on,
    LEAST(now(), GREATEST(g.registered_at,
        COALESCE((g.closed_on + time '16:00') AT TIME ZONE 'Europe/Amsterdam', g.registered_at))),
    {channel}, g.status,
    (%(questions)s::text[])[1 + floor(g.u_g * cardinality(%(questions)s::text[]))::int],
    CASE WHEN g.status = 'gesloten' THEN {reached} ELSE '' END,
    CASE WHEN g.status <> 'gesloten' THEN ''
         WHEN {reached} = 'nee' THEN 'geen'
         ELSE {where} END,
    {age_band},
    CASE WHEN g.u_n < 0.85 THEN (g.pc_lo + floor(g.u_p * g.pc_span)::int)::text ELSE '' END,
    {household}, {income},
    CASE WHEN g.u_m < 0.75
         THEN (%(counterparties)s::bigint[])[
             1 + floor(g.u_p * cardinality(%(counterparties)s::bigint[]))::int]
    END,
    '', g.u_n < 0.55, NULL
FROM bench_gen g
"""

SUBPROBLEM_INSERT = """
INSERT INTO cases_subproblem (case_id, position, legal_area_id, kind_of_case_id, analysis,
    referral_useful)
SELECT s.id, s.position, a.area_id, a.kinds[1 + floor(s.u2 * cardinality(a.kinds))::int],
    CASE WHEN s.u3 < 0.7
         THEN (%(analyses)s::text[])[1 + floor(s.u4 * cardinality(%(analyses)s::text[]))::int]
         ELSE '' END,
    {referral}
FROM (
    SELECT g.id, p AS position, random() AS u1, random() AS u2, random() AS u3, random() AS u4,
           random() AS u5
    FROM bench_gen g, generate_series(1, g.n_sub) AS p
) s
JOIN bench_areas a ON s.u1 >= a.lo AND s.u1 < a.hi
"""

NOTE_INSERT = """
INSERT INTO cases_note (case_id, author_id, line, text, created_at)
SELECT g.id, g.user_id, 'eerste',
    (%(notes)s::text[])[1 + floor(g.u_f * cardinality(%(notes)s::text[]))::int],
    LEAST(now(), g.registered_at + g.u_h * interval '10 days')
FROM bench_gen g WHERE g.has_note
"""

IDENTITY_INSERT = """
INSERT INTO cases_clientidentity (case_id, organisation_id, identity_hash, name_hash, encrypted,
    created_at, destroyed_at)
SELECT g.id, g.organisation_id,
    CASE WHEN destroyed THEN ''
         ELSE encode(sha256(convert_to('bench-client-' || client, 'UTF8')), 'hex') END,
    CASE WHEN destroyed THEN ''
         ELSE encode(sha256(convert_to('bench-name-' || client, 'UTF8')), 'hex') END,
    CASE WHEN destroyed THEN ''
         ELSE (%(pool)s::text[])[1 + (client %% cardinality(%(pool)s::text[]))::int] END,
    g.registered_at,
    CASE WHEN destroyed THEN (g.closed_on + 365 + time '03:17') AT TIME ZONE 'Europe/Amsterdam' END
FROM (
    -- about one client in five comes back: an earlier case with the same keyed hash
    SELECT g.*, floor(g.u_k * %(clients)s)::bigint AS client,
           (g.closed_on IS NOT NULL AND g.closed_on < current_date - 365) AS destroyed
    FROM bench_gen g WHERE g.has_identity
) g
"""

HANDOVER_INSERT = """
INSERT INTO cases_handover (case_id, from_organisation_id, to_organisation_id, to_advocaat_id,
    context, client_consent, identity_consent, status, decline_reason, created_by_id, created_at,
    decided_by_id, decided_at)
SELECT g.id, g.organisation_id, g.partner_org_id, NULL, (%(context)s::text[])[2], true,
    g.u_k < 0.5,
    'geaccepteerd', '', g.user_id, h.at, g.partner_user_id, LEAST(now(), h.at + interval '1 day')
FROM bench_gen g, LATERAL (SELECT LEAST(now(), g.registered_at + interval '2 days') AS at) h
WHERE g.team_handover
UNION ALL
SELECT g.id, g.organisation_id, g.advocatuur_id, g.advocaat_id, (%(context)s::text[])[3], true,
    false,
    g.consult, '', g.user_id, h.at,
    CASE WHEN g.consult = 'geaccepteerd' THEN g.advocaat_id END,
    CASE WHEN g.consult = 'geaccepteerd' THEN LEAST(now(), h.at + interval '1 day') END
FROM bench_gen g, LATERAL (SELECT LEAST(now(), g.registered_at + interval '1 day') AS at) h
WHERE g.consult IS NOT NULL
"""

# Grants are django-guardian object permissions (cases.models.CaseUserPermission and
# CaseTeamPermission): an accepted handover to a team gives its group handle_case (and
# reveal_identity with consent); a consult with an advocaat gives them advise_case.
TEAM_GRANT_INSERT = """
INSERT INTO cases_caseteampermission (group_id, permission_id, content_object_id, granted_at)
SELECT o.team_id, p.id, h.case_id, h.decided_at
FROM cases_handover h
JOIN accounts_organisation o ON o.id = h.to_organisation_id
CROSS JOIN LATERAL (
    SELECT %(handle)s::bigint AS id UNION ALL SELECT %(reveal)s WHERE h.identity_consent
) p
WHERE h.case_id BETWEEN %(first)s AND %(last)s AND h.status = 'geaccepteerd'
    AND h.to_advocaat_id IS NULL
"""

PERSON_GRANT_INSERT = """
INSERT INTO cases_caseuserpermission (user_id, permission_id, content_object_id, granted_at)
SELECT h.to_advocaat_id, %(advise)s, h.case_id, h.decided_at
FROM cases_handover h
WHERE h.case_id BETWEEN %(first)s AND %(last)s AND h.status = 'geaccepteerd'
    AND h.to_advocaat_id IS NOT NULL
"""

# The status history as cases_0005 makes it: registered, then the current status (taken over
# from the data of before the history: no actor, reason 'overgenomen').
HISTORY_INSERT = """
INSERT INTO cases_casestatuschange (case_id, from_status, to_status, at, actor_id, reason)
SELECT c.id, '', 'open', c.registered_at, c.registered_by_id, 'geregistreerd'
FROM cases_case c WHERE c.id BETWEEN %(first)s AND %(last)s
UNION ALL
SELECT c.id, 'open', c.status,
    GREATEST(c.registered_at,
        COALESCE((c.closed_on + time '12:00') AT TIME ZONE 'Europe/Amsterdam', c.updated_at)),
    NULL, 'overgenomen'
FROM cases_case c WHERE c.id BETWEEN %(first)s AND %(last)s AND c.status <> 'open'
"""

ADVICE_INSERT = """
INSERT INTO cases_secondlineadvice (subproblem_id, advocaat_id, analysis, analysis_match,
    referral_useful, takes_case, continuation, certificate_otherwise, feedback, feedback_note,
    occasion, created_at, updated_at)
SELECT s.id, h.to_advocaat_id,
    (%(analyses)s::text[])[1 + (s.id %% cardinality(%(analyses)s::text[]))::int],
    {match}, {referral}, u.u3 < 0.15, {continuation}, {certificate}, '{{}}'::varchar[], '',
    'raadpleging', LEAST(now(), h.decided_at + interval '3 days'),
    LEAST(now(), h.decided_at + interval '3 days')
FROM cases_handover h
JOIN cases_subproblem s ON s.case_id = h.case_id AND s.position = 1,
LATERAL (SELECT random() + 0 * s.id AS u1, random() + 0 * s.id AS u2, random() + 0 * s.id AS u3,
                random() + 0 * s.id AS u4, random() + 0 * s.id AS u5) u
WHERE h.case_id BETWEEN %(first)s AND %(last)s AND h.status = 'geaccepteerd'
    AND h.to_advocaat_id IS NOT NULL
"""

AUDIT_INSERT = """
INSERT INTO cases_auditentry (at, actor_id, action, case_id, object_type, object_id, reason, detail)
SELECT g.registered_at, g.user_id, 'create', g.id, '', '', '',
    jsonb_build_object('subproblems', g.n_sub, 'identity', g.has_identity)
FROM bench_gen g
UNION ALL
SELECT CASE WHEN g.closed_on IS NOT NULL
            THEN LEAST(now(), GREATEST(
                g.registered_at, (g.closed_on + time '16:00') AT TIME ZONE 'Europe/Amsterdam'))
            ELSE LEAST(now(), g.registered_at + interval '3 days') END,
    g.user_id, 'status', g.id, '', '', '', jsonb_build_object('from', 'open', 'to', g.status)
FROM bench_gen g WHERE g.status <> 'open'
UNION ALL
SELECT LEAST(now(), g.registered_at + v * interval '1 day'), g.user_id, 'view', g.id, '', '', '',
    '{}'::jsonb
FROM bench_gen g, generate_series(1, g.n_views) AS v
UNION ALL
SELECT n.created_at, n.author_id, 'note', n.case_id, 'cases.Note', n.id::text, '', '{}'::jsonb
FROM cases_note n WHERE n.case_id BETWEEN %(first)s AND %(last)s
UNION ALL
SELECT h.created_at, h.created_by_id, 'handover', h.case_id, 'cases.Handover', h.id::text, '',
    '{}'::jsonb
FROM cases_handover h WHERE h.case_id BETWEEN %(first)s AND %(last)s
"""


def case_tables() -> list[str]:
    from cases.models import (
        AuditEntry,
        Case,
        CaseStatusChange,
        CaseTeamPermission,
        CaseUserPermission,
        ClientIdentity,
        Handover,
        Note,
        SecondLineAdvice,
        SubProblem,
    )

    models = (
        Case,
        CaseStatusChange,
        SubProblem,
        Note,
        Handover,
        CaseTeamPermission,
        CaseUserPermission,
        ClientIdentity,
        SecondLineAdvice,
        AuditEntry,
    )
    tables = [m._meta.db_table for m in models]
    tables += [
        SubProblem.considered_organisations.through._meta.db_table,
        SecondLineAdvice.fitting_organisations.through._meta.db_table,
    ]
    return tables


def check_foreign_keys(cursor) -> None:
    """Every foreign key of the case tables points at an existing row (replica mode skipped the
    triggers). One anti-join per foreign key, over the whole tables."""
    from django.apps import apps

    from cases.models import Case

    tables = set(case_tables())
    for model in apps.get_models(include_auto_created=True):
        if model._meta.db_table not in tables:
            continue
        for field in model._meta.concrete_fields:
            if not field.is_relation or not field.db_constraint:
                continue
            target = field.related_model._meta
            cursor.execute(
                f"SELECT count(*) FROM {model._meta.db_table} t WHERE t.{field.column} IS NOT NULL"
                f" AND NOT EXISTS (SELECT 1 FROM {target.db_table} r"
                f" WHERE r.{target.pk.column} = t.{field.column})"
            )
            missing = cursor.fetchone()[0]
            if missing:
                raise SystemExit(
                    f"{missing} rows of {model._meta.db_table}.{field.column} point nowhere"
                )
    assert Case  # the import registers the models' tables above


def index_state_file() -> Path:
    from django.db import connection

    return RESULTS / f"dropped-indexes-{connection.settings_dict['NAME']}.json"


def drop_indexes(cursor) -> int:
    """Drop the plain indexes of the case tables (primary keys and unique constraints stay: the
    fill relies on them). Building an index once over all rows is several times faster than
    updating it row by row. The definitions are saved to a file first, so an interrupted run
    puts them back when it is started again (restore_indexes)."""
    cursor.execute(
        "SELECT pg_get_indexdef(i.indexrelid), i.indexrelid::regclass::text FROM pg_index i"
        " WHERE i.indrelid = ANY(%s::regclass[])"
        " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
        [case_tables()],
    )
    rows = cursor.fetchall()
    RESULTS.mkdir(parents=True, exist_ok=True)
    index_state_file().write_text(json.dumps([definition for definition, _ in rows], indent=1))
    for _, name in rows:
        cursor.execute(f"DROP INDEX {name}")
    return len(rows)


def restore_indexes(cursor) -> int:
    path = index_state_file()
    if not path.exists():
        return 0
    definitions = json.loads(path.read_text())
    for definition in definitions:
        cursor.execute(definition.replace(" INDEX ", " INDEX IF NOT EXISTS ", 1))
    path.unlink()
    return len(definitions)


def statements(cases: int, ref: dict) -> list[tuple[str, str, dict]]:
    """(phase, SQL, parameters) per table, in insertion order; `first`/`last` added per batch."""
    case_sql = CASE_INSERT.format(
        channel=pick("g.u_a", CHANNELS),
        reached=pick("g.u_b", SOLUTION_REACHED),
        where=pick("g.u_c", SOLUTION_WHERE),
        age_band=pick("g.u_k", AGE_BANDS),
        household=pick("g.u_m", HOUSEHOLDS),
        income=pick("g.u_e", INCOMES),
    )
    advice_sql = ADVICE_INSERT.format(
        match=pick("u.u1", ANALYSIS_MATCH),
        referral=pick("u.u2", REFERRAL_USEFUL),
        continuation=pick("u.u4", CONTINUATION),
        certificate=pick("u.u5", REFERRAL_USEFUL),
    )
    return [
        ("cases", case_sql, {"questions": QUESTIONS, "counterparties": ref["counterparties"]}),
        (
            "subproblems",
            SUBPROBLEM_INSERT.format(referral=pick("s.u5", REFERRAL_USEFUL)),
            {"analyses": ANALYSES},
        ),
        ("notes", NOTE_INSERT, {"notes": NOTES}),
        ("identities", IDENTITY_INSERT, {"pool": identity_pool(), "clients": int(cases * 0.5)}),
        ("handovers", HANDOVER_INSERT, {"context": HANDOVER_CONTEXT}),
        ("status history", HISTORY_INSERT, {}),
        ("team grants", TEAM_GRANT_INSERT, ref["permissions"]),
        ("person grants", PERSON_GRANT_INSERT, ref["permissions"]),
        ("advice", advice_sql, {"analyses": ANALYSES}),
        ("audit", AUDIT_INSERT, {}),
    ]


def insert_batches(
    cursor, phases: Phases, counts: dict, start: int, cases: int, batch: int, ref: dict
) -> None:
    from django.db import transaction

    gen_sql = GEN_SQL.format(status=pick("a.u_status", STATUSES))
    todo = statements(cases, ref)
    for lo in range(start, cases, batch):
        hi = min(cases, lo + batch)
        t_batch = time.perf_counter()
        with transaction.atomic():
            phases.run("generate", cursor, gen_sql, {"lo": lo, "hi": hi})
            # a number made by new_case_number() could, very rarely, be one of ours
            cursor.execute("DELETE FROM bench_gen g USING cases_case c WHERE c.number = g.number")
            cursor.execute("SELECT min(id), max(id) FROM bench_gen")
            first, last = cursor.fetchone()
            for phase, sql, params in todo:
                rows = phases.run(phase, cursor, sql, {**params, "first": first, "last": last})
                counts[phase] = counts.get(phase, 0) + rows
        log(
            f"  cases {lo:>9,} - {hi:>9,} in {time.perf_counter() - t_batch:5.1f} s"
            f"  (total {phases.total:6.1f} s)"
        )


def fill(*, cases: int, reset: bool, batch: int, seed: float) -> dict:
    from django.db import connection

    phases = Phases()
    ref = reference_data()
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        prepare_session(cursor, ref)
        cursor.execute("SELECT pg_temp.bench_case_number(0), pg_temp.bench_case_number(987654)")
        if cursor.fetchone() != (case_number(0), case_number(987654)):
            raise SystemExit("the SQL and Python case numbers differ")
        if restored := restore_indexes(cursor):
            log(f"  put back {restored} indexes that an interrupted run had dropped")
        if reset:
            t = time.perf_counter()
            # the audit log refuses TRUNCATE unless the session allows it (cases migration
            # 0007); a benchmark database (the name is checked above) may be emptied
            cursor.execute("SET pilot.audit_truncate = 'allowed'")
            cursor.execute(f"TRUNCATE {', '.join(case_tables())} RESTART IDENTITY CASCADE")
            phases.add("reset (truncate)", time.perf_counter() - t)
            log(f"  truncated the case tables in {time.perf_counter() - t:.1f} s")
        cursor.execute("SELECT count(*) FROM cases_case")
        existing = cursor.fetchone()[0]
        if existing >= cases:
            log(f"  {existing:,} cases present (>= {cases:,}): nothing to insert (--reset refills)")
        else:
            if existing:
                log(f"  {existing:,} cases present: adding {cases - existing:,}")
            cursor.execute("SELECT setseed(%s)", [seed])
            if cases - existing >= 4 * batch and existing < cases // 4:
                t = time.perf_counter()
                dropped = drop_indexes(cursor)
                phases.add("indexes (drop)", time.perf_counter() - t)
                log(f"  dropped {dropped} indexes; they are built again after the inserts")
            try:
                insert_batches(cursor, phases, counts, existing, cases, batch, ref)
            finally:
                t = time.perf_counter()
                if built := restore_indexes(cursor):
                    phases.add("indexes (build)", time.perf_counter() - t)
                    log(f"  built {built} indexes in {time.perf_counter() - t:.1f} s")
        if counts:
            t = time.perf_counter()
            check_foreign_keys(cursor)
            phases.add("foreign-key check", time.perf_counter() - t)
        # VACUUM can't run in a transaction block; Django's cursor is in autocommit here
        t = time.perf_counter()
        for table in case_tables():
            cursor.execute(f"VACUUM (ANALYZE) {table}")
        phases.add("vacuum analyze", time.perf_counter() - t)
        cursor.execute("SELECT count(*) FROM cases_case")
        total_cases = cursor.fetchone()[0]
    return {"phases": phases.seconds, "rows": counts, "cases": total_cases}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000, help="how many cases in total")
    parser.add_argument("--reset", action="store_true", help="truncate the case tables first")
    parser.add_argument("--batch", type=int, default=BATCH, help="cases per INSERT (100000)")
    parser.add_argument("--seed", type=float, default=0.42, help="setseed() for random(), -1..1")
    parser.add_argument(
        "--database-url", default=os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    )
    args = parser.parse_args(argv)

    url = args.database_url
    name = database_name(url)
    if not name.startswith("pilot_bench"):
        parser.error(f"refusing to fill database {name!r}: its name must start with 'pilot_bench'")
    if args.cases > MAX_INDEX:
        parser.error(f"--cases at most {MAX_INDEX:,}")

    started = time.perf_counter()
    t = time.perf_counter()
    created = ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "pilot.settings"
    # seed_demo's mails (piket bookings) and INFO logs would drown the timings
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    log(f"database {name} {'created' if created else 'exists'}: migrate, seed_demo")
    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("seed_demo", force=True, stdout=io.StringIO())
    setup_seconds = time.perf_counter() - t
    log(f"  setup in {setup_seconds:.1f} s")

    result = fill(cases=args.cases, reset=args.reset, batch=args.batch, seed=args.seed)
    phases = {"setup (create, migrate, seed_demo)": setup_seconds, **result["phases"]}
    total = time.perf_counter() - started

    log("")
    log("| phase | seconds |\n|---|---:|")
    for phase, seconds in phases.items():
        log(f"| {phase} | {seconds:.1f} |")
    log(f"| **total** | **{total:.1f}** |")
    if result["rows"]:
        log("\nrows inserted: " + ", ".join(f"{k} {v:,}" for k, v in result["rows"].items()))
    log(f"cases in {name}: {result['cases']:,}")

    RESULTS.mkdir(parents=True, exist_ok=True)
    if not result["rows"]:
        log("nothing inserted: the fill record of the earlier run stays")
        return 0
    record = {
        "database": name,
        "cases": result["cases"],
        "requested": args.cases,
        "reset": args.reset,
        "phases": phases,
        "rows": result["rows"],
        "total_seconds": total,
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    (RESULTS / f"fill-{name}.json").write_text(json.dumps(record, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
