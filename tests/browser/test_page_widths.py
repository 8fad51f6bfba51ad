"""Every page fits the screen: for each role, every page it can open (walked from the URL
resolver with real objects, the administrators' pages included) at 375, 1024 and 1280 pixels
wide never scrolls sideways.

One browser context per role; each page is loaded once and the viewport resized around it.
Which pages a role can open is asked of Django's test client first (200 with HTML), so
downloads, POST-only URLs and refusals are left out. The same pages, and the anonymous ones, go
through the Nu HTML checker (tests/vnu.py) in one run.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch
from django.utils import timezone

from bestpractices.models import Entry
from cases.models import LegalArea
from piket.models import Swap
from tests.accounts.factories import member
from tests.bestpractices.factories import (
    EndorsementFactory,
    EntryFactory,
    RevisionFactory,
    SynonymFactory,
    TaskRowFactory,
    adopted_entry,
)
from tests.cases.factories import (
    CaseFactory,
    CaseUserPermissionFactory,
    ClientIdentityFactory,
    HandoverFactory,
    NoteFactory,
    SocialMapEntryFactory,
    SubProblemFactory,
)
from tests.piket.factories import (
    AdvocaatProfileFactory,
    AssignmentFactory,
    ConsultFactory,
    RosterFactory,
    ShiftFactory,
    WaitlistEntryFactory,
)
from tests.signalering.factories import RecommendationFactory, SignalFactory
from tests.vnu import html_errors

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WIDTHS = (375, 1024, 1280)
# one persona per role (first line, advocaat, coordinator, researcher, administrator, stuurgroep)
ROLES = ["anna", "bart", "carla", "olga", "bea", "stef"]
LONG = (
    "Huurverhoging van de woningcorporatie lijkt boven het wettelijk maximum te liggen; "
    "bezwaar bij de huurcommissie binnen zes weken, stukken zijn opgevraagd."
)


@pytest.fixture
def world(anna, ravi, bart, carla, orgs_utrecht, utrecht):
    """A case with everything around it, so that every page has something to show."""
    huur = LegalArea.objects.get(slug="huurrecht")
    case = CaseFactory(organisation=orgs_utrecht["loket"], registered_by=anna, question=LONG)
    SubProblemFactory(case=case, legal_area=huur, analysis=LONG)
    NoteFactory(case=case, text=LONG)
    ClientIdentityFactory(case=case)
    AdvocaatProfileFactory(advocaat=bart, legal_areas=[huur])
    colleague = member(
        "advocaat", orgs_utrecht["advocatuur"], email="collega@example.org", full_name="Collega"
    )
    AdvocaatProfileFactory(advocaat=colleague, legal_areas=[huur])
    tomorrow = timezone.localdate() + timedelta(days=1)
    roster = RosterFactory(location=utrecht, weekday=tomorrow.weekday(), legal_areas=[huur])
    shift = ShiftFactory(roster=roster, date=tomorrow)
    assignment = AssignmentFactory(shift=shift, advocaat=bart)
    today = RosterFactory(location=utrecht, weekday=timezone.localdate().weekday())
    AssignmentFactory(shift=ShiftFactory(roster=today, date=timezone.localdate()), advocaat=bart)
    consult = ConsultFactory(shift=shift, advocaat=bart, case=case, booked_by=anna, question=LONG)
    CaseUserPermissionFactory(content_object=case, user=bart)
    Swap.objects.create(assignment=assignment, to_advocaat=colleague)
    handover = HandoverFactory(case=case, to_organisation=orgs_utrecht["raadslieden"], context=LONG)
    entry = SocialMapEntryFactory(
        location=utrecht,
        owner=carla,
        name="Stichting Schuldhulpmaatje Utrecht en omstreken",
        description=LONG,
        contact_route="https://www.schuldhulpmaatje.nl/aanmelden-voor-een-maatje-in-utrecht",
        last_checked_on=timezone.localdate() - timedelta(days=400),
    )
    waiting = WaitlistEntryFactory(case=case, requested_by=anna, location=utrecht)
    signal = SignalFactory(location=utrecht, raised_by=anna, description=LONG)
    recommendation = RecommendationFactory(location=utrecht, text=LONG)
    recommendation.signals.add(signal)
    signalering = _signalering(carla, anna, utrecht)
    # the library's public pages: a public adopted entry of the case's legal area (on the case
    # page too) and a public task division; a synonym
    practice = adopted_entry(areas=["huurrecht"], title=LONG[:120], summary=LONG, is_public=True)
    public_division = adopted_entry(kind=Entry.Kind.TASK_DIVISION, is_public=True)
    TaskRowFactory(
        entry=public_division, legal_area=huur, first_line_can=LONG, second_line_when=LONG
    )
    synonym = SynonymFactory(term="huurbaas", synonyms=["verhuurder", "woningcorporatie"])
    division = library_entry(huur, ravi, [anna, orgs_utrecht])
    return {
        **signalering,
        "slug": division.slug,
        "number": case.number,
        "position": 1,
        "consult": consult.pk,
        "handover": handover.pk,
        "entry": entry.pk,
        "roster": roster.pk,
        "shift": shift.pk,
        "assignment": assignment.pk,
        "advocaat": bart.pk,
        "waiting": waiting.pk,
        "signal": signal.pk,
        "recommendation": recommendation.pk,
        "public_slug": practice.slug,
        "synonym": synonym.pk,
    }


def _signalering(carla, anna, utrecht) -> dict:
    """Utrecht's series with a meeting in draft (long texts, a decision, an action) and an
    earlier one with approved minutes."""
    from signalering import services

    series = services.series_create(
        user=carla, data=services.SeriesData(name="Signaleringsoverleg Utrecht", location=utrecht)
    )
    services.series_member_add(user=carla, series=series, member_user=anna)
    first = timezone.localdate().replace(day=1)
    earlier = (first - timedelta(days=40)).replace(day=3)
    held = services.meeting_plan(
        user=carla,
        series=series,
        starts_at=timezone.make_aware(datetime.combine(earlier, time(14))),
    )
    version = services.minutes_approve(user=carla, meeting=held)
    last = (first - timedelta(days=1)).replace(day=5)
    meeting = services.meeting_plan(
        user=carla, series=series, starts_at=timezone.make_aware(datetime.combine(last, time(14)))
    )
    item = services.agenda_item_add(user=anna, meeting=meeting, title=LONG[:200], description=LONG)
    services.agenda_item_minute(
        user=carla, item=item, minutes=LONG, is_confidential=False, is_done=False
    )
    services.decision_add(user=carla, item=item, text=LONG)
    services.action_add(
        user=carla,
        item=item,
        description=LONG,
        owner=series.members.get(user=anna),
        due_date=timezone.localdate() + timedelta(days=3),
    )
    return {
        "sig_series": series.pk,
        "sig_meeting": meeting.pk,
        "sig_item": item.pk,
        "sig_version": version.pk,
    }


# url name -> {parameter: key of `world`}; any other parameter by its name (FALLBACK)
OBJECTS = {
    **dict.fromkeys(
        ("signalering:series", "signalering:member_add", "signalering:template_item_add"),
        {"pk": "sig_series"},
    ),
    "signalering:meeting_new": {"pk": "sig_series"},
    "signalering:meeting": {"pk": "sig_meeting"},
    "signalering:item_add": {"pk": "sig_meeting"},
    "signalering:item": {"pk": "sig_item"},
    "signalering:minutes_version": {"pk": "sig_version"},
    "cases:handover_decide": {"pk": "handover"},
    "cases:socialekaart_edit": {"pk": "entry"},
    "piket:booked": {"pk": "consult"},
    "piket:roster_edit": {"pk": "roster"},
    "piket:shift": {"pk": "shift"},
    "piket:swap_offer": {"pk": "assignment"},
    "piket:profile_edit": {"user_id": "advocaat"},
    "piket:waitlist_accept": {"pk": "waiting"},
    "signalering:signal": {"pk": "signal"},
    "signalering:recommendation": {"pk": "recommendation"},
    "bestpractices:synonym_edit": {"pk": "synonym"},
    "praktijk:entry": {"slug": "public_slug"},
    "praktijk:print": {"slug": "public_slug"},
    "praktijk:pdf": {"slug": "public_slug"},
}
FALLBACK = {"number": "number", "position": "position", "pk": "consult", "slug": "slug"}


def library_entry(area, author, endorsers):
    """An adopted task division with a long title, rows, endorsements, a newer version being
    worked on and a comment: the entry page at its fullest."""
    anna, orgs = endorsers
    entry = EntryFactory(
        status=Entry.Status.ADOPTED,
        kind=Entry.Kind.TASK_DIVISION,
        author=author,
        title="Taakverdeling huurrecht: huurverhoging, achterstallig onderhoud en ontruiming",
        summary=LONG,
        body=f"## Aanpak\n\n{LONG}\n\n- {LONG}\n- https://www.huurcommissie.nl/onderwerpen/huurprijs-en-punten",
        tags=["huurverhoging", "huurcommissie", "ontruiming"],
    )
    entry.legal_areas.set([area])
    TaskRowFactory(entry=entry, legal_area=area, first_line_can=LONG, second_line_when=LONG)
    for key in ("loket", "raadslieden", "advocatuur"):
        EndorsementFactory(entry=entry, organisation=orgs[key], endorsed_by=anna, note=LONG)
    RevisionFactory(entry=entry, body=LONG + "\n" + LONG)
    Entry.objects.filter(pk=entry.pk).update(
        current_revision=entry.revisions.order_by("-number")[0]
    )
    return entry


def _patterns(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # below, from the admin's registry
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", list(pattern.pattern.regex.groupindex)


def page_urls(world) -> list[str]:
    """Every URL of the project with real objects, and the admin's index, app pages,
    changelists and add forms."""
    urls = set()
    for name, parameters in _patterns(get_resolver().url_patterns):
        known = OBJECTS.get(name, {})
        try:
            kwargs = {p: world[known.get(p) or FALLBACK[p]] for p in parameters}
            urls.add(reverse(name, kwargs=kwargs))
        except (KeyError, NoReverseMatch):
            continue  # a token, a year of a CSV, a regex of allauth: no page to look at
    urls.add(reverse("admin:index"))
    for model in admin.site._registry:
        meta = model._meta
        urls.add(reverse("admin:app_list", args=[meta.app_label]))
        urls.add(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        urls.add(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))
    return sorted(urls)


def pages_of(user, urls: list[str]) -> list[str]:
    """The URLs that open a page for the user (200, a whole HTML document)."""
    return list(documents_of(user, urls))


def documents_of(user, urls: list[str]) -> dict[str, str]:
    """URL -> HTML of the URLs that open a page for the user (None: not signed in)."""
    client = Client()
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    documents = {}
    for url in urls:
        response = client.get(url)
        if (
            response.status_code == 200
            and response["Content-Type"].startswith("text/html")
            and b"<html" in response.content  # a page, not an htmx fragment
        ):
            documents[url] = response.content.decode()
    return documents


# the outermost elements that stick out on the right, to say in a failure what to fix
STICKING_OUT = """() => [...document.querySelectorAll("body *")]
  .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1
    && el.parentElement.getBoundingClientRect().right <= window.innerWidth + 1)
  .slice(0, 3)
  .map((el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + (el.className ? "." + String(el.className).trim().split(/\\s+/).join(".") : ""))"""


def overflows(page) -> list[str]:
    """The widths at which the current page scrolls sideways, and what sticks out."""
    found = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if scroll > inner:
            culprits = ", ".join(page.evaluate(STICKING_OUT))
            found.append(f"{page.url} at {width}px: {scroll}px wide ({culprits})")
    return found


def test_the_walk_reaches_every_app(world):
    urls = page_urls(world)
    for prefix in ("/casussen/", "/piket/", "/accounts/", "/beheer/"):
        assert sum(url.startswith(prefix) for url in urls) >= 5, prefix
    assert f"/casussen/{world['number']}/" in urls
    assert f"/piket/consult/{world['consult']}/" in urls


@pytest.mark.parametrize("persona", ROLES)
def test_no_page_scrolls_sideways(personas, world, signed_in, persona):
    pages = pages_of(personas[persona], page_urls(world))
    assert len(pages) >= 8, pages
    page = signed_in(personas[persona])
    problems = []
    for url in pages:
        page.goto(url)
        problems += overflows(page)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/password/reset/"])
def test_public_pages_do_not_scroll_sideways(page, path):
    page.goto(path)
    assert not overflows(page)


def test_every_page_is_valid_html(personas, world, tmp_path):
    """The Nu HTML checker finds no error in any page of the walk, for any role, nor in the
    pages anonymous visitors see (tests/vnu.py: one run over all of them)."""
    urls = page_urls(world)
    documents = {}
    for persona in [None, *ROLES]:
        pages = documents_of(personas[persona] if persona else None, urls)
        documents.update({f"{url} ({persona or 'anoniem'})": html for url, html in pages.items()})
    assert len(documents) > 100, sorted(documents)
    errors = html_errors(documents, tmp_path)
    assert not errors, "\n".join(errors)
