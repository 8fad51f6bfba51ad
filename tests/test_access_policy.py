"""Every URL of the product answers as tests/access_policy.py declares.

Generated from the URL resolver: every URL name (and every unnamed pattern) must have an entry
in POLICY or belong to a declared third-party group. For each URL the test loops over the roles
(a persona each: anna, bart, carla, olga, bea, stef, and an anonymous visitor) and over the
relations of that persona to a real object in the URL (built with the factories), and sends a
GET and a POST. Each request runs in a savepoint that is rolled back, so a POST that changes
data does not disturb the next cell. Besides the declared outcome, every request is checked for:

- no server error;
- a refusal (login, 403, 404, 405, 410) shows no case content and writes nothing to the
  database (sessions and the cache aside).
"""

from __future__ import annotations

import logging
import re
from datetime import date, timedelta
from functools import cache, cached_property
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.db import connection, transaction
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from accounts.models import Role
from bestpractices.models import Entry
from cases import vault
from tests import access_policy as policy
from tests.access_policy import (
    ACTION_ITEM,
    ADMINISTRATOR,
    ADVOCAAT,
    ADVOCAAT_USER,
    AGENDA_ITEM,
    ANONYMOUS,
    ASSIGNMENT,
    CASE,
    CONSULT,
    CONSULTED,
    COORDINATOR,
    DECISION,
    ENTRY,
    EXPORT_REQUEST,
    FEED,
    FIRST_LINE,
    HANDOVER,
    INVITATION,
    INVITATION_LINK,
    LIBRARY_ENTRY,
    MEETING,
    MINUTES,
    NONE,
    OTHER,
    OWN,
    PUBLIC_ENTRY,
    RECOMMENDATION,
    RESEARCHER,
    RESPONSE_LINK,
    ROLES,
    ROSTER,
    SAME,
    SERIES,
    SERIES_MEMBER,
    SHIFT,
    SIGNAL,
    SIGNED_IN,
    STUURGROEP,
    SWAP,
    SYNONYM,
    TEMPLATE_ITEM,
    WAITLIST,
)
from tests.accounts.factories import InvitationFactory, member
from tests.bestpractices.factories import EntryFactory, SynonymFactory, adopted_entry
from tests.cases.factories import (
    CaseFactory,
    CaseTeamPermissionFactory,
    CaseUserPermissionFactory,
    ClientIdentityFactory,
    HandoverFactory,
    SocialMapEntryFactory,
    SubProblemFactory,
)
from tests.piket.factories import (
    AdvocaatProfileFactory,
    AssignmentFactory,
    CalendarFeedFactory,
    ConsultFactory,
    RosterFactory,
    ShiftFactory,
    SwapFactory,
    WaitlistEntryFactory,
)
from tests.research.factories import ExportRequestFactory, researcher
from tests.signalering.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    AgendaTemplateItemFactory,
    DecisionFactory,
    GuestFactory,
    MeetingFactory,
    RecommendationFactory,
    SeriesFactory,
    SeriesMemberFactory,
    SignalFactory,
)

# Case content a refusing page must never show: every case the test builds has a client in the
# vault, a sub-problem analysis, a question, a consult and a handover with these texts.
CLIENT_NAME = "Gerarda Geheimnaam"
ANALYSIS = "Analyse-ZQX: huurverhoging boven het maximum"
QUESTION = "Vraag-ZQX: kan de verhuurder dit zomaar?"
CONSULT_QUESTION = "Consultvraag-ZQX: is bezwaar zinvol?"
HANDOVER_CONTEXT = "Overdracht-ZQX: bezwaartermijn loopt af"
SECRETS = (CLIENT_NAME, ANALYSIS, QUESTION, CONSULT_QUESTION, HANDOVER_CONTEXT)

# The persona who plays each role (conftest.py); ravi, eva and cor own the objects around them.
PERSONA_OF_ROLE = {
    FIRST_LINE: "anna",
    ADVOCAAT: "bart",
    COORDINATOR: "carla",
    RESEARCHER: "olga",
    ADMINISTRATOR: "bea",
    STUURGROEP: "stef",
}

# What each POST sends: what a user with the right would send, so that a POST getting past a
# missing check would change something (and be caught). Other URLs get an empty POST.
PAYLOADS = {
    "cases:status": {"status": "wacht_tweedelijn"},
    "cases:note": {"text": "Notitie van de toegangstest."},
    "cases:reveal": {"reason": "terugbellen over de afspraak"},
    "cases:handover_decide": {"decision": "accept"},
    "piket:consult_cancel": {"reason": "Verhinderd door ziekte."},
    "signalering:signal_resolve": {"resolution": "Besproken met het UWV; opgelost."},
    "signalering:signal_judge": {"justified": "ja"},
    "signalering:recommendation_status": {"status": "submitted"},
    "signalering:recommendation_answer": {"answer": "Het UWV neemt de aanbeveling over."},
    "signalering:recommendation_milestone": {"description": "Gesprek met het UWV"},
    "signalering:action_status": {"status": "done"},
}

# ---------------------------------------------------------------- the URLs

# URL name (or "<namespace>:<unnamed> /route") -> (route, pattern)
URLS = {key: (route, pattern) for key, route, pattern in policy.walk_urls()}
KEYS = sorted(URLS)
PRODUCT_KEYS = [key for key in KEYS if policy.group_of(key) is None]


def _example_path(route: str) -> str:
    """A concrete path for a third-party pattern: example values for its arguments."""
    route = route.replace("^", "").replace("$", "").replace("\\Z", "").replace("\\/", "/")
    route = route.replace("(?P<url>.*)", "onbekend/")  # the admin's catch-all
    route = re.sub(r"\(\?P<[^>]+>([a-z_]+)\|[^)]*\)", r"\1", route)  # a choice: the first
    route = re.sub(r"\(\?P<[^>]+>[^)]*\)", "x", route)  # any other regex group
    route = re.sub(r"<(?:int|path):[^>]+>", "1", route)
    return "/" + re.sub(r"<[^>]+>", "x", route)


def _path(key: str, kwargs: dict) -> str:
    route, pattern = URLS[key]
    if policy.group_of(key) is not None:
        return _example_path(route)
    wanted = set(pattern.pattern.regex.groupindex)
    try:
        return reverse(key, kwargs={k: v for k, v in kwargs.items() if k in wanted})
    except NoReverseMatch:
        raise AssertionError(
            f"{key}: can't build /{route} from {kwargs}: is the entry's kind of object right?"
        ) from None


# ---------------------------------------------------------------- the objects

# Kind -> role ("*": any other role) -> relation -> the object (by its name in World) at that
# relation to the role's persona. Anonymous visitors get the first-line worker's first object.
TARGETS = {
    CASE: {
        FIRST_LINE: {
            OWN: "case_own",
            CONSULTED: "case_handed",
            SAME: "case_same",
            OTHER: "case_other",
        },
        ADVOCAAT: {CONSULTED: "case_consulted", SAME: "case_same", OTHER: "case_other"},
        "*": {SAME: "case_own", OTHER: "case_other"},
    },
    HANDOVER: {
        FIRST_LINE: {
            OWN: "handover_sent",
            CONSULTED: "handover_to_team",
            SAME: "handover_to_bart",
            OTHER: "handover_other",
        },
        ADVOCAAT: {CONSULTED: "handover_to_bart", SAME: "handover_sent", OTHER: "handover_other"},
        "*": {SAME: "handover_sent", OTHER: "handover_other"},
    },
    CONSULT: {
        FIRST_LINE: {OWN: "consult_own", SAME: "consult_bart", OTHER: "consult_other"},
        ADVOCAAT: {CONSULTED: "consult_bart", SAME: "consult_own", OTHER: "consult_other"},
        "*": {SAME: "consult_own", OTHER: "consult_other"},
    },
    ASSIGNMENT: {
        ADVOCAAT: {OWN: "assignment_own", SAME: "assignment_same", OTHER: "assignment_other"},
        "*": {SAME: "assignment_same", OTHER: "assignment_other"},
    },
    SWAP: {
        ADVOCAAT: {OWN: "swap_own", CONSULTED: "swap_to_bart", OTHER: "swap_other"},
        "*": {SAME: "swap_to_bart", OTHER: "swap_other"},
    },
    WAITLIST: {
        FIRST_LINE: {OWN: "wait_own", SAME: "wait_same", OTHER: "wait_other"},
        "*": {SAME: "wait_same", OTHER: "wait_other"},
    },
    ROSTER: {"*": {SAME: "roster_same", OTHER: "roster_other"}},
    SHIFT: {"*": {SAME: "shift_same", OTHER: "shift_other"}},
    ENTRY: {"*": {SAME: "entry_same", OTHER: "entry_other"}},
    INVITATION: {"*": {SAME: "invitation_same", OTHER: "invitation_other"}},
    INVITATION_LINK: {"*": {OWN: "invitation_same"}},
    FEED: {"*": {OWN: "feed_anna"}},
    ADVOCAAT_USER: {
        ADVOCAAT: {OWN: "bart", SAME: "dirk", OTHER: "ada"},
        "*": {SAME: "bart", OTHER: "ada"},
    },
    EXPORT_REQUEST: {
        RESEARCHER: {OWN: "export_own", OTHER: "export_other"},
        "*": {OTHER: "export_own"},
    },
    SIGNAL: {
        FIRST_LINE: {OWN: "signal_anna", SAME: "signal_same", OTHER: "signal_other"},
        "*": {SAME: "signal_same", OTHER: "signal_other"},
    },
    RECOMMENDATION: {"*": {SAME: "recommendation_same", OTHER: "recommendation_other"}},
    DECISION: {"*": {SAME: "decision_same", OTHER: "decision_other"}},
    # the signaleringsoverleg: Utrecht's series has Carla as chair and Anna as participant;
    # Bart is a member of the location who does not take part
    **{
        kind: {
            FIRST_LINE: {OWN: f"sig{name}_same", OTHER: f"sig{name}_other"},
            ADVOCAAT: {SAME: f"sig{name}_same", OTHER: f"sig{name}_other"},
            COORDINATOR: {OWN: f"sig{name}_same", OTHER: f"sig{name}_other"},
            "*": {SAME: f"sig{name}_same", OTHER: f"sig{name}_other"},
        }
        for kind, name in (
            (SERIES, "series"),
            (MEETING, "meeting"),
            (AGENDA_ITEM, "item"),
            (ACTION_ITEM, "action"),
            (MINUTES, "minutes"),
            (SERIES_MEMBER, "member"),
            (TEMPLATE_ITEM, "template"),
        )
    },
    RESPONSE_LINK: {"*": {OWN: "sigresponse_same"}},
    PUBLIC_ENTRY: {"*": {OWN: "bppublic_open", OTHER: "bppublic_internal"}},
    SYNONYM: {"*": {SAME: "bpsynonym_row"}},
    LIBRARY_ENTRY: {
        FIRST_LINE: {OWN: "bp_own", OTHER: "bp_other", SAME: "bp_adopted"},
        "*": {OTHER: "bp_other", SAME: "bp_adopted"},
    },
}

# An unknown key for every kind of URL argument (never a real object).
UNKNOWN = {
    "number": "Z-0000-0000",
    "pk": 987654321,
    "user_id": 987654321,
    "token": "onbekend",
    "slug": "onbekend-praktijkvoorbeeld",
}


def _kwargs(kind: str, obj) -> dict:
    """The URL arguments that name `obj`."""
    if kind == CASE:
        return {"number": obj.number, "position": 1}
    if kind == SWAP:
        return {"pk": obj.pk, "answer": "afwijzen"}
    if kind in (INVITATION_LINK, FEED):
        return {"token": obj.token}
    if kind == RESPONSE_LINK:
        return {"token": obj.token, "answer": "yes"}
    if kind == ADVOCAAT_USER:
        return {"user_id": obj.pk}
    if kind in (PUBLIC_ENTRY, LIBRARY_ENTRY):
        return {"slug": obj.slug}
    return {"pk": obj.pk}


class World:
    """Real objects at every relation to each role's persona, built on first use.

    Utrecht: anna (loket) and ravi (raadslieden) register cases; bart and dirk are advocaten;
    carla coordinates. Amsterdam: eva registers, ada and aart are advocaten, cor coordinates."""

    def __init__(self, personas, orgs_utrecht, orgs_amsterdam, utrecht, amsterdam):
        self.p = personas
        self.ut, self.am = orgs_utrecht, orgs_amsterdam
        self.utrecht, self.amsterdam = utrecht, amsterdam

    def targets(self, kind: str | None, role: str) -> dict[str, dict]:
        """Relation -> URL arguments, for this kind of object and role."""
        if kind is None:
            today = timezone.localdate()
            return {NONE: {"year": today.year, "month": today.month}}
        if kind not in TARGETS:
            raise AssertionError(
                f"tests/test_access_policy.py builds no {kind!r}: add it to TARGETS"
            )
        anonymous = role == ANONYMOUS
        by_role = TARGETS[kind]
        names = by_role.get(FIRST_LINE if anonymous else role, by_role["*"])
        if anonymous:
            names = dict(list(names.items())[:1])
        found = {relation: _kwargs(kind, self.object(name)) for relation, name in names.items()}
        return {**found, NONE: {**UNKNOWN, "position": 1, "answer": "afwijzen"}}

    SECTION_OF = {
        **dict.fromkeys(("case",), "cases"),
        **dict.fromkeys(("roster", "shift", "assignment", "consult", "swap", "wait"), "piket"),
        **dict.fromkeys(("handover",), "handovers"),
        **dict.fromkeys(("entry", "invitation", "feed"), "others"),
        **dict.fromkeys(("export",), "exports"),
        **dict.fromkeys(("signal", "recommendation", "decision"), "signals_and_recommendations"),
        **dict.fromkeys(
            (
                "sigseries",
                "sigmeeting",
                "sigitem",
                "sigaction",
                "sigminutes",
                "sigmember",
                "sigtemplate",
                "sigresponse",
            ),
            "signalering",
        ),
        **dict.fromkeys(("bppublic", "bpsynonym"), "bp_search"),
        **dict.fromkeys(("bp",), "library"),
    }

    def object(self, name: str):
        """The object by its name in TARGETS; only its section of the world is built."""
        return getattr(self, self.SECTION_OF.get(name.split("_")[0], "people"))[name]

    @cached_property
    def people(self) -> dict:
        ut, am = self.ut["advocatuur"], self.am["advocatuur"]
        people = {
            **self.p,
            "dirk": member(Role.ADVOCAAT, ut, email="dirk@example.org", totp=False),
            "ada": member(Role.ADVOCAAT, am, email="ada@example.org", totp=False),
            "aart": member(Role.ADVOCAAT, am, email="aart@example.org", totp=False),
        }
        for name in ("bart", "dirk", "ada", "aart"):
            AdvocaatProfileFactory(advocaat=people[name])
        return people

    def _case(self, organisation, registered_by):
        case = CaseFactory(
            organisation=organisation, registered_by=registered_by, question=QUESTION
        )
        SubProblemFactory(case=case, analysis=ANALYSIS)
        client = vault.Identity(full_name=CLIENT_NAME, birth_date=date(1970, 1, 2))
        ClientIdentityFactory(case=case, identity=client)
        return case

    @cached_property
    def cases(self) -> dict:
        p, ut, am = self.p, self.ut, self.am
        cases = {
            "case_own": self._case(ut["loket"], p["anna"]),
            "case_same": self._case(ut["raadslieden"], p["ravi"]),
            "case_other": self._case(am["loket"], p["eva"]),
            "case_handed": self._case(am["raadslieden"], p["eva"]),
            "case_consulted": self._case(ut["raadslieden"], p["ravi"]),
        }
        # an accepted handover
        CaseTeamPermissionFactory(content_object=cases["case_handed"], organisation=ut["loket"])
        self._grant(cases["case_consulted"], p["bart"])  # ravi consulted bart (and booked him)
        return cases

    def _grant(self, case, advocaat):
        CaseUserPermissionFactory(content_object=case, user=advocaat)

    def _consult(self, case, shift, advocaat, booked_by, *, grant=True):
        if grant:  # booking lets the advocaat see the case
            self._grant(case, advocaat)
        return ConsultFactory(
            case=case,
            shift=shift,
            advocaat=advocaat,
            booked_by=booked_by,
            question=CONSULT_QUESTION,
        )

    @cached_property
    def piket(self) -> dict:
        p, c, people = self.p, self.cases, self.people
        o = {
            "roster_same": RosterFactory(location=self.utrecht, capacity=2, created_by=p["carla"]),
            "roster_other": RosterFactory(location=self.amsterdam, created_by=p["cor"]),
        }
        o["shift_same"] = ShiftFactory(roster=o["roster_same"])
        o["shift_other"] = ShiftFactory(roster=o["roster_other"])
        duty = AssignmentFactory
        o["assignment_own"] = duty(shift=o["shift_same"], advocaat=p["bart"])
        o["assignment_same"] = duty(shift=o["shift_same"], advocaat=people["dirk"])
        o["assignment_other"] = duty(shift=o["shift_other"], advocaat=people["ada"])
        o["consult_own"] = self._consult(c["case_own"], o["shift_same"], people["dirk"], p["anna"])
        o["consult_bart"] = self._consult(
            c["case_consulted"], o["shift_same"], p["bart"], p["ravi"], grant=False
        )
        o["consult_other"] = self._consult(
            c["case_other"], o["shift_other"], people["ada"], p["eva"]
        )
        o["swap_own"] = SwapFactory(assignment=o["assignment_own"], to_advocaat=people["dirk"])
        o["swap_to_bart"] = SwapFactory(assignment=o["assignment_same"], to_advocaat=p["bart"])
        o["swap_other"] = SwapFactory(assignment=o["assignment_other"], to_advocaat=people["aart"])
        o["wait_own"] = WaitlistEntryFactory(case=c["case_own"], requested_by=p["anna"])
        o["wait_same"] = WaitlistEntryFactory(case=c["case_same"], requested_by=p["ravi"])
        o["wait_other"] = WaitlistEntryFactory(case=c["case_other"], requested_by=p["eva"])
        return o

    @cached_property
    def exports(self) -> dict:
        """Export requests waiting for a decision: Olga's, and another researcher's."""
        return {
            "export_own": ExportRequestFactory(requester=self.p["olga"]),
            "export_other": ExportRequestFactory(requester=researcher()),
        }

    @cached_property
    def signals_and_recommendations(self) -> dict:
        """Signals, local recommendations and meeting decisions at both locations (the
        signal's feedback kind lets a coordinator judge it)."""
        p = self.p

        def decision(location):
            meeting = MeetingFactory(series=SeriesFactory(location=location))
            return DecisionFactory(agenda_item=AgendaItemFactory(meeting=meeting))

        return {
            "signal_anna": SignalFactory(location=self.utrecht, raised_by=p["anna"]),
            "signal_same": SignalFactory(location=self.utrecht, raised_by=p["ravi"]),
            "signal_other": SignalFactory(location=self.amsterdam, raised_by=p["eva"]),
            "recommendation_same": RecommendationFactory(location=self.utrecht),
            "recommendation_other": RecommendationFactory(location=self.amsterdam),
            "decision_same": decision(self.utrecht),
            "decision_other": decision(self.amsterdam),
        }

    @cached_property
    def library(self) -> dict:
        """Entries of the library: in consultation (anna's, ravi's) and adopted (ravi's)."""
        p = self.p
        return {
            "bp_own": EntryFactory(status=Entry.Status.CONSULTATION, author=p["anna"]),
            "bp_other": EntryFactory(status=Entry.Status.CONSULTATION, author=p["ravi"]),
            "bp_adopted": EntryFactory(status=Entry.Status.ADOPTED, author=p["ravi"]),
        }

    @cached_property
    def handovers(self) -> dict:
        """Pending warm handovers."""
        c, ut, am = self.cases, self.ut, self.am

        def handover(case, to, **fields):
            return HandoverFactory(
                case=case, to_organisation=to, context=HANDOVER_CONTEXT, **fields
            )

        return {
            "handover_sent": handover(c["case_own"], ut["raadslieden"]),
            "handover_to_team": handover(c["case_same"], ut["loket"]),
            "handover_to_bart": handover(
                c["case_consulted"], ut["advocatuur"], to_advocaat=self.p["bart"]
            ),
            "handover_other": handover(c["case_other"], am["raadslieden"]),
        }

    @cached_property
    def others(self) -> dict:
        """Sociale-kaart entries, invitations and a calendar feed."""
        p, ut, am = self.p, self.ut, self.am

        def invitation(organisation, inviter, email):
            invitee = member(
                Role.FIRST_LINE, organisation, email=email, is_active=False, totp=False
            )
            return InvitationFactory(user=invitee, invited_by=inviter)

        return {
            "entry_same": SocialMapEntryFactory(location=self.utrecht),
            "entry_other": SocialMapEntryFactory(location=self.amsterdam),
            "invitation_same": invitation(ut["loket"], p["carla"], "nieuw-utrecht@example.org"),
            "invitation_other": invitation(am["loket"], p["cor"], "nieuw-amsterdam@example.org"),
            "feed_anna": CalendarFeedFactory(user=p["anna"]),
        }

    @cached_property
    def signalering(self) -> dict:
        """A series at Utrecht (Carla chair, Anna participant) and one at Amsterdam (Cor chair),
        each with a past meeting in draft (an item, an action, a guest, a template line), an
        approved version of an earlier meeting, and a valid answer link."""
        from signalering.models import MinutesVersion
        from signalering.services import token_hash

        o = {}
        for side, location, chair, participant in (
            ("same", self.utrecht, self.p["carla"], self.p["anna"]),
            ("other", self.amsterdam, self.p["cor"], self.p["eva"]),
        ):
            series = SeriesFactory(location=location)
            SeriesMemberFactory(series=series, user=chair, role="chair")
            owner = SeriesMemberFactory(series=series, user=participant)
            guest = GuestFactory(series=series)
            today = timezone.localdate().replace(day=1)
            earlier = (today - timedelta(days=40)).replace(day=1)
            meeting = MeetingFactory(
                series=series, month=(today - timedelta(days=1)).replace(day=1)
            )
            held = MeetingFactory(series=series, month=earlier, status="held")
            attendance = meeting.attendances.create(
                member=guest, response_token_hash=token_hash(f"tok-{side}")
            )
            attendance.token = f"tok-{side}"
            o.update(
                {
                    f"sigseries_{side}": series,
                    f"sigmeeting_{side}": meeting,
                    f"sigitem_{side}": AgendaItemFactory(meeting=meeting),
                    f"sigaction_{side}": ActionItemFactory(meeting=meeting, owner=owner),
                    f"sigminutes_{side}": MinutesVersion.objects.create(
                        meeting=held,
                        number=1,
                        status="approved",
                        content={"items": [], "attendance": []},
                        approved_by=chair,
                        approved_at=timezone.now(),
                    ),
                    f"sigmember_{side}": guest,
                    f"sigtemplate_{side}": AgendaTemplateItemFactory(series=series),
                    f"sigresponse_{side}": attendance,
                }
            )
        return o

    @cached_property
    def bp_search(self) -> dict:
        """The library's public reading and synonym list: a public adopted entry, an adopted
        one that is not public, a synonym row."""
        return {
            "bppublic_open": adopted_entry(is_public=True, author=self.p["anna"]),
            "bppublic_internal": adopted_entry(author=self.p["anna"]),
            "bpsynonym_row": SynonymFactory(),
        }


@pytest.fixture(autouse=True)
def _quiet_refusals():
    """Django logs every 403 and 404 with a traceback: thousands here, and slow."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


@pytest.fixture
def world(personas, orgs_utrecht, orgs_amsterdam, utrecht, amsterdam) -> World:
    return World(personas, orgs_utrecht, orgs_amsterdam, utrecht, amsterdam)


@pytest.fixture
def clients(personas, settings) -> dict[str, Client]:
    """A signed-in client per role (its persona), and one for the anonymous visitor.

    Sessions live in signed cookies here: the same for access, without two queries a request."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    clients = {ANONYMOUS: Client()}
    for role, persona in PERSONA_OF_ROLE.items():
        clients[role] = Client()
        clients[role].force_login(
            personas[persona], backend="django.contrib.auth.backends.ModelBackend"
        )
    return clients


# ---------------------------------------------------------------- one request

ADMIN_PREFIX = reverse("admin:index")


@cache
def _tables() -> list[int]:
    """The tables whose writes count: all of ours but sessions and the cache."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relid FROM pg_stat_user_tables "
            "WHERE relname NOT IN ('django_session', 'pilot_cache')"
        )
        return [row[0] for row in cursor.fetchall()]


def _writes() -> int:
    """Rows inserted, updated or deleted so far in this transaction (sessions, cache aside).

    PostgreSQL counts them per transaction, rolled-back savepoints included."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sum(pg_stat_get_xact_tuples_inserted(t) + pg_stat_get_xact_tuples_updated(t)"
            " + pg_stat_get_xact_tuples_deleted(t)) FROM unnest(%s::oid[]) t",
            [_tables()],
        )
        return cursor.fetchone()[0]


def _in_admin(location: str) -> bool:
    return urlsplit(location).path.startswith(ADMIN_PREFIX)


def _outcome(response) -> str | int:
    status = response.status_code
    if 300 <= status < 400:
        target = response["Location"]
        return policy.LOGIN if target.startswith(reverse("account_login")) else policy.OK
    if status < 300 or status in (400, 409):  # 400, 409: a form that did not validate
        return policy.OK
    return min(status, policy.SERVER_ERROR)


class Requests:
    """Sends one request per cell, each in a savepoint that is rolled back."""

    def __init__(self, clients: dict[str, Client]):
        self.clients = clients
        self.writes = _writes()

    def send(self, role: str, method: str, path: str, data: dict) -> tuple[str | int, list[str]]:
        """The outcome, and what is wrong besides it (a leak, a write, a server error)."""
        client = self.clients[role]
        cookies = SimpleCookie()
        cookies.load(client.cookies.output(header="", sep=";"))  # logout or login change them
        with transaction.atomic():
            try:
                response = getattr(client, method)(path, data)
                for _hop in range(3):
                    # The admin sends whoever may not use it to its own login page, which
                    # refuses those already signed in: that page's answer is the outcome.
                    if response.status_code != 302 or not _in_admin(response["Location"]):
                        break
                    response = client.get(response["Location"])
            except Exception as exc:  # a server error: the client re-raises the view's exception
                transaction.set_rollback(True)
                client.cookies = cookies
                self.writes = None
                return policy.SERVER_ERROR, [f"server error: {type(exc).__name__}: {exc}"]
            writes = _writes()
            transaction.set_rollback(True)
        client.cookies = cookies
        written, self.writes = writes - self.writes, writes
        outcome = _outcome(response)
        problems = []
        if response.status_code >= 500:
            problems.append(f"server error {response.status_code}")
        if problem := _cache_problem(role, response):
            problems.append(problem)
        if outcome != policy.OK:
            body = response.content.decode(errors="replace")
            if leaked := [secret for secret in SECRETS if secret in body]:
                problems.append(f"refused, yet shows case content {leaked}")
            if written:
                problems.append(f"refused, yet wrote {written} row(s)")
        return outcome, problems

    def resync(self) -> None:
        if self.writes is None:
            self.writes = _writes()


def _cache_problem(role: str, response) -> str | None:
    """Every answer to a signed-in user (form errors and refusals too) is kept out of every
    cache; an anonymous visitor's only when its view is not marked @public_page."""
    cache_control = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    if role == ANONYMOUS and "public" in cache_control:
        return None
    if not {"no-store", "private"} <= cache_control:
        return f"Cache-Control is {response.get('Cache-Control')!r}, not no-store and private"
    return None


# ---------------------------------------------------------------- the checks


def _check(keys: list[str], world: World, clients: dict, roles_for=lambda _index: ROLES) -> None:
    cells = []
    for index, key in enumerate(keys):
        kind, get, post = policy.tables_for(key)
        for role in roles_for(index):
            for relation, kwargs in world.targets(kind, role).items():
                for method, table in (("get", get), ("post", post)):
                    cells.append((key, role, relation, method, _path(key, kwargs), table))
    requests = Requests(clients)  # the objects exist now: from here on only requests write
    wrong, known, followed = [], [], []
    for key, role, relation, method, path, table in cells:
        requests.resync()
        actual, problems = requests.send(role, method, path, PAYLOADS.get(key, {}))
        declared = policy.cell(table, role, relation)
        if declared == policy.ANSWERS and actual not in (policy.LOGIN, policy.SERVER_ERROR):
            actual = policy.ANSWERS  # any answer but the login page or a server error
        where = f"{method.upper()} {path} ({key}) as {role}, {relation}: {actual}"
        if isinstance(declared, policy.Should) and actual == declared.today:
            known.append(f"{where}, should be {declared.outcome}")
            problems = [p for p in problems if not p.startswith("server error")]
        elif isinstance(declared, policy.Should) and actual == declared.outcome:
            followed.append(f"{where}, as declared: drop the should(...)")
        elif declared is None:
            wrong.append(f"{where}: the policy has no cell for it")
        elif actual != getattr(declared, "outcome", declared):
            wrong.append(f"{where}, declared {getattr(declared, 'outcome', declared)}")
        wrong.extend(f"{where}: {problem}" for problem in problems)
    if wrong or followed:
        pytest.fail(
            "\n".join(
                [
                    "Answers that differ from tests/access_policy.py (fix the product, or the "
                    "policy and then `make docs-access`):",
                    *wrong,
                    *followed,
                ]
            )
        )
    if known:
        message = "\n".join(["Known differences, declared with should(...):", *known])
        pytest.xfail(message)
        pytest.fail(message)  # with --runxfail, where xfail() does nothing


KIND_NAMES = [
    name for name, value in vars(policy).items() if isinstance(value, str) and value in policy.KINDS
]


def _missing(key: str) -> str:
    route, pattern = URLS[key]
    kind = f"\n        <{' | '.join(KIND_NAMES)}>," if pattern.pattern.regex.groupindex else ""
    return (
        f"URL {key!r} (/{route}) has no access policy. Add its entry to POLICY in "
        f"tests/access_policy.py:\n\n"
        f'    "{key}": page(\n'
        f'        "<Dutch page title>",{kind}\n'
        f"        get={{FIRST_LINE: …, ADVOCAAT: …, COORDINATOR: …, RESEARCHER: …, "
        f"ADMINISTRATOR: …, STUURGROEP: …}},\n"
        f"        post=AS_GET,\n"
        f"    ),\n\n"
        f"A cell is an outcome (OK, FORBIDDEN, NOT_FOUND, …) or, per relation of the user to "
        f"the object, {{OWN: OK, ELSE: NOT_FOUND}}; only({{COORDINATOR: OK}}) gives every other "
        f"role 403; get=POST_ONLY for a URL that takes only POST; post=AS_GET when a POST "
        f"answers as a GET, else a table like get's; ANONYMOUS is LOGIN unless given. A new "
        f"kind of object also needs KINDS there and TARGETS/World in tests/test_access_policy.py. "
        f"Then run `make docs-access`."
    )


@pytest.mark.parametrize("key", PRODUCT_KEYS)
def test_the_url_answers_as_the_policy_declares(key, world, clients):
    if key not in policy.POLICY:
        pytest.fail(_missing(key))
    _check([key], world, clients)


# Third-party URLs are many and their group's rule treats most roles alike: each URL is tried by
# the roles named here, and by one of the other roles (the anonymous visitor too) in turn.
GROUP_ROLES = {
    "allauth": (ANONYMOUS,),
    "admin": (ADMINISTRATOR,),
}


@pytest.mark.parametrize("group", sorted(policy.GROUPS))
def test_third_party_urls_answer_as_their_group_rule(group, world, clients):
    keys = [key for key in KEYS if policy.group_of(key) is policy.GROUPS[group]]
    assert keys, f"the group {group!r} matches no URL"
    turns = [role for role in ROLES if role not in GROUP_ROLES[group]]
    _check(keys, world, clients, lambda index: (*GROUP_ROLES[group], turns[index % len(turns)]))


def _first_accepted_post(key: str, world: World) -> tuple[str, dict] | None:
    """A signed-in role and URL arguments for which the policy says a POST gets through."""
    kind, _get, post = policy.tables_for(key)
    for role in SIGNED_IN:
        for relation, kwargs in world.targets(kind, role).items():
            declared = policy.cell(post, role, relation)
            if getattr(declared, "outcome", declared) in (policy.OK, policy.ANSWERS):
                return role, kwargs
    return None


def test_every_post_without_a_csrf_token_is_refused_and_changes_nothing(world, clients):
    """Each URL that accepts a POST, posted to by a user who may, but without the CSRF token
    (the browser of a site that tricks the user): 403 and no row written."""
    cells = []
    for key in KEYS:
        if found := _first_accepted_post(key, world):
            role, kwargs = found
            cells.append((key, role, _path(key, kwargs)))
    assert len(cells) > 50, "the walk finds the POST URLs"
    no_token = {}
    for role, client in clients.items():
        no_token[role] = Client(enforce_csrf_checks=True)
        no_token[role].cookies = client.cookies
        # the browser still holds the CSRF cookie: only the token in the form is missing
        no_token[role].cookies[django_settings.CSRF_COOKIE_NAME] = _get_new_csrf_string()
    requests = Requests(no_token)
    wrong = []
    for key, role, path in cells:
        requests.resync()
        outcome, problems = requests.send(role, "post", path, PAYLOADS.get(key, {}))
        if outcome != policy.FORBIDDEN:
            problems.append(f"answered {outcome}, not 403")
        wrong.extend(f"POST {path} ({key}) as {role} without a token: {p}" for p in problems)
    assert not wrong, "\n".join(wrong)


def test_every_policy_entry_names_a_url_and_uses_known_cells():
    assert set(SIGNED_IN) == set(Role.values), "a new role: add it to ROLES and every entry"
    problems = []
    for key, entry in policy.POLICY.items():
        if key not in URLS:
            problems.append(f"{key}: no URL has this name any more: remove the entry")
        if policy.group_of(key) is not None:
            problems.append(f"{key}: also matched by a third-party group's prefixes")
        if entry.kind not in policy.KINDS:
            problems.append(f"{key}: unknown kind {entry.kind!r} (see KINDS)")
            continue
        relations = {*policy.KINDS[entry.kind], NONE, policy.ELSE}
        for method, table in (("get", entry.get), ("post", entry.post)):
            if set(table) != set(policy.ROLES):
                problems.append(f"{key} {method}: cells for {sorted(table)}, not every role")
            for role, spec in table.items():
                cells = spec if isinstance(spec, dict) else {policy.ELSE: spec}
                if unknown := set(cells) - relations:
                    problems.append(f"{key} {method} {role}: relations {unknown} not in KINDS")
                for value in cells.values():
                    if getattr(value, "outcome", value) not in policy.OUTCOMES:
                        problems.append(f"{key} {method} {role}: unknown outcome {value!r}")
    assert not problems, "\n".join(problems)


def test_docs_access_md_is_rendered_from_the_policy():
    routes = {key: route for key, (route, _pattern) in URLS.items()}
    docs = Path(__file__).resolve().parent.parent / "docs" / "access.md"
    assert docs.exists() and docs.read_text(encoding="utf-8") == policy.render(routes), (
        "docs/access.md is not what tests/access_policy.py renders: run `make docs-access`"
    )
