"""Demo data of the library: a handful of adopted entries (one of them a task division with
rows, so the task matrix has content, and the quality requirement its rows link to), an entry in
consultation waiting for the advocatuur's support, and an idea. Made through the services,
the workflow included; idempotent: made once."""

from __future__ import annotations

from django.db import transaction

from accounts import access
from accounts.models import Organisation, User
from bestpractices import services
from bestpractices.models import Entry
from cases.models import KindOfCase, LegalArea

AUTHOR = "eerstelijn"
RAADSMAN = "raadsman"
ADVOCAAT = "advocaat"
COORDINATOR = "coordinator"

ENTRIES = [
    {
        "kind": Entry.Kind.QUALITY_REQUIREMENT,
        "title": "Kwaliteitseis: stukken compleet bij doorverwijzing naar de advocaat",
        "summary": "Wie doorverwijst, stuurt de beschikking, de brieven en de termijnen mee.",
        "body": (
            "## Wat er mee moet\n\n- het besluit of de beschikking\n- de brieven van de "
            "wederpartij\n- de termijn die loopt (bezwaar, beroep, dagvaarding)\n\n"
            "## Waarom\n\nDe advocaat kan dan in het eerste gesprek adviseren."
        ),
        "areas": ["huurrecht", "sociale-voorzieningen"],
        "tags": ["doorverwijzen", "termijnen"],
    },
    {
        "kind": Entry.Kind.TASK_DIVISION,
        "title": "Taakverdeling huurrecht: eerste en tweede lijn",
        "summary": "Wat de eerste lijn zelf doet bij huurzaken, en wanneer de advocaat nodig is.",
        "body": "De rijen hieronder zijn afgesproken door de drie lijnen in de pilot.",
        "areas": ["huurrecht"],
        "tags": ["huur", "verhuurder", "huurcommissie"],
        "rows": [
            (
                "huurrecht",
                "Huurprijs en huurverhoging",
                "Uitleggen of de verhoging boven het maximum ligt; bezwaar bij de "
                "huurcommissie opstellen.",
                "Als de verhuurder naar de kantonrechter gaat.",
            ),
            (
                "huurrecht",
                "Huurachterstand en ontruiming",
                "Een betalingsregeling voorstellen; schuldhulp inschakelen.",
                "Bij een dagvaarding of een ontruimingsvonnis: direct.",
            ),
        ],
    },
    {
        "kind": Entry.Kind.WAY_OF_WORKING,
        "title": "Warme overdracht bij een bijstandsbesluit",
        "summary": "Bel samen met de rechtzoekende de sociaal raadsman voordat de termijn loopt.",
        "body": (
            "## Aanpak\n\n1. Controleer de bezwaartermijn (zes weken).\n2. Bel samen.\n"
            "3. Leg de afspraak vast in de casus."
        ),
        "areas": ["sociale-voorzieningen"],
        "tags": ["bijstand", "participatiewet", "warme overdracht"],
    },
    {
        "kind": Entry.Kind.REFERRAL_ROUTE,
        "title": "Verwijsroute schulden: van loket naar schuldhulp",
        "summary": "Bij problematische schulden verwijst het loket naar de gemeentelijke schuldhulp.",
        "body": "Vraag toestemming en meld aan via het formulier van de gemeente.",
        "areas": ["verbintenissenrecht"],
        "tags": ["schulden", "schuldhulp"],
    },
]

IN_CONSULTATION = {
    "kind": Entry.Kind.COOPERATION_AGREEMENT,
    "title": "Afspraak: terugbellen binnen twee werkdagen na een verwijzing",
    "summary": "De ontvangende organisatie belt de rechtzoekende binnen twee werkdagen.",
    "body": "Lukt dat niet, dan laat zij het de verwijzer weten.",
    "areas": ["arbeidsrecht"],
    "tags": ["terugbellen", "verwijzing"],
}

IDEA = {
    "kind": Entry.Kind.MODEL_TEXT,
    "title": "Modelbrief bezwaar tegen terugvordering toeslagen",
    "summary": "Een korte brief die de eerste lijn samen met de rechtzoekende invult.",
    "body": "",
    "areas": ["sociale-voorzieningen"],
    "tags": ["toeslagen"],
}


def _user(prefix: str) -> User | None:
    return User.objects.filter(email=f"{prefix}.utrecht@example.org").first()


def _data(spec: dict) -> services.EntryData:
    return services.EntryData(
        kind=spec["kind"],
        title=spec["title"],
        summary=spec["summary"],
        body=spec["body"],
        legal_areas=list(LegalArea.objects.filter(slug__in=spec["areas"])),
        tags=spec["tags"],
    )


def _endorse(entry: Entry, users: list[User]) -> None:
    for user in users:
        for organisation in access.organisations_where(user, "bestpractices.take_part"):
            if organisation.kind != Organisation.Kind.OTHER:
                services.entry_endorse(user=user, entry=entry, organisation=organisation)
                break


def _into_consultation(author: User, spec: dict) -> Entry:
    entry = services.entry_propose(user=author, data=_data(spec))
    services.entry_transition(user=author, entry=entry, to=Entry.Status.DRAFT)
    services.entry_transition(user=author, entry=entry, to=Entry.Status.CONSULTATION)
    entry.refresh_from_db()
    return entry


@transaction.atomic
def seed(stdout) -> None:
    if Entry.objects.exists():
        return
    author, raadsman, advocaat, coordinator = (
        _user(AUTHOR),
        _user(RAADSMAN),
        _user(ADVOCAAT),
        _user(COORDINATOR),
    )
    if None in (author, raadsman, advocaat, coordinator):
        return
    quality = None
    for spec in ENTRIES:
        entry = _into_consultation(author, spec)
        _endorse(entry, [author, raadsman, advocaat])
        if spec.get("rows"):
            rows = [
                services.TaskRowData(
                    legal_area=LegalArea.objects.get(slug=area),
                    kind_of_case=KindOfCase.objects.filter(
                        legal_area__slug=area, name=kind
                    ).first(),
                    first_line_can=can,
                    second_line_when=when,
                    quality_requirements=[quality] if quality else [],
                )
                for area, kind, can, when in spec["rows"]
            ]
            services.task_rows_save(user=author, entry=entry, rows=rows)
        services.entry_transition(
            user=coordinator, entry=entry, to=Entry.Status.ADOPTED, is_public=True
        )
        if spec["kind"] == Entry.Kind.QUALITY_REQUIREMENT:
            quality = entry
    waiting = _into_consultation(author, IN_CONSULTATION)
    _endorse(waiting, [author, raadsman])
    services.entry_propose(user=raadsman, data=_data(IDEA))
    stdout.write(
        f"Bibliotheek: {len(ENTRIES)} vastgestelde praktijkvoorbeelden, één in consultatie, "
        "één idee."
    )
