"""The second line: consulting an advocaat, the advice per sub-problem, warm handover."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Location, Organisation, Role
from cases import selectors
from cases import urls as case_urls
from cases.models import (
    AuditEntry,
    Case,
    Handover,
    LegalArea,
    Note,
    SecondLineAdvice,
)
from cases.services import secondline as services
from tests.accounts.factories import MembershipFactory, OrganisationFactory, member
from tests.cases.factories import (
    CaseFactory,
    CaseUserPermissionFactory,
    ClientIdentityFactory,
    HandoverFactory,
    SocialMapEntryFactory,
    SubProblemFactory,
)
from tests.cases.test_registration import form_data

# ---------------------------------------------------------------- fixtures


def permissions(case) -> set[tuple[int | None, int | None, str]]:
    """(user id, team group id, codename) of every object permission on the case."""
    personal = case.person_permissions.values_list("user_id", "permission__codename")
    team = case.team_permissions.values_list("group_id", "permission__codename")
    return {(u, None, c) for u, c in personal} | {(None, g, c) for g, c in team}


@pytest.fixture
def case(anna, orgs_utrecht):
    case = CaseFactory(organisation=orgs_utrecht["loket"], registered_by=anna)
    SubProblemFactory(case=case)
    return case


@pytest.fixture
def consulted(case, bart):
    """Bart may advise on the case (as after a consult)."""
    return CaseUserPermissionFactory(content_object=case, user=bart)


@pytest.fixture
def kaart(utrecht, amsterdam, carla):
    return {
        "utrecht": SocialMapEntryFactory(location=utrecht, owner=carla, name="Schuldhulp Utrecht"),
        "landelijk": SocialMapEntryFactory(
            location=Location.objects.get(is_national=True), owner=carla, name="Landelijke hulp"
        ),
        "amsterdam": SocialMapEntryFactory(
            location=amsterdam, owner=carla, name="Schuldhulp Amsterdam"
        ),
        "inactief": SocialMapEntryFactory(
            location=utrecht, owner=carla, name="Opgeheven", is_active=False
        ),
    }


def advice_data(prefix: str = "", **overrides) -> dict:
    data = {
        "analysis": "Huurverhoging te hoog; bezwaar bij de huurcommissie kan nog.",
        "analysis_match": "deels",
        "referral_useful": "nee",
        "continuation": "terug",
        "certificate_otherwise": "ja",
        "feedback": ["feiten_onvolledig"],
        "feedback_note": "Huurcontract meesturen.",
    }
    data.update(overrides)
    return {f"{prefix}{key}": value for key, value in data.items()}


def advice_all_data(count: int, **per_form: dict) -> dict:
    data = {
        "advies-TOTAL_FORMS": str(count),
        "advies-INITIAL_FORMS": "0",
        "advies-MIN_NUM_FORMS": str(count),
        "advies-MAX_NUM_FORMS": str(count),
    }
    for i in range(count):
        data.update(advice_data(f"advies-{i}-", **per_form.get(f"form{i}", {})))
    return data


def url(name: str, case: Case) -> str:
    args = [case.number, 1] if name == "advice" else [case.number]
    return reverse(f"cases:{name}", args=args)


# ---------------------------------------------------------------- access, as a table

SECONDLINE_CASE_PAGES = ["advice", "advice_all", "consult", "handover"]
# persona -> expected status per page; "bart+grant" is Bart after he was consulted.
ACCESS = {
    "anna": {"consult": 200, "advice": 403, "advice_all": 403, "handover": 200},
    "ravi": dict.fromkeys(SECONDLINE_CASE_PAGES, 404),  # other first-line team, same location
    "bart": dict.fromkeys(SECONDLINE_CASE_PAGES, 404),
    "bart+grant": {"consult": 403, "advice": 200, "advice_all": 200, "handover": 403},
    "carla": dict.fromkeys(SECONDLINE_CASE_PAGES, 403),  # sees the location's cases, read only
    "olga": dict.fromkeys(SECONDLINE_CASE_PAGES, 403),  # no case records at all
    "eva": dict.fromkeys(SECONDLINE_CASE_PAGES, 404),  # other location
}


def test_the_table_covers_every_case_page_of_the_second_line():
    pages = sorted(
        p.name
        for p in case_urls.urlpatterns
        if p.callback.__module__ == "cases.views.secondline" and "number" in p.pattern.converters
    )
    assert pages == sorted(SECONDLINE_CASE_PAGES)
    assert all(set(row) == set(pages) for row in ACCESS.values())


@pytest.mark.parametrize(
    ("persona", "page"),
    [(persona, page) for persona in ACCESS for page in SECONDLINE_CASE_PAGES],
)
def test_access_to_second_line_pages(personas, login, case, persona, page):
    if persona == "bart+grant":
        CaseUserPermissionFactory(content_object=case, user=personas["bart"])
    client = login(personas[persona.split("+")[0]])
    assert client.get(url(page, case)).status_code == ACCESS[persona][page]


def test_advice_on_a_sub_problem_that_does_not_exist_is_404(login, bart, case, consulted):
    assert login(bart).get(reverse("cases:advice", args=[case.number, 9])).status_code == 404


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anna", 200), ("ravi", 200), ("bart", 200), ("carla", 200), ("olga", 403), ("eva", 200)],
)
def test_handover_inbox_is_for_everyone_who_works_on_cases(personas, login, persona, status):
    assert login(personas[persona]).get(reverse("cases:handovers")).status_code == status


# ---------------------------------------------------------------- consulting an advocaat


def test_registering_team_consults_an_advocaat(login, anna, bart, case):
    response = login(anna).post(
        url("consult", case), {"advocaat": bart.pk, "question": "Is bezwaar nog mogelijk?"}
    )
    assert response.status_code == 302 and response.url == f"/casussen/{case.number}/"
    assert permissions(case) == {(bart.pk, None, "advise_case")}  # never the identity
    note = Note.objects.get(case=case)
    assert note.line == Note.Line.FIRST and note.author == anna
    assert note.text == "Is bezwaar nog mogelijk?"
    case.refresh_from_db()
    assert case.status == Case.Status.WAITING
    entries = AuditEntry.objects.filter(case=case, actor=anna)
    assert sorted((e.action, e.object_type) for e in entries) == [
        ("status", "cases.CaseStatusChange"),
        ("update", "cases.CaseUserPermission"),
    ]


def test_consulting_twice_keeps_one_grant_and_a_referred_case_stays_referred(
    login, anna, bart, case
):
    case.status = Case.Status.REFERRED
    case.save()
    client = login(anna)
    for question in ("Eerste vraag", "Tweede vraag"):
        client.post(url("consult", case), {"advocaat": bart.pk, "question": question})
    assert permissions(case) == {(bart.pk, None, "advise_case")}
    assert Note.objects.filter(case=case).count() == 2
    case.refresh_from_db()
    assert case.status == Case.Status.REFERRED


def test_a_national_advocaat_may_be_consulted(login, anna, case):
    national = OrganisationFactory(
        location=Location.objects.get(is_national=True),
        name="Landelijke advocatenlijn",
        kind=Organisation.Kind.SOCIALE_ADVOCATUUR,
    )
    lawyer = member(Role.ADVOCAAT, national, totp=False)
    response = login(anna).post(url("consult", case), {"advocaat": lawyer.pk, "question": "Vraag"})
    assert response.status_code == 302
    assert permissions(case) == {(lawyer.pk, None, "advise_case")}


@pytest.mark.parametrize(
    ("who", "overrides", "message"),
    [
        ("amsterdam", {}, "Kies een advocaat van de sociale advocatuur van deze locatie"),
        ("ravi", {}, "Kies een advocaat van de sociale advocatuur van deze locatie"),
        ("bart", {"question": ""}, "Schrijf uw vraag aan de advocaat op."),
        ("bart", {"question": "Haar BSN is 111222333."}, "bevat een BSN"),
    ],
)
def test_bad_consult_gets_a_dutch_message_and_grants_nothing(
    login, anna, bart, ravi, orgs_amsterdam, case, who, overrides, message
):
    lawyers = {
        "bart": bart,
        "ravi": ravi,
        "amsterdam": member(Role.ADVOCAAT, orgs_amsterdam["advocatuur"], totp=False),
    }
    data = {"advocaat": lawyers[who].pk, "question": "Vraag", **overrides}
    response = login(anna).post(url("consult", case), data)
    assert response.status_code == 200
    assert message in response.text
    assert not permissions(case) and not Note.objects.exists()
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN


def test_an_advocaat_elsewhere_with_another_role_here_is_not_offered(
    case, orgs_utrecht, orgs_amsterdam
):
    lawyer = member(Role.ADVOCAAT, orgs_amsterdam["advocatuur"], totp=False)
    MembershipFactory(user=lawyer, organisation=orgs_utrecht["loket"], role=Role.FIRST_LINE)
    assert lawyer not in selectors.consult_advocaten_for(case)


def test_case_grant_consult_is_idempotent_and_only_for_advocaten(case, bart, ravi):
    first = services.case_grant_consult(case=case, advocaat=bart)
    assert services.case_grant_consult(case=case, advocaat=bart) == first
    with pytest.raises(ValidationError):
        services.case_grant_consult(case=case, advocaat=ravi)
    assert permissions(case) == {(bart.pk, None, "advise_case")}


# ---------------------------------------------------------------- the advice


def test_advocaat_records_and_then_updates_the_advice(login, bart, case, consulted, kaart):
    client = login(bart)
    data = advice_data(
        fitting_organisations=[kaart["utrecht"].pk, kaart["landelijk"].pk], takes_case="on"
    )
    response = client.post(url("advice", case), data)
    assert response.status_code == 302 and response.url == f"/casussen/{case.number}/"
    advice = SecondLineAdvice.objects.get()
    assert advice.advocaat == bart and advice.subproblem == case.subproblems.get()
    assert advice.analysis_match == "deels" and advice.certificate_otherwise == "ja"
    assert advice.takes_case and advice.feedback == ["feiten_onvolledig"]
    assert set(advice.fitting_organisations.all()) == {kaart["utrecht"], kaart["landelijk"]}

    page = client.get(url("advice", case))
    assert "Huurverhoging te hoog" in page.text  # the form shows the saved advice

    client.post(url("advice", case), advice_data(analysis="Toch anders.", analysis_match="anders"))
    advice = SecondLineAdvice.objects.get()
    assert advice.analysis == "Toch anders." and advice.analysis_match == "anders"
    assert not advice.takes_case and not advice.fitting_organisations.exists()
    actions = AuditEntry.objects.filter(case=case, actor=bart, action="advice")
    assert [e.detail["created"] for e in actions.order_by("at")] == [True, False]
    assert "Toch anders." in login(case.registered_by).get(url("detail", case)).text


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"analysis": ""}, "Vul uw juridische analyse in."),
        ({"analysis": "Cliënt heeft BSN 111222333 genoemd."}, "bevat een BSN"),
        ({"feedback": ["bestaat_niet"]}, "Kies alleen soorten terugkoppeling uit de lijst."),
        ({"fitting_organisations": ["amsterdam"]}, "Kies alleen organisaties van de sociale kaart"),
        ({"fitting_organisations": ["inactief"]}, "Kies alleen organisaties van de sociale kaart"),
        ({"continuation": "ergens"}, "Selecteer een geldige keuze"),
    ],
)
def test_bad_advice_gets_a_dutch_message_and_saves_nothing(
    login, bart, case, consulted, kaart, overrides, message
):
    if "fitting_organisations" in overrides:
        overrides["fitting_organisations"] = [
            kaart[k].pk for k in overrides["fitting_organisations"]
        ]
    response = login(bart).post(url("advice", case), advice_data(**overrides))
    assert response.status_code == 200
    assert message in response.text
    assert not SecondLineAdvice.objects.exists()
    assert not AuditEntry.objects.filter(action="advice").exists()


def test_the_service_refuses_a_social_map_entry_of_another_location(bart, case, consulted, kaart):
    data = {**advice_data(), "fitting_organisations": [kaart["amsterdam"]]}
    with pytest.raises(ValidationError) as exc:
        services.advice_record(user=bart, subproblem=case.subproblems.get(), data=data)
    assert "fitting_organisations" in exc.value.error_dict
    assert not SecondLineAdvice.objects.exists()


def test_an_advocaat_without_a_grant_may_not_record_advice(bart, case):
    with pytest.raises(PermissionDenied):
        services.advice_record(user=bart, subproblem=case.subproblems.get(), data=advice_data())


def test_advice_for_all_sub_problems_in_one_form(login, bart, case, consulted, kaart):
    SubProblemFactory(case=case, legal_area=LegalArea.objects.get(slug="arbeidsrecht"))
    client = login(bart)
    page = client.get(url("advice_all", case))
    assert "Deelprobleem 1: Huurrecht" in page.text and "Deelprobleem 2: Arbeidsrecht" in page.text
    assert "Huurverhoging boven het wettelijk maximum" in page.text  # the first line's analysis
    data = advice_all_data(
        2,
        form1={"analysis": "Ontslag op staande voet houdt geen stand.", "continuation": "advocaat"},
    )
    response = client.post(url("advice_all", case), data)
    assert response.status_code == 302
    advice = {
        a.subproblem.position: a for a in SecondLineAdvice.objects.select_related("subproblem")
    }
    assert set(advice) == {1, 2}
    assert advice[2].continuation == "advocaat" and advice[1].continuation == "terug"
    assert AuditEntry.objects.filter(case=case, action="advice").count() == 2


def test_advice_for_all_saves_nothing_when_one_form_is_invalid(login, bart, case, consulted):
    SubProblemFactory(case=case, legal_area=LegalArea.objects.get(slug="arbeidsrecht"))
    data = advice_all_data(2, form1={"analysis": ""})
    response = login(bart).post(url("advice_all", case), data)
    assert response.status_code == 200
    assert "Vul uw juridische analyse in." in response.text
    assert not SecondLineAdvice.objects.exists()


def test_advice_for_all_refuses_a_tampered_number_of_forms(login, bart, case, consulted):
    response = login(bart).post(url("advice_all", case), advice_all_data(3))
    assert response.status_code == 200
    assert not SecondLineAdvice.objects.exists()


def test_advice_for_all_is_one_transaction_in_the_service(bart, case, consulted):
    second = SubProblemFactory(case=case, legal_area=LegalArea.objects.get(slug="arbeidsrecht"))
    bad = {**advice_data(), "analysis": "Bel haar op 06-12345678."}
    items = [(case.subproblems.get(position=1), advice_data()), (second, bad)]
    with pytest.raises(ValidationError) as exc:
        services.advice_record_all(user=bart, case=case, advice=items)
    assert "Deelprobleem 2" in exc.value.messages[0]
    assert not SecondLineAdvice.objects.exists()


def test_advice_all_page_queries_do_not_grow_with_sub_problems(
    login, bart, case, consulted, kaart, django_assert_max_num_queries
):
    client = login(bart)
    services.advice_record(
        user=bart,
        subproblem=case.subproblems.get(),
        data={**advice_data(), "fitting_organisations": [kaart["utrecht"]]},
    )
    with CaptureQueriesContext(connection) as one:
        assert client.get(url("advice_all", case)).status_code == 200
    for _ in range(4):
        sub = SubProblemFactory(case=case, considered_organisations=[kaart["utrecht"]])
        services.advice_record(
            user=bart,
            subproblem=sub,
            data={**advice_data(), "fitting_organisations": [kaart["landelijk"]]},
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(url("advice_all", case))
    assert response.text.count("Deelprobleem ") >= 5


# ---------------------------------------------------------------- warm handover


def handover_data(to: Organisation, **overrides) -> dict:
    data = {
        "to_organisation": to.pk,
        "context": "Bezwaar moet binnen twee weken de deur uit; stukken liggen klaar.",
        "client_consent": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_registering_team_hands_a_case_over(login, anna, case, orgs_utrecht):
    response = login(anna).post(url("handover", case), handover_data(orgs_utrecht["raadslieden"]))
    assert response.status_code == 302
    handover = Handover.objects.get()
    assert handover.status == Handover.Status.PENDING and handover.created_by == anna
    assert handover.from_organisation == orgs_utrecht["loket"]
    assert handover.identity_consent is False
    case.refresh_from_db()
    assert case.status == Case.Status.REFERRED
    assert AuditEntry.objects.filter(case=case, action="handover", actor=anna).count() == 1
    assert "Wacht op antwoord" in login(anna).get(url("detail", case)).text


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"client_consent": None},
            "Zonder toestemming van de rechtzoekende kan de zaak niet worden overgedragen.",
        ),
        ({"context": ""}, "Geef de ontvanger context mee."),
        ({"context": "Mail naar piet@example.nl"}, "e-mailadres"),
        ({"to_organisation": "own"}, "Kies een andere actieve organisatie"),
        ({"to_organisation": "bureau"}, "Kies een andere actieve organisatie"),
        ({"to_advocaat": "bart"}, "Deze advocaat werkt niet bij de gekozen organisatie."),
    ],
)
def test_bad_handover_gets_a_dutch_message_and_creates_nothing(
    login, anna, bart, case, orgs_utrecht, overrides, message
):
    targets = {
        "own": orgs_utrecht["loket"].pk,
        "bureau": orgs_utrecht["bureau"].pk,
        "bart": bart.pk,
    }
    overrides = {k: targets.get(v, v) if isinstance(v, str) else v for k, v in overrides.items()}
    data = handover_data(orgs_utrecht["raadslieden"], **overrides)
    response = login(anna).post(url("handover", case), data)
    assert response.status_code == 200
    assert message in response.text
    assert not Handover.objects.exists()
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN


def test_the_service_refuses_a_handover_without_consent(anna, case, orgs_utrecht):
    with pytest.raises(ValidationError) as exc:
        services.handover_create(
            user=anna,
            case=case,
            to_organisation=orgs_utrecht["raadslieden"],
            context="Context",
            client_consent=False,
            identity_consent=False,
        )
    assert exc.value.messages == [
        "Zonder toestemming van de rechtzoekende kan de zaak niet worden overgedragen."
    ]


def test_a_second_pending_handover_to_the_same_receiver_is_refused(login, anna, case, orgs_utrecht):
    client = login(anna)
    client.post(url("handover", case), handover_data(orgs_utrecht["raadslieden"]))
    response = client.post(url("handover", case), handover_data(orgs_utrecht["raadslieden"]))
    assert response.status_code == 200
    assert "Er staat al een overdracht van deze casus naar deze organisatie open." in response.text
    assert Handover.objects.count() == 1
    # to another receiver it is fine
    client.post(url("handover", case), handover_data(orgs_utrecht["advocatuur"]))
    assert Handover.objects.count() == 2


@pytest.mark.parametrize(("identity_consent", "may_reveal"), [(True, True), (False, False)])
def test_receiving_team_accepts_and_sees_the_identity_only_with_consent(
    login, client, anna, ravi, orgs_utrecht, identity_consent, may_reveal
):
    login(anna)
    client.post("/casussen/nieuw/", form_data(**{"kluis-full_name": "Piet Jansen"}))
    case = Case.objects.get()
    consent = {"identity_consent": "on" if identity_consent else None}
    client.post(url("handover", case), handover_data(orgs_utrecht["raadslieden"], **consent))
    handover = Handover.objects.get()

    login(ravi)
    assert client.get(url("detail", case)).status_code == 404  # not before accepting
    inbox = client.get(reverse("cases:handovers"))
    assert case.number in inbox.text and "stukken liggen klaar" in inbox.text
    response = client.post(
        reverse("cases:handover_decide", args=[handover.pk]), {"decision": "accept"}
    )
    assert response.status_code == 302 and response.url == f"/casussen/{case.number}/"
    handover.refresh_from_db()
    assert handover.status == Handover.Status.ACCEPTED and handover.decided_by == ravi
    assert handover.decided_at is not None
    team = orgs_utrecht["raadslieden"]
    team.refresh_from_db()
    assert permissions(case) == {(None, team.team_id, "handle_case")} | (
        {(None, team.team_id, "reveal_identity")} if identity_consent else set()
    )
    detail = client.get(url("detail", case))
    assert detail.status_code == 200 and "Geaccepteerd" in detail.text
    reveal = client.post(reverse("cases:reveal", args=[case.number]), {"reason": "terugbellen"})
    if may_reveal:
        assert reveal.status_code == 200 and "Piet Jansen" in reveal.text
    else:
        assert reveal.status_code == 403 and "Piet Jansen" not in reveal.text
    assert "Er wachten geen overdrachten op u" in client.get(reverse("cases:handovers")).text


def test_decline_needs_a_reason_and_the_sender_reads_it(login, anna, ravi, case, orgs_utrecht):
    handover = HandoverFactory(case=case, to_organisation=orgs_utrecht["raadslieden"])
    client = login(ravi)
    decide = reverse("cases:handover_decide", args=[handover.pk])
    response = client.post(decide, {"decision": "decline", "decline_reason": "  "})
    assert response.status_code == 400
    assert "Geef een reden op waarom u de overdracht afwijst." in response.text
    handover.refresh_from_db()
    assert handover.status == Handover.Status.PENDING

    response = client.post(decide, {"decision": "decline", "decline_reason": "Geen capaciteit."})
    assert response.status_code == 302
    handover.refresh_from_db()
    assert handover.status == Handover.Status.DECLINED and handover.decided_by == ravi
    assert not permissions(case)
    detail = login(anna).get(url("detail", case)).text
    assert "Afgewezen" in detail and "Geen capaciteit." in detail
    sent = login(anna).get(reverse("cases:handovers")).text
    assert "Geen capaciteit." in sent


def test_the_service_refuses_a_decline_without_reason(ravi, case, orgs_utrecht):
    handover = HandoverFactory(case=case, to_organisation=orgs_utrecht["raadslieden"])
    with pytest.raises(ValidationError):
        services.handover_decline(user=ravi, handover=handover, reason="")
    handover.refresh_from_db()
    assert handover.status == Handover.Status.PENDING


def test_a_decided_handover_cannot_be_decided_again(login, ravi, case, orgs_utrecht):
    handover = HandoverFactory(case=case, to_organisation=orgs_utrecht["raadslieden"])
    client = login(ravi)
    decide = reverse("cases:handover_decide", args=[handover.pk])
    client.post(decide, {"decision": "accept"})
    response = client.post(
        decide, {"decision": "decline", "decline_reason": "Toch niet."}, follow=True
    )
    assert "Op deze overdracht is al geantwoord." in response.text
    handover.refresh_from_db()
    assert handover.status == Handover.Status.ACCEPTED


@pytest.mark.parametrize(
    ("persona", "status"), [("anna", 403), ("bart", 404), ("carla", 403), ("eva", 404)]
)
def test_only_the_receiver_decides(personas, login, case, orgs_utrecht, persona, status):
    """The sending team and the location's coordinator see the handover but may not answer it
    (403); others don't see it."""
    handover = HandoverFactory(case=case, to_organisation=orgs_utrecht["raadslieden"])
    client = login(personas[persona])
    decide = reverse("cases:handover_decide", args=[handover.pk])
    assert client.post(decide, {"decision": "accept"}).status_code == status
    assert client.get(decide).status_code == 405
    handover.refresh_from_db()
    assert handover.status == Handover.Status.PENDING


def test_handover_to_one_advocaat_is_for_that_advocaat(login, anna, bart, case, orgs_utrecht):
    colleague = member(Role.ADVOCAAT, orgs_utrecht["advocatuur"])
    data = handover_data(orgs_utrecht["advocatuur"], to_advocaat=bart.pk)
    assert login(anna).post(url("handover", case), data).status_code == 302
    handover = Handover.objects.get()
    inbox = login(colleague).get(reverse("cases:handovers"))
    assert inbox.status_code == 200 and case.number not in inbox.text
    decide = reverse("cases:handover_decide", args=[handover.pk])
    assert login(colleague).post(decide, {"decision": "accept"}).status_code == 404
    assert login(bart).post(decide, {"decision": "accept"}).status_code == 302
    assert permissions(case) == {(bart.pk, None, "handle_case")}
    assert login(colleague).get(url("detail", case)).status_code == 404


# ---------------------------------------------------------------- the client's identity


def test_the_advocaat_never_sees_the_clients_name(login, client, anna, bart, orgs_utrecht):
    login(anna)
    client.post(
        "/casussen/nieuw/",
        form_data(**{"kluis-full_name": "Piet Jansen", "kluis-birth_date": "1980-04-01"}),
    )
    case = Case.objects.get()
    client.post(url("consult", case), {"advocaat": bart.pk, "question": "Kan bezwaar nog?"})
    client.post(
        url("handover", case),
        handover_data(orgs_utrecht["advocatuur"], to_advocaat=bart.pk, identity_consent=None),
    )
    login(bart)
    pages = [
        url("detail", case),
        url("advice", case),
        url("advice_all", case),
        reverse("cases:handovers"),
        reverse("cases:list"),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert "Piet" not in response.text and "Jansen" not in response.text, page
    client.post(url("advice", case), advice_data())
    client.post(
        reverse("cases:handover_decide", args=[Handover.objects.get().pk]), {"decision": "accept"}
    )
    for page in pages:
        assert "Jansen" not in client.get(page).text, page
    reveal = client.post(reverse("cases:reveal", args=[case.number]), {"reason": "terugbellen"})
    assert reveal.status_code == 403 and "Jansen" not in reveal.text
    assert not selectors.can_reveal_identity(bart, Case.objects.get())


def test_a_consult_grant_never_reveals_an_identity(bart, case, consulted):
    ClientIdentityFactory(case=case)
    assert selectors.can_advise(bart, case)
    assert not selectors.can_reveal_identity(bart, case)


def test_the_piket_referral_rule_is_shown_at_the_moment_of_referral(login, anna, case):
    from piket.models import PiketRules

    assert "geen toevoeging" in login(anna).get(f"/casussen/{case.number}/overdragen/").text
    PiketRules.objects.update(no_toevoeging_after_consult=False)
    assert "geen toevoeging" not in login(anna).get(f"/casussen/{case.number}/overdragen/").text
