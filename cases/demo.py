"""Demo data of cases: a sociale kaart per location and realistic, invented cases.

Runs after accounts' demo data (seed_demo). Goes through the same services as the pages, so the
audit log, the vault and the grants are as they would be. Idempotent: cases are made once.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from accounts.models import Location, Organisation, User
from cases.models import Case, CaseStatusChange, Counterparty, KindOfCase, LegalArea, SocialMapEntry
from cases.services import secondline
from cases.services.cases import (
    SubProblemData,
    case_register,
    identity_set,
    note_add,
)
from cases.services.status import case_status_change
from cases.vault import Identity

SOCIAL_MAP = [
    ("Huurteam {city}", ["huurrecht"], ["juridisch_advies", "wonen"]),
    (
        "Schuldhulpverlening gemeente {city}",
        ["verbintenissenrecht", "consumentenrecht"],
        ["schuldhulp"],
    ),
    (
        "Sociaal wijkteam {city}",
        ["sociale-voorzieningen"],
        ["maatschappelijk_werk", "administratie"],
    ),
    ("Vluchtelingenwerk {city}", ["vreemdelingenrecht"], ["juridisch_advies", "taal"]),
    (
        "Formulierenbrigade {city}",
        ["sociale-voorzieningen", "sociale-verzekeringen"],
        ["administratie", "inkomen"],
    ),
]
NATIONAL_MAP = [
    ("Landelijke hulplijn toeslagen (demo)", ["sociale-voorzieningen"], ["inkomen"]),
    ("Landelijk meldpunt arbeidsuitbuiting (demo)", ["arbeidsrecht"], ["juridisch_advies", "werk"]),
]

ANALYSES = {
    "huurrecht": "Verhuurder wil de huur met 9% verhogen; geen voorstel via het model van de Huurcommissie ontvangen.",
    "arbeidsrecht": "Werkgever heeft tijdens ziekte opgezegd; opzegverbod lijkt van toepassing.",
    "sociale-voorzieningen": "Terugvordering bijstand over twee jaar wegens samenwonen; bezwaartermijn loopt nog drie weken.",
    "sociale-verzekeringen": "WW geweigerd wegens verwijtbare werkloosheid; ontslag met wederzijds goedvinden zonder ontslagvergoeding.",
    "consumentenrecht": "Energieleverancier rekent een hoge eindafrekening; meterstanden lijken niet te kloppen.",
    "verbintenissenrecht": "Incassobureau rekent incassokosten die hoger zijn dan wettelijk toegestaan.",
    "vreemdelingenrecht": "Aanvraag verblijfsvergunning bij partner afgewezen op het inkomensvereiste.",
}
NOTES = [
    "Stukken opgevraagd bij de rechtzoekende; volgende week terugbellen.",
    "Bezwaarschrift samen opgesteld en verstuurd.",
    "Rechtzoekende verwezen naar het spreekuur; afspraak staat.",
]
FIRST_NAMES = [
    "Ayse",
    "Mohamed",
    "Johanna",
    "Kees",
    "Fatima",
    "Willem",
    "Samira",
    "Henk",
    "Naima",
    "Gerrit",
]
LAST_NAMES = ["Voorbeeld", "Testhuis", "Demostra", "Fictief", "Verzonnen", "Proefmans"]


def seed(stdout) -> None:
    rng = random.Random(2020)  # the pilot's year: the same demo data on every machine
    for location in Location.objects.filter(is_active=True).order_by("name"):
        _seed_social_map(location)
    if Case.objects.exists():
        stdout.write("Casussen: demogegevens bestonden al.")
        return
    count = 0
    for location in Location.objects.filter(is_national=False).order_by("name"):
        count += _seed_location(location, rng)
    stdout.write(
        f"Casussen: {count} democasussen met deelproblemen, advies, notities en een overdracht."
    )


def _coordinator(location: Location) -> User | None:
    return (
        User.objects.filter(
            memberships__role="coordinator", memberships__organisation__location=location
        ).first()
        or User.objects.filter(memberships__role="coordinator").first()
    )


def _seed_social_map(location: Location) -> None:
    owner = _coordinator(location)
    if owner is None:
        return
    entries = NATIONAL_MAP if location.is_national else SOCIAL_MAP
    for position, (name, areas, help_kinds) in enumerate(entries):
        entry, created = SocialMapEntry.objects.get_or_create(
            location=location,
            name=name.format(city=location.name),
            defaults={
                "kinds_of_help": help_kinds,
                "contact_route": "Aanmelden via het algemene nummer of het webformulier van de organisatie.",
                "owner": owner,
                # one entry per location not checked for a long time, so the flag shows
                "last_checked_on": timezone.localdate()
                - timedelta(days=400 if position == 2 else 30),
            },
        )
        if created:
            entry.legal_areas.set(LegalArea.objects.filter(slug__in=areas))


def _seed_location(location: Location, rng: random.Random) -> int:
    loket = Organisation.objects.filter(location=location, kind="juridisch_loket").first()
    raadslieden = Organisation.objects.filter(location=location, kind="sociaal_raadslieden").first()
    worker = User.objects.filter(
        memberships__organisation=loket, memberships__role="eerstelijn"
    ).first()
    raadsman = User.objects.filter(
        memberships__organisation=raadslieden, memberships__role="eerstelijn"
    ).first()
    advocaat = User.objects.filter(
        memberships__role="advocaat", memberships__organisation__location=location
    ).first()
    if not (loket and raadslieden and worker and raadsman and advocaat):
        return 0
    areas = list(LegalArea.objects.filter(in_pilot_scope=True))
    counterparties = list(Counterparty.objects.all())
    today = timezone.localdate()
    made = []
    for i in range(8):
        area = rng.choice(areas)
        kind = KindOfCase.objects.filter(legal_area=area).order_by("?").first()
        subs = [
            SubProblemData(
                legal_area=area,
                kind_of_case=kind,
                analysis=ANALYSES[area.slug],
                referral_useful=rng.choice(["ja", "nee", "weet_niet"]),
            )
        ]
        if i % 3 == 0:
            other = rng.choice(areas)
            subs.append(SubProblemData(legal_area=other, analysis=ANALYSES[other.slug]))
        case = case_register(
            user=worker,
            organisation=loket,
            data={
                "first_contact_on": today - timedelta(days=rng.randint(3, 120)),
                "channel": rng.choice(["balie", "telefoon", "afspraak"]),
                "age_band": rng.choice(["18-26", "27-40", "41-65", "66+"]),
                "household": rng.choice(["alleenstaand", "eenouder", "gezin"]),
                "income": rng.choice(["uitkering", "laag", "geen"]),
                "counterparty": rng.choice(counterparties),
                "research_consent": rng.random() < 0.7,
                "question": "Wil weten of bezwaar zin heeft en wie kan helpen.",
            },
            subproblems=subs,
        )
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        identity_set(
            user=worker,
            case=case,
            identity=Identity(
                full_name=name,
                birth_date=today.replace(year=today.year - rng.randint(20, 75), day=1),
                city=location.name,
            ),
        )
        note_add(user=worker, case=case, text=rng.choice(NOTES))
        made.append(case)
    # a consult with advice on the first case
    consulted = made[0]
    secondline.consult_request(
        user=worker,
        case=consulted,
        advocaat=advocaat,
        question="Is een advocaat nodig, of kan de eerste lijn dit oppakken?",
    )
    for sub in consulted.subproblems.all():
        secondline.advice_record(
            user=advocaat,
            subproblem=sub,
            data={
                "analysis": "Eens met de analyse; bezwaar maken binnen de termijn, eerste lijn kan dit begeleiden.",
                "analysis_match": "zelfde",
                "referral_useful": "nee",
                "takes_case": False,
                "continuation": "eerstelijn",
                "certificate_otherwise": "ja",
                "feedback": [],
            },
        )
    note_add(
        user=advocaat,
        case=consulted,
        text="Telefonisch overleg gehad; advies vastgelegd per deelprobleem.",
    )
    # a warm handover to the sociaal raadslieden, accepted
    handed = made[1]
    handover = secondline.handover_create(
        user=worker,
        case=handed,
        to_organisation=raadslieden,
        context="Rechtzoekende heeft vooral hulp nodig bij de administratie rond de toeslagen.",
        client_consent=True,
        identity_consent=True,
    )
    secondline.handover_accept(user=raadsman, handover=handover)
    # a few closed cases, so time-to-solution shows
    for case in made[5:]:
        case_status_change(
            case=case,
            to=Case.Status.CLOSED,
            actor=worker,
            reason=CaseStatusChange.Reason.MANUAL,
            solution_reached=rng.choice(["ja", "ja", "nee"]),
            solution_where=rng.choice(["eerstelijn", "sociale_kaart", "advocaat"]),
            closed_on=min(today, case.first_contact_on + timedelta(days=rng.randint(2, 40))),
        )
    return len(made)
