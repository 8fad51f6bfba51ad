"""Every read of case content is audited (cases.middleware.CaseReadAuditMiddleware): one VIEW
entry per response that shows case content, naming the cases shown.

The main test is generated from the URL resolver: every URL of the project, GET as every
persona who works on the case; a page that shows the case (its number or its text) must have
written exactly one entry naming it, and a page that does not show it none. A new view can't
forget: its page is in the resolver, and whatever loaded the case loaded it through the models
that record their reads (cases.content)."""

from __future__ import annotations

import json
from datetime import time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from bestpractices.models import Entry
from cases import content
from cases.models import AuditEntry, Case, LegalArea, SecondLineAdvice
from piket.localtime import local_datetime
from piket.services.notifications import calendar_feed_renew
from tests.bestpractices.factories import EntryFactory
from tests.cases.factories import (
    PIET,
    CaseFactory,
    CaseUserPermissionFactory,
    ClientIdentityFactory,
    HandoverFactory,
    NoteFactory,
    SecondLineAdviceFactory,
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

CASE_QUESTION = "Verhuurder weigert de borg terug te betalen na de verhuizing."
CONSULT_QUESTION = "Kan de rechtzoekende de borg via de kantonrechter terugvorderen?"
PERSONAS = ["anna", "ravi", "bart", "carla", "bea", "stef"]


@pytest.fixture
def world(anna, bart, carla, orgs_utrecht, utrecht):
    """Anna's case with everything that shows it somewhere: a sub-problem with Bart's advice,
    a note, a handover to Ravi's organisation, a consult with Bart today, a waitlist entry, and
    the client's identity in the vault."""
    case = CaseFactory(
        organisation=orgs_utrecht["loket"], registered_by=anna, question=CASE_QUESTION
    )
    sub = SubProblemFactory(case=case, legal_area=LegalArea.objects.get(slug="huurrecht"))
    CaseUserPermissionFactory(content_object=case, user=bart)
    SecondLineAdviceFactory(subproblem=sub, advocaat=bart)
    NoteFactory(case=case)
    handover = HandoverFactory(case=case, to_organisation=orgs_utrecht["raadslieden"])
    ClientIdentityFactory(case=case)
    AdvocaatProfileFactory(advocaat=bart, legal_areas=["huurrecht"])
    today = timezone.localdate()
    roster = RosterFactory(location=utrecht, weekday=today.weekday(), created_by=carla)
    shift = ShiftFactory(
        roster=roster,
        date=today,
        starts_at=local_datetime(today, time(0, 0)),
        ends_at=local_datetime(today, time(23, 0)),
    )
    assignment = AssignmentFactory(shift=shift, advocaat=bart)
    consult = ConsultFactory(
        shift=shift, advocaat=bart, case=case, booked_by=anna, question=CONSULT_QUESTION
    )
    entry = WaitlistEntryFactory(case=case, requested_by=anna)
    pks = {
        "cases:handover_decide": handover.pk,
        "cases:handover_pick_up": handover.pk,
        "cases:handover_letter": handover.pk,
        "piket:consult_advice": consult.pk,
        "cases:socialekaart_edit": SocialMapEntryFactory(location=utrecht, owner=carla).pk,
        "piket:booked": consult.pk,
        **{
            f"piket:consult{page}": consult.pk
            for page in ("", "_cancel", "_move", "_held", "_no_show", "_not_reached")
        },
        "piket:roster_edit": roster.pk,
        "piket:shift": shift.pk,
        "piket:assignment_remove": assignment.pk,
        "piket:swap_offer": assignment.pk,
        "piket:waitlist_accept": entry.pk,
        "piket:waitlist_leave": entry.pk,
        "slug": EntryFactory(status=Entry.Status.ADOPTED).slug,  # the library's pages
    }
    return case, pks


PROJECT_APPS = {"accounts", "cases", "piket", "research", "signalering", "bestpractices", "pilot"}


def _routes(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{pattern.namespace}:" if pattern.namespace else namespace
            yield from _routes(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            kwargs = list(getattr(pattern.pattern, "converters", {})) or list(
                pattern.pattern.regex.groupindex
            )
            app = pattern.callback.__module__.split(".")[0]
            yield f"{namespace}{pattern.name}", tuple(kwargs), app in PROJECT_APPS


ROUTES = sorted(set(_routes(get_resolver().url_patterns)))

# Pages of objects that hold no case content: a 404 for an unknown key is good enough here.
NO_OBJECT = {
    "accounts:resend_invitation",
    "cases:socialekaart_checked",
    "cases:socialekaart_deactivate",
    "piket:roster_deactivate",
    "piket:shift_sign_up",
    "piket:swap_answer",
    "piket:profile_edit",
    # export requests hold parameters and anonymised aggregates, never case content
    "research:export",
    "research:export_status",
    "research:export_download",
    "research:export_decide",
    # signals and recommendations are about patterns, never a case (PII guard on their texts)
    "signalering:signal",
    "signalering:signal_resolve",
    "signalering:signal_judge",
    "signalering:recommendation",
    "signalering:recommendation_status",
    "signalering:recommendation_answer",
    "signalering:recommendation_milestone",
    "signalering:recommendation_milestone_done",
    "signalering:recommendation_consent",
    "signalering:recommendation_split",
    "signalering:recommendation_from_decision",
    "bestpractices:propose_from_recommendation",
    # the signaleringsoverleg is about patterns, never about a case (its texts pass the PII
    # guard; cases are only counted, through cases.figures)
    *(
        f"signalering:{name}"
        for name in (
            "series",
            "member_add",
            "member_remove",
            "template_item_add",
            "template_item_remove",
            "meeting_new",
            "meeting",
            "meeting_prepare",
            "item_add",
            "attendance",
            "minutes_approve",
            "minutes_correct",
            "minutes_pdf",
            "minutes_version",
            "item",
            "decision_add",
            "action_add",
            "item_copy",
            "action_status",
        )
    ),
    # the library's synonym list: words for the search, never case content
    "bestpractices:synonym_edit",
    "bestpractices:synonym_delete",
}


def url_for(name: str, kwargs: tuple[str, ...], own: bool, case: Case, pks: dict) -> str | None:
    """The URL of a route for the world's case. Every page of this project with an object key
    names its object in the world's `pks` (or in NO_OBJECT), so a new page is opened and
    checked, not skipped with a 404. None for pages of Django's admin and allauth with keys:
    they show no case content (no model holding it is in the admin)."""
    if kwargs and not own:
        return None
    today = timezone.localdate()
    values = {
        "number": case.number,
        "position": 1,
        "year": today.year,
        "month": today.month,
        "token": "onbekend",
        "answer": "accepteren",
        "slug": pks.get("slug", "onbekend"),
    }
    actual = {}
    for key in kwargs:
        if key in ("pk", "user_id"):
            assert name in pks or name in NO_OBJECT, f"add the object of {name} to the world"
            actual[key] = pks.get(name, 999999)
        else:
            assert key in values, f"{name}: no test value for <{key}>"
            actual[key] = values[key]
    return reverse(name, kwargs=actual)


def shows(response, case: Case) -> bool:
    """The page shows the case: its number, its text, or its consult (a link to it)."""
    if response.status_code >= 300:
        return False
    body = response.content.decode(errors="replace")
    consults = [f'href="{reverse("piket:consult", args=[c.pk])}"' for c in case.consults.all()]
    return any(m in body for m in (case.number, CASE_QUESTION, CONSULT_QUESTION, *consults))


def names(entry: AuditEntry, case: Case) -> bool:
    return entry.case_id == case.pk or case.pk in entry.detail.get("cases", [])


def test_the_routes_cover_every_app():
    assert {name.split(":")[0] for name, *_ in ROUTES} >= {"cases", "piket", "admin", "home"}
    assert len(ROUTES) > 60


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_that_shows_a_case_writes_one_entry_naming_it(personas, login, world, persona):
    case, pks = world
    user = personas[persona]
    client = login(user)
    seen = []
    for name, kwargs, own in ROUTES:
        url = url_for(name, kwargs, own, case, pks)
        if url is None:
            continue
        last = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        response = client.get(url)
        reads = [
            e for e in AuditEntry.objects.filter(pk__gt=last) if e.action == AuditEntry.Action.VIEW
        ]
        if shows(response, case):
            seen.append(name)
            assert len(reads) == 1, (persona, url, "one entry per response", reads)
            assert names(reads[0], case) and reads[0].actor == user, (persona, url)
        else:
            assert not any(names(e, case) for e in reads), (persona, url, "showed nothing")
    assert seen or persona in ("bea", "stef"), "the case is shown to everyone working on it"


def test_the_generated_test_sees_the_pages_of_every_kind(personas, login, world):
    """The test above visits what the issue names: list, detail, edit form, sub-problem,
    advice, consult, booking, day view with preparation cards, handover inbox."""
    case, pks = world
    expected = {
        "anna": ["cases:list", "cases:detail", "cases:edit", "cases:subproblem_add",
                 "cases:consult", "cases:handover", "piket:book", "piket:consult",
                 "piket:waitlist", "piket:waitlist_join"],
        "bart": ["cases:detail", "cases:advice", "cases:advice_all", "piket:day", "piket:consult"],
        "ravi": ["cases:handovers"],
        "carla": ["cases:list", "cases:detail"],
    }  # fmt: skip
    for persona, route_names in expected.items():
        client = login(personas[persona])
        for name in route_names:
            kwargs = next(k for n, k, _own in ROUTES if n == name)
            response = client.get(url_for(name, kwargs, True, case, pks))
            assert shows(response, case), (persona, name, response.status_code)


# ---------------------------------------------------------------- the rules, one by one


def view_entries():
    return list(AuditEntry.objects.filter(action=AuditEntry.Action.VIEW).order_by("pk"))


def test_the_case_page_is_logged_once(login, anna, world):
    case, _pks = world
    assert login(anna).get(reverse("cases:detail", args=[case.number])).status_code == 200
    [entry] = view_entries()
    assert (entry.actor, entry.case, entry.detail) == (anna, case, {"cases": [case.pk]})


def test_a_list_page_writes_one_entry_with_the_cases_of_the_page(login, anna, orgs_utrecht):
    cases = [CaseFactory(organisation=orgs_utrecht["loket"], registered_by=anna) for _ in range(27)]
    client = login(anna)
    response = client.get(reverse("cases:list"))
    [entry] = view_entries()
    shown = [c.pk for c in response.context["page"].object_list]
    assert len(shown) == 25
    assert entry.case is None and entry.detail == {"cases": sorted(shown)}
    second = client.get(reverse("cases:list"), {"pagina": 2})
    assert view_entries()[-1].detail == {"cases": sorted(c.pk for c in second.context["page"])}
    assert set(shown) | {c.pk for c in second.context["page"]} == {c.pk for c in cases}


def test_a_list_page_writes_a_single_insert_whatever_its_length(login, anna, orgs_utrecht):
    client = login(anna)

    def inserts() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("cases:list")).status_code == 200
        return sum(q["sql"].startswith('INSERT INTO "cases_auditentry"') for q in ctx)

    CaseFactory(organisation=orgs_utrecht["loket"], registered_by=anna)
    assert inserts() == 1
    for _ in range(20):
        CaseFactory(organisation=orgs_utrecht["loket"], registered_by=anna)
    assert inserts() == 1


def test_refused_pages_and_redirects_write_no_read(login, anna, bart, eva, world):
    case, _pks = world
    assert login(bart).get(reverse("cases:edit", args=[case.number])).status_code == 403
    assert login(eva).get(reverse("cases:detail", args=[case.number])).status_code == 404
    response = login(anna).post(reverse("cases:note", args=[case.number]), {"text": "Gebeld."})
    assert response.status_code == 302
    assert view_entries() == []
    assert AuditEntry.objects.filter(action=AuditEntry.Action.NOTE, case=case).exists()


def test_a_form_shown_again_with_its_errors_is_a_read(login, anna, world):
    case, _pks = world
    response = login(anna).post(reverse("cases:note", args=[case.number]), {"text": ""})
    assert response.status_code == 400
    [entry] = view_entries()
    assert entry.case == case


def test_a_reveal_is_logged_as_a_reveal_not_again_as_a_view(login, anna, world):
    case, _pks = world
    response = login(anna).post(
        reverse("cases:reveal", args=[case.number]), {"reason": "Terugbellen over de afspraak"}
    )
    assert response.status_code == 200 and PIET.full_name in response.text
    assert AuditEntry.objects.filter(action=AuditEntry.Action.REVEAL, case=case).count() == 1
    assert view_entries() == []


def test_the_avg_search_is_a_read_of_the_cases_it_finds(login, bea, world):
    case, _pks = world
    response = login(bea).post(
        reverse("cases:dsr"), {"full_name": PIET.full_name, "birth_date": PIET.birth_date}
    )
    assert case.number in response.text
    [entry] = view_entries()
    assert (entry.actor, entry.case) == (bea, case)


def test_the_avg_download_is_logged_as_an_export_only(login, bea, world):
    case, _pks = world
    response = login(bea).post(
        reverse("cases:dsr_export"),
        {"full_name": PIET.full_name, "birth_date": PIET.birth_date, "reason": "Brief van 3 maart"},
    )
    assert json.loads(response.content)["cases"][0]["number"] == case.number
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT, case=case).count() == 1
    assert view_entries() == []


def test_the_audit_log_names_cases_and_is_no_read_of_them(login, bea, world):
    case, _pks = world
    login(bea).post(
        reverse("cases:dsr"), {"full_name": PIET.full_name, "birth_date": PIET.birth_date}
    )
    response = login(bea).get(reverse("cases:audit"), {"case_number": case.number})
    assert case.number in response.text
    assert len(view_entries()) == 1  # the search's, not the log's


def test_the_audit_log_finds_list_page_reads_by_case_number(login, anna, bea, orgs_utrecht):
    first, second = (
        CaseFactory(organisation=orgs_utrecht["loket"], registered_by=anna) for _ in range(2)
    )
    login(anna).get(reverse("cases:list"))
    response = login(bea).get(reverse("cases:audit"), {"case_number": first.number})
    [entry] = response.context["page"].object_list
    assert entry.detail == {"cases": sorted([first.pk, second.pk])}


def test_reads_of_rows_further_from_the_case_are_resolved_to_their_case(world):
    case, _pks = world
    with content.recording() as shown:
        list(SecondLineAdvice.objects.only("pk"))  # neither the sub-problem nor the case loaded
        list(Case.objects.none())
    assert shown.unaudited() == [case.pk]


def test_outside_a_request_nothing_is_recorded(world):
    list(Case.objects.all())
    assert content._shown.get() is None


def test_a_page_without_the_case_writes_no_read(login, bart, world):
    case, _pks = world
    yesterday = timezone.localdate() - timedelta(days=1)
    response = login(bart).get(reverse("piket:day"), {"dag": yesterday.isoformat()})
    assert response.status_code == 200 and case.number not in response.text
    assert view_entries() == []


def test_the_calendar_feed_carries_no_case_content_and_writes_no_read(client, bart, world):
    case, _pks = world
    token = calendar_feed_renew(user=bart)
    response = client.get(reverse("piket:feed", args=[token]))
    assert response.status_code == 200 and b"BEGIN:VEVENT" in response.content
    assert case.number.encode() not in response.content
    assert view_entries() == []


def test_the_case_of_an_advice_is_known_from_its_sub_problem_without_a_query(login, anna, world):
    case, _pks = world
    client = login(anna)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("cases:detail", args=[case.number])).status_code == 200
    advice_queries = [q for q in ctx if 'FROM "cases_secondlineadvice"' in q["sql"]]
    assert len(advice_queries) == 1  # the page's own prefetch
    assert view_entries()[0].case == case
