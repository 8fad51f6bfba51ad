"""The declared access policy of the product: for every URL name, what a GET and a POST answer,
per role and per relation of the user to the object in the URL.

Plain data. tests/test_access_policy.py walks the URL resolver and checks every cell with real
objects; docs/access.md is rendered from this table:

    .venv/bin/python -m tests.access_policy > docs/access.md        (or: make docs-access)

How to read an entry:

    "cases:edit": page(
        "Casus wijzigen", CASE,                     # Dutch page name, kind of object in the URL
        get={
            FIRST_LINE: {OWN: OK, CONSULTED: OK, ELSE: NOT_FOUND},   # per relation
            ADVOCAAT: {CONSULTED: FORBIDDEN, ELSE: NOT_FOUND},
            COORDINATOR: {SAME: FORBIDDEN, ELSE: NOT_FOUND},
            RESEARCHER: FORBIDDEN,                                    # whatever the relation
            ADMINISTRATOR: FORBIDDEN,
            STUURGROEP: FORBIDDEN,
        },                                          # ANONYMOUS: LOGIN unless given
        post=AS_GET,                                # a POST answers as a GET does
    ),

A cell `should(FORBIDDEN, today=NOT_FOUND, why=...)` is how the product SHOULD answer where it
answered differently when this table was written; tests/test_access_policy.py marks a URL xfail
while only such cells differ, and fails once the product follows (then drop the `should`).
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase

# ---------------------------------------------------------------- outcomes

OK = "ok"  # past the access checks: 2xx, a 3xx not to the login page, or 400/409 (form errors)
LOGIN = "login"  # 302 to the login page (anonymous visitors)
FORBIDDEN = 403  # signed in, may see the page or object but not do this; or lacks the capability
NOT_FOUND = 404  # may not know that the object exists (or it does not)
NOT_ALLOWED = 405  # the method is not accepted (a GET on a POST-only URL), whoever asks
GONE = 410  # a link that no longer works (used or expired invitation)
ANSWERS = "answers"  # third-party pages: any answer but a server error or the login page
SERVER_ERROR = 500  # only ever as what a should(...) cell says the product answers today

OUTCOMES = (OK, LOGIN, FORBIDDEN, NOT_FOUND, NOT_ALLOWED, GONE, ANSWERS)

# ---------------------------------------------------------------- roles (accounts.models.Role)

FIRST_LINE = "eerstelijn"
ADVOCAAT = "advocaat"
COORDINATOR = "coordinator"
RESEARCHER = "onderzoeker"
ADMINISTRATOR = "beheerder"
STUURGROEP = "stuurgroep"
ANONYMOUS = "anoniem"

SIGNED_IN = (FIRST_LINE, ADVOCAAT, COORDINATOR, RESEARCHER, ADMINISTRATOR, STUURGROEP)
ROLES = (*SIGNED_IN, ANONYMOUS)
ROLE_LABELS = {
    FIRST_LINE: "first line (eerstelijn)",
    ADVOCAAT: "advocaat",
    COORDINATOR: "coordinator",
    RESEARCHER: "researcher (onderzoeker)",
    ADMINISTRATOR: "administrator (beheerder)",
    STUURGROEP: "steering group (stuurgroep)",
    ANONYMOUS: "anonymous",
}

# ---------------------------------------------------------------- relations

OWN = "own"
SAME = "same"
OTHER = "other"
CONSULTED = "consulted"
NONE = "none"
ELSE = "else"  # in a role's cells: every relation not named

RELATIONS = (OWN, SAME, OTHER, CONSULTED, NONE)
RELATION_LABELS = {
    OWN: "own",
    SAME: "same location",
    OTHER: "other location",
    CONSULTED: "consulted",
    NONE: "none",
}

# ---------------------------------------------------------------- kinds of object in a URL

CASE = "case"
HANDOVER = "handover"
CONSULT = "consult"
ASSIGNMENT = "assignment"
SWAP = "swap"
WAITLIST = "waitlist entry"
ROSTER = "roster"
SHIFT = "shift"
ENTRY = "sociale-kaart entry"
INVITATION = "invitation"
INVITATION_LINK = "invitation link"
FEED = "calendar feed"
ADVOCAAT_USER = "advocaat (person)"
EXPORT_REQUEST = "export request"
SIGNAL = "signal"
RECOMMENDATION = "recommendation"
DECISION = "decision"
SERIES = "meeting series"
MEETING = "meeting"
AGENDA_ITEM = "agenda item"
ACTION_ITEM = "action item"
MINUTES = "minutes version"
SERIES_MEMBER = "series participant"
TEMPLATE_ITEM = "agenda template item"
RESPONSE_LINK = "attendance answer link"
PUBLIC_ENTRY = "public library entry"
SYNONYM = "search synonym"
LIBRARY_ENTRY = "library entry"

# What each relation means for each kind. For every kind, `none` is an unknown key (no such
# object): it must answer as an object the user may not see does, so a URL never tells
# whether something exists.
KINDS: dict[str | None, dict[str, str]] = {
    None: {NONE: "the URL names no object"},
    CASE: {
        OWN: "registered by the user's team",
        SAME: "registered by another team at the user's location",
        OTHER: "registered at another location",
        CONSULTED: "someone else's case the user was brought in on: the advocaat consulted "
        "or booked with; for the first line, a case handed over to their team",
    },
    HANDOVER: {
        OWN: "sent by the user's team (on their own case)",
        SAME: "between other parties at the user's location",
        OTHER: "at another location",
        CONSULTED: "addressed to the user's team, or to the advocaat personally",
    },
    CONSULT: {
        OWN: "booked by the user",
        SAME: "booked by someone else at the user's location, with someone else",
        OTHER: "at another location",
        CONSULTED: "booked with the advocaat",
    },
    ASSIGNMENT: {
        OWN: "the advocaat's own turn on duty",
        SAME: "someone else's turn on duty at the user's location",
        OTHER: "at another location",
    },
    SWAP: {
        OWN: "offered by the advocaat",
        SAME: "between others at the user's location",
        OTHER: "at another location",
        CONSULTED: "offered to the advocaat",
    },
    WAITLIST: {
        OWN: "the worker's own entry",
        SAME: "someone else's entry at the user's location",
        OTHER: "at another location",
    },
    ROSTER: {SAME: "at the user's location", OTHER: "at another location"},
    SHIFT: {SAME: "at the user's location", OTHER: "at another location"},
    ENTRY: {SAME: "at the user's location", OTHER: "at another location"},
    INVITATION: {
        SAME: "for a new user at the user's location",
        OTHER: "for a new user at another location",
    },
    INVITATION_LINK: {OWN: "a valid link (its token)"},
    FEED: {OWN: "a valid feed link (its secret token)"},
    ADVOCAAT_USER: {
        OWN: "the advocaat themself",
        SAME: "an advocaat at the user's location",
        OTHER: "an advocaat at another location",
    },
    EXPORT_REQUEST: {
        OWN: "requested by the user (waiting for a decision)",
        OTHER: "requested by another researcher (waiting for a decision)",
    },
    SIGNAL: {
        OWN: "raised by the user",
        SAME: "raised by someone else at the user's location",
        OTHER: "at another location",
    },
    RECOMMENDATION: {
        SAME: "a local recommendation of the user's location",
        OTHER: "a local recommendation of another location",
    },
    DECISION: {
        SAME: "taken in a meeting of the user's location",
        OTHER: "taken in a meeting of another location",
    },
    **{
        kind: {
            OWN: f"{what}, of a series the user takes part in (at the user's location)",
            SAME: f"{what}, of a series at the user's location the user does not take part in",
            OTHER: f"{what}, of a series at another location",
        }
        for kind, what in (
            (SERIES, "the series"),
            (MEETING, "a meeting (minutes in draft)"),
            (AGENDA_ITEM, "an item (not confidential) of a meeting in draft"),
            (ACTION_ITEM, "an open action"),
            (MINUTES, "an approved minutes version"),
            (SERIES_MEMBER, "a guest"),
            (TEMPLATE_ITEM, "a line of the agenda template"),
        )
    },
    RESPONSE_LINK: {OWN: "a valid link from an agenda mail (its token)"},
    PUBLIC_ENTRY: {
        OWN: "an adopted library entry marked public",
        OTHER: "an adopted entry that is not public (a draft answers the same)",
    },
    SYNONYM: {SAME: "a row of the library's synonym list (one list for the whole pilot)"},
    LIBRARY_ENTRY: {
        OWN: "in consultation, written by the user",
        OTHER: "in consultation, written by someone else",
        SAME: "adopted, written (and owned) by someone else",
    },
}


# ---------------------------------------------------------------- building blocks


@dataclass(frozen=True)
class Should:
    """A cell where the product answered `today` when this table was written."""

    outcome: str | int
    today: str | int
    why: str


def should(outcome, *, today, why: str) -> Should:
    return Should(outcome, today, why)


def everyone(outcome) -> dict:
    """Every signed-in role gets `outcome`."""
    return dict.fromkeys(SIGNED_IN, outcome)


def only(roles: dict, otherwise=FORBIDDEN) -> dict:
    """The given roles' cells; every other signed-in role gets `otherwise`."""
    return {role: roles.get(role, otherwise) for role in SIGNED_IN}


AS_GET = "as GET"  # post=AS_GET: a POST answers as the GET does


@dataclass(frozen=True)
class Page:
    title: str  # the Dutch name of the page, as its <title> says
    kind: str | None
    get: dict
    post: dict
    note: str = ""


def page(title: str, kind: str | None = None, *, get: dict, post, note: str = "") -> Page:
    get = {ANONYMOUS: LOGIN, **get}
    post = get if post == AS_GET else {ANONYMOUS: LOGIN, **post}
    return Page(title, kind, get, post, note)


@dataclass(frozen=True)
class Group:
    """A third-party URL group (allauth, Django admin): one rule for every URL in it."""

    title: str
    prefixes: tuple[str, ...]  # URL names (namespace included) starting with one of these
    get: dict
    post: dict
    exceptions: dict  # URL name (fnmatch pattern) -> {"get": {...}, "post": {...}}: other cells
    note: str = ""


# ---------------------------------------------------------------- why some cells differ today

METHOD_FIRST = (
    "the method is checked before the capability: a request with a method the URL does not "
    "accept is 405 for everyone signed in (today the capability decorator runs first)"
)
NO_CAPABILITY_403 = (
    "a role without any capability for these pages gets 403, as on every other page "
    "(today the object lookup runs first and answers 404)"
)
HANDOVER_VISIBLE = (
    "a handover is shown on its case's page, so whoever may see the case may see the "
    "handover: deciding it is 403, not 404 (today only the addressee finds it)"
)
ASSIGNMENT_VISIBLE = (
    "the week view shows who is on duty at the user's location, so an advocaat may see a "
    "colleague's turn: acting on it is 403, not 404 (today 404: only one's own turn is found)"
)
CALENDAR_FOR_PIKET = (
    "the calendar feed lists the user's own piket shifts and consults: only first-line "
    "workers and advocaten have them (today every signed-in user gets the page and a feed; "
    "the navbar link should follow)"
)

INVITATION_ADMIN = (
    "invitations are made on the Uitnodigingen page (which mails the link); the admin's add "
    "form has no editable field and saving it fails on the database (today: a server error)"
)

POST_ONLY = everyone(NOT_ALLOWED)

# ---------------------------------------------------------------- the product's URLs

_CASE_EDITORS = {  # the registering team, and a first-line team the case was handed over to
    FIRST_LINE: {OWN: OK, CONSULTED: OK, ELSE: NOT_FOUND},
    ADVOCAAT: {CONSULTED: FORBIDDEN, ELSE: NOT_FOUND},
    COORDINATOR: {SAME: FORBIDDEN, ELSE: NOT_FOUND},
    RESEARCHER: FORBIDDEN,
    ADMINISTRATOR: FORBIDDEN,
    STUURGROEP: FORBIDDEN,
}
_REGISTERING_TEAM = {  # the vault and the handover: the registering team only
    FIRST_LINE: {OWN: OK, CONSULTED: FORBIDDEN, ELSE: NOT_FOUND},
    ADVOCAAT: {CONSULTED: FORBIDDEN, ELSE: NOT_FOUND},
    COORDINATOR: {SAME: FORBIDDEN, ELSE: NOT_FOUND},
    RESEARCHER: FORBIDDEN,
    ADMINISTRATOR: FORBIDDEN,
    STUURGROEP: FORBIDDEN,
}
_ADVISING_ADVOCAAT = {  # an advocaat consulted on the case records advice
    FIRST_LINE: {OWN: FORBIDDEN, CONSULTED: FORBIDDEN, ELSE: NOT_FOUND},
    ADVOCAAT: {CONSULTED: OK, ELSE: NOT_FOUND},
    COORDINATOR: {SAME: FORBIDDEN, ELSE: NOT_FOUND},
    RESEARCHER: FORBIDDEN,
    ADMINISTRATOR: FORBIDDEN,
    STUURGROEP: FORBIDDEN,
}
_BOOKING_TEAM = only({FIRST_LINE: {OWN: OK, CONSULTED: OK, ELSE: NOT_FOUND}})
_NO_PIKET_ROLE = FORBIDDEN


def _consult_page(first_line, advocaat) -> dict:
    """A booked consult: its booker's team and its advocaat; the coordinator does not see it."""
    return {
        FIRST_LINE: {OWN: first_line, ELSE: NOT_FOUND},
        ADVOCAAT: {CONSULTED: advocaat, ELSE: NOT_FOUND},
        COORDINATOR: NOT_FOUND,
        RESEARCHER: _NO_PIKET_ROLE,
        ADMINISTRATOR: _NO_PIKET_ROLE,
        STUURGROEP: _NO_PIKET_ROLE,
    }


_METHOD_FIRST_405 = NOT_ALLOWED

# The signaleringsoverleg (signalering.selectors): members of a location see its meetings;
# participants (OWN) write agenda and drafts; the chair (Carla) approves; coordinators manage.
_SIGNALERING_MEMBERS = only({FIRST_LINE: OK, ADVOCAAT: OK, COORDINATOR: OK})
_SEES_SERIES = only(
    {
        FIRST_LINE: {OWN: OK, ELSE: NOT_FOUND},
        ADVOCAAT: {SAME: OK, ELSE: NOT_FOUND},
        COORDINATOR: {OWN: OK, ELSE: NOT_FOUND},
    }
)
_MANAGES_SERIES = only({COORDINATOR: {OWN: OK, ELSE: NOT_FOUND}})
_MANAGES_SERIES_BY_ROLE = only(
    {
        FIRST_LINE: {OWN: FORBIDDEN, ELSE: NOT_FOUND},
        ADVOCAAT: {SAME: FORBIDDEN, ELSE: NOT_FOUND},
        COORDINATOR: {OWN: OK, ELSE: NOT_FOUND},
    }
)
_PARTICIPANTS = only(
    {
        FIRST_LINE: {OWN: OK, ELSE: NOT_FOUND},
        ADVOCAAT: {SAME: FORBIDDEN, ELSE: NOT_FOUND},
        COORDINATOR: {OWN: OK, ELSE: NOT_FOUND},
    }
)
_PARTICIPANTS_READ = only(
    {
        FIRST_LINE: {OWN: OK, ELSE: NOT_FOUND},
        ADVOCAAT: NOT_FOUND,
        COORDINATOR: {OWN: OK, ELSE: NOT_FOUND},
    }
)
_CHAIR = only(
    {
        FIRST_LINE: {OWN: FORBIDDEN, ELSE: NOT_FOUND},
        ADVOCAAT: {SAME: FORBIDDEN, ELSE: NOT_FOUND},
        COORDINATOR: {OWN: OK, ELSE: NOT_FOUND},
    }
)

POLICY: dict[str, Page] = {
    # ------------------------------------------------------------ pilot/urls.py, accounts
    "home": page("Start", get=everyone(OK), post=AS_GET),
    "health": page(
        "Health check",
        get={**everyone(OK), ANONYMOUS: OK},
        post=AS_GET,
        note="public: only ok or not ok; the details for administrators or HEALTH_TOKEN",
    ),
    "set_language": page(
        "Taal kiezen",
        get={**everyone(OK), ANONYMOUS: OK},
        post=AS_GET,
        note="public: the language switch works before login",
    ),
    "accounts:invitations": page(
        "Gebruikers uitnodigen",
        get=only({COORDINATOR: OK, ADMINISTRATOR: OK}),
        post=AS_GET,
    ),
    "accounts:resend_invitation": page(
        "Uitnodiging opnieuw versturen",
        INVITATION,
        get=POST_ONLY,
        post=only(
            {
                COORDINATOR: {SAME: OK, ELSE: NOT_FOUND},
                ADMINISTRATOR: {NONE: NOT_FOUND, ELSE: OK},
            }
        ),
    ),
    "accounts:accept_invitation": page(
        "Wachtwoord instellen (uitnodiging)",
        INVITATION_LINK,
        get={role: {OWN: OK, NONE: GONE} for role in ROLES},
        post=AS_GET,
        note="public: the token is the key; an unknown or used link answers 410",
    ),
    # ------------------------------------------------------------ cases
    "cases:list": page(
        "Casussen",
        get=only({FIRST_LINE: OK, ADVOCAAT: OK, COORDINATOR: OK}),
        post=AS_GET,
    ),
    "cases:register": page("Casus registreren", get=only({FIRST_LINE: OK}), post=AS_GET),
    "cases:subproblem_row": page(
        "Casus registreren: nog een deelprobleem (htmx)", get=only({FIRST_LINE: OK}), post=AS_GET
    ),
    "cases:detail": page(
        "Casus",
        CASE,
        get={
            FIRST_LINE: {OWN: OK, CONSULTED: OK, ELSE: NOT_FOUND},
            ADVOCAAT: {CONSULTED: OK, ELSE: NOT_FOUND},
            COORDINATOR: {SAME: OK, ELSE: NOT_FOUND},
            RESEARCHER: FORBIDDEN,
            ADMINISTRATOR: FORBIDDEN,
            STUURGROEP: FORBIDDEN,
        },
        post=AS_GET,
    ),
    "cases:edit": page("Casus wijzigen", CASE, get=_CASE_EDITORS, post=AS_GET),
    "cases:subproblem_add": page("Deelprobleem toevoegen", CASE, get=_CASE_EDITORS, post=AS_GET),
    "cases:status": page("Status van de casus", CASE, get=POST_ONLY, post=_CASE_EDITORS),
    "cases:note": page(
        "Notitie toevoegen",
        CASE,
        get=POST_ONLY,
        post={**_CASE_EDITORS, ADVOCAAT: {CONSULTED: OK, ELSE: NOT_FOUND}},
    ),
    "cases:identity": page("Identiteit vastleggen", CASE, get=_REGISTERING_TEAM, post=AS_GET),
    "cases:reveal": page("Identiteit inzien", CASE, get=POST_ONLY, post=_REGISTERING_TEAM),
    "cases:consult": page("Advocaat raadplegen", CASE, get=_CASE_EDITORS, post=AS_GET),
    "cases:advice_all": page("Advies per deelprobleem", CASE, get=_ADVISING_ADVOCAAT, post=AS_GET),
    "cases:advice": page("Advies deelprobleem", CASE, get=_ADVISING_ADVOCAAT, post=AS_GET),
    "cases:handover": page("Warm overdragen", CASE, get=_REGISTERING_TEAM, post=AS_GET),
    "cases:handovers": page(
        "Warme overdrachten",
        get=only({FIRST_LINE: OK, ADVOCAAT: OK, COORDINATOR: OK}),
        post=AS_GET,
    ),
    "cases:handover_decide": page(
        "Warme overdracht accepteren of afwijzen",
        HANDOVER,
        get=POST_ONLY,
        post={
            FIRST_LINE: {
                CONSULTED: OK,
                OWN: FORBIDDEN,
                ELSE: NOT_FOUND,
            },
            ADVOCAAT: {CONSULTED: OK, ELSE: NOT_FOUND},
            COORDINATOR: {
                SAME: FORBIDDEN,
                ELSE: NOT_FOUND,
            },
            RESEARCHER: FORBIDDEN,
            ADMINISTRATOR: FORBIDDEN,
            STUURGROEP: FORBIDDEN,
        },
    ),
    "cases:handover_pick_up": page(
        "Warme overdracht: contact bevestigd (opgepakt)",
        HANDOVER,
        get=POST_ONLY,
        post={
            FIRST_LINE: {CONSULTED: OK, OWN: FORBIDDEN, ELSE: NOT_FOUND},
            ADVOCAAT: {CONSULTED: OK, ELSE: NOT_FOUND},
            COORDINATOR: {SAME: FORBIDDEN, ELSE: NOT_FOUND},
            RESEARCHER: FORBIDDEN,
            ADMINISTRATOR: FORBIDDEN,
            STUURGROEP: FORBIDDEN,
        },
    ),
    "cases:handover_letter": page(
        "Verwijsbrief",
        HANDOVER,
        # the receiver reads it once they accepted (the handover here still waits: 403)
        get={
            FIRST_LINE: {OWN: OK, CONSULTED: FORBIDDEN, ELSE: NOT_FOUND},
            ADVOCAAT: {CONSULTED: FORBIDDEN, ELSE: NOT_FOUND},
            COORDINATOR: {SAME: FORBIDDEN, ELSE: NOT_FOUND},
            RESEARCHER: FORBIDDEN,
            ADMINISTRATOR: FORBIDDEN,
            STUURGROEP: FORBIDDEN,
        },
        post=AS_GET,
    ),
    "cases:socialekaart": page(
        "Sociale kaart",
        # every case role reads it when referring; coordinators maintain it
        get=only({FIRST_LINE: OK, ADVOCAAT: OK, COORDINATOR: OK}),
        post=AS_GET,
    ),
    "cases:earlier_cases": page(
        "Eerdere casussen van deze rechtzoekende (bij het registreren)",
        get=POST_ONLY,
        post=only({FIRST_LINE: OK}),
    ),
    "cases:socialekaart_new": page(
        "Organisatie toevoegen (sociale kaart)", get=only({COORDINATOR: OK}), post=AS_GET
    ),
    "cases:socialekaart_edit": page(
        "Organisatie wijzigen (sociale kaart)",
        ENTRY,
        get=only({COORDINATOR: {SAME: OK, ELSE: NOT_FOUND}}),
        post=AS_GET,
    ),
    "cases:socialekaart_checked": page(
        "Organisatie gecontroleerd (sociale kaart)",
        ENTRY,
        get={**everyone(_METHOD_FIRST_405), COORDINATOR: NOT_ALLOWED},
        post=only({COORDINATOR: {SAME: OK, ELSE: NOT_FOUND}}),
    ),
    "cases:socialekaart_deactivate": page(
        "Organisatie deactiveren (sociale kaart)",
        ENTRY,
        get={**everyone(_METHOD_FIRST_405), COORDINATOR: NOT_ALLOWED},
        post=only({COORDINATOR: {SAME: OK, ELSE: NOT_FOUND}}),
    ),
    "cases:audit": page(
        "Auditlog",
        get=only({ADMINISTRATOR: OK}),
        post={**everyone(_METHOD_FIRST_405), ADMINISTRATOR: NOT_ALLOWED},
    ),
    "cases:dsr": page(
        "Verzoeken van rechtzoekenden (AVG)", get=only({ADMINISTRATOR: OK}), post=AS_GET
    ),
    "cases:dsr_export": page(
        "AVG-inzage (download)",
        get={**everyone(_METHOD_FIRST_405), ADMINISTRATOR: NOT_ALLOWED},
        post=only({ADMINISTRATOR: OK}),
    ),
    "cases:dsr_erase": page(
        "AVG: gegevens wissen",
        get={**everyone(_METHOD_FIRST_405), ADMINISTRATOR: NOT_ALLOWED},
        post=only({ADMINISTRATOR: OK}),
    ),
    # ------------------------------------------------------------ piket: booking
    "piket:book": page("Piketconsult boeken", CASE, get=_BOOKING_TEAM, post=AS_GET),
    "piket:booking_slots": page(
        "Vrije tijden (na een net geboekt tijdstip)", CASE, get=_BOOKING_TEAM, post=AS_GET
    ),
    "piket:booked": page(
        "Piketconsult geboekt",
        CONSULT,
        get=only({FIRST_LINE: {OWN: OK, ELSE: NOT_FOUND}}),
        post=AS_GET,
    ),
    "piket:day": page("Mijn piket (vandaag)", get=only({ADVOCAAT: OK}), post=AS_GET),
    # ------------------------------------------------------------ piket: rosters and duty
    "piket:rosters": page("Piketrooster", get=only({COORDINATOR: OK}), post=AS_GET),
    "piket:roster_new": page("Piketmoment toevoegen", get=only({COORDINATOR: OK}), post=AS_GET),
    "piket:roster_edit": page(
        "Piketmoment wijzigen",
        ROSTER,
        get=only({COORDINATOR: {SAME: OK, ELSE: NOT_FOUND}}),
        post=AS_GET,
    ),
    "piket:roster_deactivate": page(
        "Piketmoment deactiveren",
        ROSTER,
        get=POST_ONLY,
        post=only({COORDINATOR: {SAME: OK, ELSE: NOT_FOUND}}),
    ),
    "piket:exception_new": page(
        "Uitzondering vastleggen", get=only({COORDINATOR: OK}), post=AS_GET
    ),
    "piket:shift": page(
        "Piketdienst (indelen)",
        SHIFT,
        get=only({COORDINATOR: {SAME: OK, ELSE: NOT_FOUND}}),
        post=AS_GET,
    ),
    "piket:shift_sign_up": page(
        "Aanmelden voor een piketdienst",
        SHIFT,
        get=POST_ONLY,
        post=only({ADVOCAAT: {SAME: OK, ELSE: NOT_FOUND}}),
    ),
    "piket:assignment_remove": page(
        "Afmelden van een piketdienst",
        ASSIGNMENT,
        get=POST_ONLY,
        post={
            FIRST_LINE: _NO_PIKET_ROLE,
            ADVOCAAT: {
                OWN: OK,
                SAME: FORBIDDEN,
                ELSE: NOT_FOUND,
            },
            COORDINATOR: {SAME: OK, ELSE: NOT_FOUND},
            RESEARCHER: _NO_PIKET_ROLE,
            ADMINISTRATOR: _NO_PIKET_ROLE,
            STUURGROEP: _NO_PIKET_ROLE,
        },
    ),
    "piket:swap_offer": page(
        "Dienst aan een collega aanbieden",
        ASSIGNMENT,
        get=only(
            {
                ADVOCAAT: {
                    OWN: OK,
                    SAME: FORBIDDEN,
                    ELSE: NOT_FOUND,
                }
            }
        ),
        post=AS_GET,
    ),
    "piket:swap_answer": page(
        "Dienstruil accepteren of afwijzen",
        SWAP,
        get=POST_ONLY,
        # the advocaat who offered it sees it but does not answer it
        post=only({ADVOCAAT: {CONSULTED: OK, OWN: FORBIDDEN, ELSE: NOT_FOUND}}),
    ),
    "piket:profile": page("Mijn piketprofiel", get=only({ADVOCAAT: OK}), post=AS_GET),
    "piket:profiles": page("Advocaten op het piket", get=only({COORDINATOR: OK}), post=AS_GET),
    "piket:profile_edit": page(
        "Piketprofiel van een advocaat",
        ADVOCAAT_USER,
        get=only({COORDINATOR: {SAME: OK, ELSE: NOT_FOUND}}),
        post=AS_GET,
    ),
    "piket:week": page(
        "Piket per week",
        get=only({FIRST_LINE: OK, ADVOCAAT: OK, COORDINATOR: OK}),
        post=AS_GET,
    ),
    "piket:capacity": page("Capaciteit van het piket", get=only({COORDINATOR: OK}), post=AS_GET),
    "piket:statements": page("Maandoverzichten piket", get=only({COORDINATOR: OK}), post=AS_GET),
    "piket:statement": page("Maandoverzicht piket (CSV)", get=only({COORDINATOR: OK}), post=AS_GET),
    "piket:my_statements": page(
        "Mijn maandoverzichten piket", get=only({ADVOCAAT: OK}), post=AS_GET
    ),
    "piket:my_statement": page(
        "Mijn maandoverzicht piket (CSV)", get=only({ADVOCAAT: OK}), post=AS_GET
    ),
    # ------------------------------------------------------------ piket: consults
    "piket:my_consults": page("Mijn consulten", get=only({FIRST_LINE: OK}), post=AS_GET),
    "piket:consult": page("Piketconsult", CONSULT, get=_consult_page(OK, OK), post=AS_GET),
    "piket:consult_advice": page(
        "Advies na het piketconsult",
        CONSULT,
        get=_consult_page(FORBIDDEN, OK),
        post=AS_GET,
    ),
    "piket:consult_cancel": page(
        "Piketconsult annuleren", CONSULT, get=_consult_page(OK, OK), post=AS_GET
    ),
    "piket:consult_move": page(
        "Piketconsult verplaatsen", CONSULT, get=_consult_page(OK, OK), post=AS_GET
    ),
    "piket:consult_held": page(
        "Piketconsult gehouden", CONSULT, get=POST_ONLY, post=_consult_page(FORBIDDEN, OK)
    ),
    "piket:consult_no_show": page(
        "Piketconsult niet doorgegaan", CONSULT, get=POST_ONLY, post=_consult_page(FORBIDDEN, OK)
    ),
    "piket:consult_not_reached": page(
        "Advocaat niet bereikt", CONSULT, get=POST_ONLY, post=_consult_page(OK, FORBIDDEN)
    ),
    "piket:rules": page(
        "Piketregels van de pilot",
        get=only({}),
        post=AS_GET,
        note="only national coordinators change them (tests/piket/test_piket_rules.py)",
    ),
    "piket:calendar": page(
        "Piket in uw agenda",
        get={
            **everyone(FORBIDDEN),
            FIRST_LINE: OK,
            ADVOCAAT: OK,
        },
        post=AS_GET,
    ),
    "piket:feed": page(
        "Agenda-feed (iCalendar)",
        FEED,
        get={role: {OWN: OK, NONE: NOT_FOUND} for role in ROLES},
        post=AS_GET,
        note="public: calendar apps fetch it without a session; the secret token is the key",
    ),
    # ------------------------------------------------------------ piket: waitlist
    "piket:waitlist": page("Wachtlijst piket", get=only({FIRST_LINE: OK}), post=AS_GET),
    "piket:waitlist_join": page("Op de wachtlijst (casus)", CASE, get=_BOOKING_TEAM, post=AS_GET),
    "piket:waitlist_accept": page(
        "Aangeboden plek accepteren",
        WAITLIST,
        get=POST_ONLY,
        post=only({FIRST_LINE: {OWN: OK, ELSE: NOT_FOUND}}),
    ),
    "piket:waitlist_leave": page(
        "Wachtlijst verlaten",
        WAITLIST,
        get=POST_ONLY,
        post=only({FIRST_LINE: {OWN: OK, ELSE: NOT_FOUND}}),
    ),
    # ------------------------------------------------------------ research: exports
    "research:exports": page("Mijn exports", get=only({RESEARCHER: OK}), post=AS_GET),
    "research:export_new": page("Export aanvragen", get=only({RESEARCHER: OK}), post=AS_GET),
    "research:export": page(
        "Export (aanvraag, voortgang, download)",
        EXPORT_REQUEST,
        get=only(
            {RESEARCHER: {OWN: OK, ELSE: NOT_FOUND}, ADMINISTRATOR: {NONE: NOT_FOUND, ELSE: OK}}
        ),
        post=AS_GET,
        note="the approver (administrator) sees every request, to decide on it",
    ),
    "research:export_status": page(
        "Export: voortgang (htmx)",
        EXPORT_REQUEST,
        get=only(
            {RESEARCHER: {OWN: OK, ELSE: NOT_FOUND}, ADMINISTRATOR: {NONE: NOT_FOUND, ELSE: OK}}
        ),
        post=AS_GET,
        note="without htmx a redirect to the request's page",
    ),
    "research:export_download": page(
        "Export downloaden",
        EXPORT_REQUEST,
        get=only({RESEARCHER: {OWN: OK, ELSE: NOT_FOUND}}),
        post=AS_GET,
        note="the requester only; not ready yet: back to the request's page; expired: 410",
    ),
    "research:export_queue": page(
        "Exportaanvragen beoordelen", get=only({ADMINISTRATOR: OK}), post=AS_GET
    ),
    "research:export_decide": page(
        "Export beoordelen",
        EXPORT_REQUEST,
        get=only({ADMINISTRATOR: {NONE: NOT_FOUND, ELSE: OK}}),
        post=AS_GET,
        note="never the requester: an approver who requested it is told so, nothing changes",
    ),
    # ------------------------------------------------------------ signalering: meetings
    "signalering:meetings": page("Signaleringsoverleg", get=_SIGNALERING_MEMBERS, post=AS_GET),
    "signalering:series_new": page("Nieuwe overlegreeks", get=only({COORDINATOR: OK}), post=AS_GET),
    "signalering:series": page(
        "Overlegreeks",
        SERIES,
        get=_SEES_SERIES,
        post=_MANAGES_SERIES_BY_ROLE,
        note="a POST saves the series: its chair and the coordinators of its location",
    ),
    "signalering:member_add": page("Deelnemer toevoegen", SERIES, get=_MANAGES_SERIES, post=AS_GET),
    "signalering:member_remove": page(
        "Deelnemer afmelden", SERIES_MEMBER, get=POST_ONLY, post=_MANAGES_SERIES
    ),
    "signalering:template_item_add": page(
        "Punt aan het sjabloon toevoegen", SERIES, get=_MANAGES_SERIES, post=AS_GET
    ),
    "signalering:template_item_remove": page(
        "Punt uit het sjabloon halen", TEMPLATE_ITEM, get=POST_ONLY, post=_MANAGES_SERIES
    ),
    "signalering:meeting_new": page("Overleg plannen", SERIES, get=_MANAGES_SERIES, post=AS_GET),
    "signalering:meeting": page(
        "Overleg (agenda, verslag, maandrapportage)",
        MEETING,
        get=_SEES_SERIES,
        post=AS_GET,
        note="drafts and confidential items for participants only; members of the location "
        "read the approved minutes without confidential items",
    ),
    "signalering:meeting_prepare": page(
        "Overleg voorbereiden", MEETING, get=POST_ONLY, post=_MANAGES_SERIES
    ),
    "signalering:item_add": page("Agendapunt toevoegen", MEETING, get=_PARTICIPANTS, post=AS_GET),
    "signalering:attendance": page(
        "Aanwezigheid vastleggen", MEETING, get=POST_ONLY, post=_PARTICIPANTS
    ),
    "signalering:minutes_approve": page("Verslag vaststellen", MEETING, get=POST_ONLY, post=_CHAIR),
    "signalering:minutes_correct": page(
        "Correctie van het verslag starten", MEETING, get=POST_ONLY, post=_CHAIR
    ),
    "signalering:minutes_pdf": page(
        "Verslag als PDF",
        MEETING,
        get=_PARTICIPANTS_READ,
        post=AS_GET,
        note="participants: the draft or the approved version; members of the location: the "
        "approved version only (404 while there is none, as here)",
    ),
    "signalering:minutes_version": page("Verslag, versie", MINUTES, get=_SEES_SERIES, post=AS_GET),
    "signalering:item": page(
        "Verslag van een agendapunt", AGENDA_ITEM, get=_PARTICIPANTS, post=AS_GET
    ),
    "signalering:decision_add": page(
        "Besluit toevoegen", AGENDA_ITEM, get=POST_ONLY, post=_PARTICIPANTS
    ),
    "signalering:action_add": page(
        "Actie toevoegen", AGENDA_ITEM, get=POST_ONLY, post=_PARTICIPANTS
    ),
    "signalering:item_copy": page(
        "Agendapunt naar het volgende overleg", AGENDA_ITEM, get=POST_ONLY, post=_PARTICIPANTS
    ),
    "signalering:actions": page("Mijn acties", get=_SIGNALERING_MEMBERS, post=AS_GET),
    "signalering:action_status": page(
        "Status van een actie",
        ACTION_ITEM,
        get=POST_ONLY,
        post=_PARTICIPANTS,
        note="its owner, the series' participants and its managers",
    ),
    "signalering:respond": page(
        "Aanwezigheid doorgeven (link uit de agendamail)",
        RESPONSE_LINK,
        get={role: {OWN: OK, NONE: GONE} for role in ROLES},
        post=AS_GET,
        note="public: the token is the key (only its hash is stored); a GET asks, a POST "
        "records the answer; an unknown link answers 410",
    ),
    # ------------------------------------------------------------ research: dashboards
    "research:dashboard": page(
        "Cijfers van de pilot",
        get=only({RESEARCHER: OK, COORDINATOR: OK, STUURGROEP: OK}),
        post=AS_GET,
        note="researchers and the stuurgroep: every location, small numbers suppressed; "
        "coordinators: their own locations",
    ),
    "research:dashboard_csv": page(
        "Cijfers van de pilot (CSV)",
        get=only({RESEARCHER: OK, COORDINATOR: OK, STUURGROEP: OK}),
        post=AS_GET,
        note="suppressed as the page",
    ),
    # ------------------------------------------------------------ signalering: signals
    # (signals and recommendations: a location's members; see signalering/selectors.py)
    "signalering:signals": page("Signalen", get=everyone(OK), post=AS_GET),
    "signalering:signal_new": page("Signaal inbrengen", get=everyone(OK), post=AS_GET),
    "signalering:signal": page(
        "Signaal",
        SIGNAL,
        get={**everyone({OWN: OK, SAME: OK, ELSE: NOT_FOUND}), STUURGROEP: NOT_FOUND},
        post=AS_GET,
        note="the stuurgroep reads signals through the national view (counts) and the "
        "regional and national recommendations they are part of",
    ),
    "signalering:signal_resolve": page(
        "Signaal afhandelen",
        SIGNAL,
        get=POST_ONLY,
        post=only({COORDINATOR: {SAME: OK, ELSE: NOT_FOUND}}),
    ),
    "signalering:signal_judge": page(
        "Terugkoppeling terecht of niet",
        SIGNAL,
        get=POST_ONLY,
        post=only({COORDINATOR: {SAME: OK, ELSE: NOT_FOUND}}),
    ),
    # ------------------------------------------------------------ signalering: recommendations
    "signalering:recommendations": page("Aanbevelingen", get=everyone(OK), post=AS_GET),
    "signalering:recommendations_csv": page(
        "Aanbevelingen (CSV)", get=everyone(OK), post=AS_GET, note="what the register shows"
    ),
    "signalering:recommendations_xlsx": page(
        "Aanbevelingen (Excel)", get=everyone(OK), post=AS_GET, note="what the register shows"
    ),
    "signalering:recommendation_new": page(
        "Nieuwe aanbeveling", get=only({COORDINATOR: OK}), post=AS_GET
    ),
    "signalering:recommendation_merge": page(
        "Aanbevelingen samenvoegen", get=only({COORDINATOR: OK}), post=AS_GET
    ),
    "signalering:recommendation_from_decision": page(
        "Aanbeveling uit een besluit",
        DECISION,
        get=only({COORDINATOR: {SAME: OK, ELSE: NOT_FOUND}}),
        post=AS_GET,
    ),
    "signalering:recommendation": page(
        "Aanbeveling",
        RECOMMENDATION,
        get={**everyone({SAME: OK, ELSE: NOT_FOUND}), STUURGROEP: NOT_FOUND},
        post=AS_GET,
        note="regional and national recommendations: coordinators and the stuurgroep "
        "(tests/signalering/test_recommendations.py)",
    ),
    **{
        f"signalering:recommendation_{action}": page(
            title,
            RECOMMENDATION,
            get=POST_ONLY,
            post=only({COORDINATOR: {SAME: OK, ELSE: NOT_FOUND}}),
            note=note,
        )
        for action, title, note in (
            ("status", "Status van een aanbeveling", ""),
            ("answer", "Antwoord op een aanbeveling", ""),
            ("milestone", "Mijlpaal toevoegen", ""),
            ("milestone_done", "Mijlpaal bereikt", ""),
            ("split", "Aanbeveling splitsen", ""),
            (
                "consent",
                "Instemming van een lijn",
                "a coordinator of one of the location's three lines answers for that line",
            ),
        )
    },
    "signalering:national": page(
        "Landelijk beeld",
        get=only({COORDINATOR: OK, STUURGROEP: OK}),
        post=AS_GET,
        note="counts across locations; a signal's description only for its own location or "
        "within a regional or national recommendation",
    ),
    # ------------------------------------------------------------ library: search, task matrix
    "bestpractices:task_matrix": page(
        "Taakverdeling eerste en tweede lijn",
        get=everyone(OK),
        post=AS_GET,
        note="every signed-in participant: rows of every adopted task division",
    ),
    "bestpractices:synonyms": page(
        "Synoniemen voor het zoeken", get=only({COORDINATOR: OK}), post=AS_GET
    ),
    "bestpractices:synonym_edit": page(
        "Synoniemen van … wijzigen",
        SYNONYM,
        get=only({COORDINATOR: {SAME: OK, NONE: NOT_FOUND}}),
        post=AS_GET,
    ),
    "bestpractices:synonym_delete": page(
        "Synoniemen verwijderen",
        SYNONYM,
        get=POST_ONLY,
        post=only({COORDINATOR: {SAME: OK, NONE: NOT_FOUND}}),
    ),
    # ------------------------------------------------------------ library: public reading
    "praktijk:index": page(
        "Openbare werkwijzen",
        get={**everyone(OK), ANONYMOUS: OK},
        post=AS_GET,
        note="public: adopted entries marked public only",
    ),
    "praktijk:task_matrix": page(
        "Taakverdeling eerste en tweede lijn (openbaar)",
        get={**everyone(OK), ANONYMOUS: OK},
        post=AS_GET,
        note="public: rows of public adopted task divisions only",
    ),
    "praktijk:feed": page(
        "Openbare werkwijzen (Atom-feed)",
        get={**everyone(OK), ANONYMOUS: OK},
        post=AS_GET,
        note="public: feed readers fetch it without a session",
    ),
    "praktijk:entry": page(
        "Openbare werkwijze",
        PUBLIC_ENTRY,
        get={role: {OWN: OK, ELSE: NOT_FOUND} for role in ROLES},
        post=AS_GET,
        note="public; authors by organisation only; anything but a public adopted entry: 404",
    ),
    "praktijk:print": page(
        "Openbare werkwijze (afdrukversie)",
        PUBLIC_ENTRY,
        get={role: {OWN: OK, ELSE: NOT_FOUND} for role in ROLES},
        post=AS_GET,
    ),
    "praktijk:pdf": page(
        "Openbare werkwijze (PDF)",
        PUBLIC_ENTRY,
        get={role: {OWN: OK, ELSE: NOT_FOUND} for role in ROLES},
        post=AS_GET,
    ),
}

# ---------------------------------------------------------------- bestpractices: the library

# everyone reads adopted entries; researchers, administrators and the stuurgroep nothing else
_BP_READERS = {
    FIRST_LINE: {NONE: NOT_FOUND, ELSE: OK},
    ADVOCAAT: {NONE: NOT_FOUND, ELSE: OK},
    COORDINATOR: {NONE: NOT_FOUND, ELSE: OK},
    RESEARCHER: {SAME: OK, ELSE: NOT_FOUND},
    ADMINISTRATOR: {SAME: OK, ELSE: NOT_FOUND},
    STUURGROEP: {SAME: OK, ELSE: NOT_FOUND},
}
_BP_EDITORS = only(  # the author and coordinators
    {
        FIRST_LINE: {OWN: OK, NONE: NOT_FOUND, ELSE: FORBIDDEN},
        ADVOCAAT: {NONE: NOT_FOUND, ELSE: FORBIDDEN},
        COORDINATOR: {NONE: NOT_FOUND, ELSE: OK},
    }
)
_BP_IN_CONSULTATION = only(  # endorse and comment: entries in consultation (or drafts)
    {
        FIRST_LINE: {SAME: FORBIDDEN, NONE: NOT_FOUND, ELSE: OK},
        ADVOCAAT: {SAME: FORBIDDEN, NONE: NOT_FOUND, ELSE: OK},
        COORDINATOR: {SAME: FORBIDDEN, NONE: NOT_FOUND, ELSE: OK},
    }
)
_BP_PARTICIPANTS = only(
    {
        FIRST_LINE: {NONE: NOT_FOUND, ELSE: OK},
        ADVOCAAT: {NONE: NOT_FOUND, ELSE: OK},
        COORDINATOR: {NONE: NOT_FOUND, ELSE: OK},
    }
)
_BP_COORDINATORS = only({COORDINATOR: {NONE: NOT_FOUND, ELSE: OK}})

POLICY.update(
    {
        "bestpractices:library": page(
            "Bibliotheek van praktijkvoorbeelden",
            get=everyone(OK),
            post=AS_GET,
            note="researchers and administrators see adopted entries only",
        ),
        "bestpractices:propose": page(
            "Idee voorstellen",
            get=only({FIRST_LINE: OK, ADVOCAAT: OK, COORDINATOR: OK}),
            post=AS_GET,
        ),
        "bestpractices:propose_from_recommendation": page(
            "Aanbeveling als idee voorstellen",
            RECOMMENDATION,
            get=POST_ONLY,
            post=only(
                {
                    FIRST_LINE: {SAME: OK, ELSE: NOT_FOUND},
                    ADVOCAAT: {SAME: OK, ELSE: NOT_FOUND},
                    COORDINATOR: {SAME: OK, ELSE: NOT_FOUND},
                }
            ),
            note="a recommendation the user may see (signalering's rule) becomes an idea",
        ),
        "bestpractices:dashboard": page(
            "Praktijkvoorbeelden beoordelen", get=only({COORDINATOR: OK}), post=AS_GET
        ),
        "bestpractices:subscriptions": page(
            "Volgen en maandoverzicht", get=everyone(OK), post=AS_GET
        ),
        "bestpractices:preview": page(
            "Voorbeeld van de tekst (htmx)",
            get=POST_ONLY,
            post=only({FIRST_LINE: OK, ADVOCAAT: OK, COORDINATOR: OK}),
        ),
        "bestpractices:entry": page(
            "Praktijkvoorbeeld", LIBRARY_ENTRY, get=_BP_READERS, post=AS_GET
        ),
        "bestpractices:diff": page(
            "Versies vergelijken", LIBRARY_ENTRY, get=_BP_READERS, post=AS_GET
        ),
        "bestpractices:print": page(
            "Praktijkvoorbeeld (afdrukversie)", LIBRARY_ENTRY, get=_BP_READERS, post=AS_GET
        ),
        "bestpractices:pdf": page(
            "Praktijkvoorbeeld (PDF)", LIBRARY_ENTRY, get=_BP_READERS, post=AS_GET
        ),
        "bestpractices:edit": page(
            "Praktijkvoorbeeld wijzigen", LIBRARY_ENTRY, get=_BP_EDITORS, post=AS_GET
        ),
        "bestpractices:task_rows": page(
            "Taakverdeling bewerken",
            LIBRARY_ENTRY,
            get=_BP_EDITORS,
            post=AS_GET,
            note="an entry of another kind: back to its page with a message",
        ),
        "bestpractices:restore": page(
            "Versie terugzetten", LIBRARY_ENTRY, get=POST_ONLY, post=_BP_EDITORS
        ),
        "bestpractices:transition": page(
            "Status van een praktijkvoorbeeld",
            LIBRARY_ENTRY,
            get=POST_ONLY,
            post=_BP_EDITORS,
            note="which step is allowed (four eyes, every line's endorsement) the service "
            "decides: a refused step is a message on the entry's page",
        ),
        "bestpractices:adopt_pending": page(
            "Nieuwe versie vaststellen",
            LIBRARY_ENTRY,
            get=POST_ONLY,
            post=_BP_COORDINATORS,
            note="never the author of the entry or of the new version (a message)",
        ),
        "bestpractices:endorse": page(
            "Steun betuigen",
            LIBRARY_ENTRY,
            get=POST_ONLY,
            post=_BP_IN_CONSULTATION,
            note="on behalf of one's own organisation only",
        ),
        "bestpractices:comment": page(
            "Reageren", LIBRARY_ENTRY, get=POST_ONLY, post=_BP_IN_CONSULTATION
        ),
        "bestpractices:follow": page(
            "Praktijkvoorbeeld volgen", LIBRARY_ENTRY, get=POST_ONLY, post=_BP_READERS
        ),
        "bestpractices:feedback": page(
            "Was dit nuttig?", LIBRARY_ENTRY, get=POST_ONLY, post=_BP_READERS
        ),
        "bestpractices:review": page(
            "Herbeoordelen",
            LIBRARY_ENTRY,
            get=POST_ONLY,
            post=only(
                {
                    FIRST_LINE: {NONE: NOT_FOUND, ELSE: FORBIDDEN},
                    ADVOCAAT: {NONE: NOT_FOUND, ELSE: FORBIDDEN},
                    COORDINATOR: {SAME: OK, NONE: NOT_FOUND, ELSE: FORBIDDEN},
                }
            ),
            note="adopted entries, by their owner or a coordinator",
        ),
        "bestpractices:publish": page(
            "Openbaar maken", LIBRARY_ENTRY, get=POST_ONLY, post=_BP_COORDINATORS
        ),
        "bestpractices:variant": page(
            "Lokale variant maken",
            LIBRARY_ENTRY,
            get=POST_ONLY,
            post=_BP_PARTICIPANTS,
            note="of a national entry, for one's own location (else a message)",
        ),
    }
)

# ---------------------------------------------------------------- third-party URL groups

_PUBLIC = {"get": {ANONYMOUS: ANSWERS}, "post": {ANONYMOUS: ANSWERS}}
_BEHEER_ONLY = {**everyone(FORBIDDEN), ADMINISTRATOR: ANSWERS, ANONYMOUS: LOGIN}

GROUPS: dict[str, Group] = {
    "allauth": Group(
        "Inloggen, wachtwoord en tweestapsverificatie (django-allauth, /accounts/)",
        prefixes=("account_", "mfa_"),
        get={**everyone(ANSWERS), ANONYMOUS: LOGIN},
        post={**everyone(ANSWERS), ANONYMOUS: LOGIN},
        exceptions={
            # a visitor signs in, resets a password, or reads why they can't sign up
            "account_login": _PUBLIC,
            "account_signup": _PUBLIC,
            "account_inactive": _PUBLIC,
            "account_reset_password*": _PUBLIC,
            "account_confirm_email": _PUBLIC,
            "account_email_verification_sent": _PUBLIC,
            # signing out ends on the login page
            "account_logout": {"post": everyone(LOGIN)},
        },
        note="allauth's own views decide (a GET-only page answers a POST with 405, an unknown "
        "key with 404); the pilot's adapter closes sign-up and the middleware requires TOTP",
    ),
    "admin": Group(
        "Beheer (Django admin, /beheer/)",
        prefixes=("admin:",),
        get=_BEHEER_ONLY,
        post=_BEHEER_ONLY,
        exceptions={
            "admin:accounts_invitation_add": {
                "get": {ADMINISTRATOR: FORBIDDEN},
                "post": {ADMINISTRATOR: FORBIDDEN},
            },
        },
        note="only administrators get in; inside, the admin's permissions per model decide "
        "(the pilot's models: view, add, change; deleting: superusers only; third-party models: "
        "none)",
    ),
}


# ---------------------------------------------------------------- reading the table


def cell(table: dict, role: str, relation: str):
    """The declared outcome (or Should) of one cell; None when the table has no such cell."""
    spec = table.get(role)
    if isinstance(spec, dict):
        return spec.get(relation, spec.get(ELSE))
    return spec


def group_of(key: str) -> Group | None:
    """The third-party group a URL name belongs to, if any."""
    return next((g for g in GROUPS.values() if key.startswith(g.prefixes)), None)


def tables_for(key: str) -> tuple[str | None, dict, dict]:
    """(kind, GET table, POST table) of a URL name, from POLICY or from its group's rule."""
    if key in POLICY:
        entry = POLICY[key]
        return entry.kind, entry.get, entry.post
    group = group_of(key)
    if group is None:
        raise KeyError(key)
    get, post = dict(group.get), dict(group.post)
    for pattern, exception in group.exceptions.items():
        if fnmatchcase(key, pattern):
            get.update(exception.get("get", {}))
            post.update(exception.get("post", {}))
    return None, get, post


# ---------------------------------------------------------------- the URLs, and docs/access.md


def walk_urls(patterns=None, prefix: str = "", namespace: str = ""):
    """(key, route, pattern) for every URL pattern, nested ones included. The key is the URL
    name with its namespace, or "<namespace>:<unnamed> /<route>" for a pattern without a name."""
    from django.urls import URLPattern, URLResolver, get_resolver

    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from walk_urls(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            key = f"{namespace}{p.name}" if p.name else f"{namespace}<unnamed> /{prefix}{p.pattern}"
            yield key, prefix + str(p.pattern), p


OUTCOME_LABELS = {OK: "ok", LOGIN: "login", ANSWERS: "answers", SERVER_ERROR: "server error"}
SECTIONS = (
    ("Start and accounts", lambda key: ":" not in key or key.startswith("accounts:")),
    ("Cases and the second line (`cases:`)", lambda key: key.startswith("cases:")),
    ("Piket (`piket:`)", lambda key: key.startswith("piket:")),
    ("Research (`research:`)", lambda key: key.startswith("research:")),
    ("Signaleringsoverleg (`signalering:`)", lambda key: key.startswith("signalering:")),
    ("Best-practice library (`bestpractices:`)", lambda key: key.startswith("bestpractices:")),
    ("Public library pages (`praktijk:`)", lambda key: key.startswith("praktijk:")),
)


def _label(outcome) -> str:
    return OUTCOME_LABELS.get(outcome, str(outcome))


def _render_cell(spec, notes: list) -> str:
    def one(value) -> str:
        if isinstance(value, Should):
            if value.why not in notes:
                notes.append(value.why)
            return f"{_label(value.outcome)}&nbsp;†{notes.index(value.why) + 1}"
        return _label(value)

    if not isinstance(spec, dict):
        return one(spec)
    by_outcome: dict[str, list[str]] = {}
    for relation, value in spec.items():
        if relation != ELSE:
            by_outcome.setdefault(one(value), []).append(RELATION_LABELS[relation])
    parts = [f"{label} ({', '.join(relations)})" for label, relations in by_outcome.items()]
    if ELSE in spec:
        parts.append(f"else {one(spec[ELSE])}")
    return "; ".join(parts)


def _by_cell(table: dict, notes: list) -> str:
    """ "role, role: cell; role: cell" for the roles a table names."""
    roles_of: dict[str, list[str]] = {}
    for role, spec in table.items():
        roles_of.setdefault(_render_cell(spec, notes), []).append(ROLE_LABELS[role])
    return "; ".join(f"{', '.join(roles)}: {text}" for text, roles in roles_of.items())


def _route(route: str) -> str:
    route = route.replace("^", "").replace("$", "").replace("\\Z", "")
    for converter in ("casenr", "int", "str", "path", "slug"):
        route = route.replace(f"<{converter}:", "<")
    return f"/{route}"


def _rows(title: str, url: str, get: dict, post: dict, notes: list) -> list[str]:
    methods = [("GET, POST", get)] if get == post else [("GET", get), ("POST", post)]
    rows = []
    for method, table in methods:
        cells = " | ".join(_render_cell(table[role], notes) for role in ROLES)
        rows.append(f"| {title} | {url} | {method} | {cells} |")
        title, url = "″", "″"
    return rows


def _should_cells() -> list[tuple[str, str, str, str, Should]]:
    """(URL name, method, role, relation, Should) of every should(...) cell."""
    found = []
    tables = [(key, entry.get, entry.post) for key, entry in POLICY.items()]
    for group in GROUPS.values():
        for pattern, exception in group.exceptions.items():
            tables.append((pattern, exception.get("get", {}), exception.get("post", {})))
    for key, get, post in tables:
        methods = [("GET, POST", get)] if post is get else [("GET", get), ("POST", post)]
        for method, table in methods:
            for role, spec in table.items():
                cells = spec.items() if isinstance(spec, dict) else [(None, spec)]
                for relation, value in cells:
                    if isinstance(value, Should):
                        found.append((key, method, role, relation, value))
    return found


def render(routes: dict[str, str]) -> str:
    """docs/access.md: the table as a role × page matrix, with a legend."""
    header = " | ".join(ROLE_LABELS[role] for role in ROLES)
    head = [f"| Page | URL | Method | {header} |", "|" + " --- |" * (3 + len(ROLES))]
    notes: list[str] = []
    out = [
        "# Who may open which page",
        "",
        "Generated from `tests/access_policy.py` by `make docs-access`: do not edit by hand. "
        "`tests/test_access_policy.py` checks every cell against the product (a GET and a POST "
        "per role and relation, with real objects) and fails when this file is out of date.",
        "",
        "## Legend",
        "",
        "Roles: *first line* (eerstelijn) are the workers of Het Juridisch Loket and the sociaal "
        "raadslieden; *advocaat* a sociaal advocaat on the piket; *coordinator* a location's "
        "coordinator; *researcher* (onderzoeker) the research bureau; *administrator* "
        "(functioneel beheerder) manages users and organisations; *steering group* (stuurgroep) "
        "sees national figures and the signalering's national view, never a case; *anonymous* "
        "is not signed in.",
        "",
        "Outcomes:",
        "",
        "- **ok**: the page opens or the action goes through (a 2xx, a redirect other than to "
        "the login page, or the form again with its errors: 400/409)",
        "- **login**: a redirect to the login page",
        "- **403**: signed in, but may not do this: the role lacks the capability, or the user "
        "may see the object but not change it",
        "- **404**: the user may not know that the object exists (an unknown key answers the same)",
        "- **405**: the URL does not take this method (a GET on a POST-only URL), whoever asks",
        "- **410**: the link no longer works",
        "- **answers**: a third-party page answers as it sees fit (any answer but a server "
        "error or the login page)",
        "",
        "A refusal (login, 403, 404, 405, 410) never shows case content and changes nothing.",
        "",
        "Where the outcome depends on what the object in the URL is to the user, a cell reads "
        "like `ok (own, consulted); else 404`. The relations per kind of object:",
        "",
    ]
    for kind, relations in KINDS.items():
        if kind is None:
            continue
        meanings = "; ".join(f"*{RELATION_LABELS[r]}*: {text}" for r, text in relations.items())
        out.append(f"- {kind}: {meanings}; *none*: an unknown key")
    out += [
        "",
        "A † marks a cell where the product answered otherwise when the table was "
        "written; the notes at the end say why the table is right.",
        "",
    ]
    for title, belongs in SECTIONS:
        out += [f"## {title}", "", *head]
        for key, entry in POLICY.items():
            if belongs(key):
                page_title = f"{entry.title}<br>`{key}`"
                out += _rows(page_title, f"`{_route(routes[key])}`", entry.get, entry.post, notes)
        out.append("")
    out += ["## Third-party pages", "", *head]
    for group in GROUPS.values():
        prefixes = ", ".join(f"`{prefix}…`" for prefix in group.prefixes)
        out += _rows(group.title, prefixes, group.get, group.post, notes)
    out.append("")
    for group in GROUPS.values():
        out += [f"{group.title}: {group.note}. Where a URL differs from the rule:", ""]
        for pattern, exception in group.exceptions.items():
            get, post = exception.get("get", {}), exception.get("post", {})
            methods = [("GET, POST", get)] if get == post else [("GET", get), ("POST", post)]
            for method, table in methods:
                if table:
                    out.append(f"- `{pattern}` {method}: {_by_cell(table, notes)}")
        out.append("")
    notes_about = [page for page in POLICY.values() if page.note]
    if notes_about:
        out += ["## Notes", ""]
        for key, entry in POLICY.items():
            if entry.note:
                out.append(f"- {entry.title} (`{key}`): {entry.note}")
        out.append("")
    cells = _should_cells()
    if cells:
        out += ["## Where the product differs from this table (to be fixed)", ""]
    for number, why in enumerate(notes, start=1):
        out += [f"†{number}. {why[0].upper()}{why[1:]}.", ""]
        lines: dict[tuple, list[str]] = {}
        for key, method, role, relation, value in cells:
            if value.why == why:
                where = "" if relation is None else f" ({RELATION_LABELS.get(relation, 'else')})"
                line = (key, method, where, _label(value.outcome), _label(value.today))
                lines.setdefault(line, []).append(ROLE_LABELS[role])
        for (key, method, where, outcome, today), roles in lines.items():
            out.append(f"- `{key}` {method}, {', '.join(roles)}{where}: {outcome}, was {today}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pilot.settings")
    # Resolving URLs needs the settings, not a database: any PostgreSQL URL will do.
    os.environ.setdefault("DATABASE_URL", "postgres://localhost/unused")
    django.setup()
    print(render({key: route for key, route, _pattern in walk_urls()}), end="")
