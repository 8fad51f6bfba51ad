"""The audit log in words: the administrators' page shows each entry's object and details as
sentences, not as internal codes, in Dutch and in English."""

from __future__ import annotations

import html

import pytest
from django.conf import settings
from django.urls import reverse

from cases.models import AuditEntry, LegalArea
from cases.services.cases import SubProblemData, case_register
from tests.cases.factories import AuditEntryFactory

AUDIT_URL = reverse("cases:audit")


def details_cell(response, entry) -> str:
    """The text of the details column of the entry's row (entries are described in place)."""
    described = next(e for e in response.context["page"].object_list if e.pk == entry.pk)
    return " | ".join(described.description)


def page_text(response) -> str:
    return html.unescape(response.content.decode())


# (object_type, object_id, detail) as the services write them -> the words the page shows
COMMON = [
    pytest.param(
        "piket.Consult",
        "12",
        {"piket": "geboekt"},
        "Piketconsult 12 | Consult geboekt.",
        id="consult-booked",
    ),
    pytest.param(
        "piket.Consult",
        "12",
        {"piket": "verplaatst", "nieuw": 13},
        "Piketconsult 12 | Consult verplaatst. | Nieuw consult: 13.",
        id="consult-moved",
    ),
    pytest.param(
        "piket.Consult",
        "12",
        {"piket": "niet_bereikt"},
        "Piketconsult 12 | Advocaat niet bereikt.",
        id="consult-not-reached",
    ),
    pytest.param(
        "",
        "",
        {"identity": False, "subproblems": 1},
        "1 deelprobleem. | Zonder identiteit.",
        id="case-registered",
    ),
    pytest.param(
        "",
        "",
        {"identity": True, "subproblems": 3},
        "3 deelproblemen. | Identiteit in de kluis vastgelegd.",
        id="case-registered-with-identity",
    ),
    pytest.param(
        "",
        "",
        {"fields": ["question", "channel", "identity"]},
        "Gewijzigd: hulpvraag, contactkanaal, identiteit.",
        id="case-edited",
    ),
    pytest.param(
        "cases.CaseStatusChange",
        "4",
        {"from": "open", "to": "doorverwezen", "reason": "overdracht"},
        "Statuswijziging 4 | Status van Open naar Doorverwezen. | Aanleiding: Warm overgedragen.",
        id="status-change",
    ),
    pytest.param(
        "cases.Handover",
        "7",
        {"status": "geaccepteerd", "permissions": ["handle_case"]},
        "Warme overdracht 7 | Status: Geaccepteerd. | "
        "Rechten: Behandelt de casus na een warme overdracht.",
        id="handover-accepted",
    ),
    pytest.param(
        "cases.SecondLineAdvice",
        "3",
        {"subproblem": 2, "created": True},
        "Advies tweede lijn 3 | Deelprobleem 2. | Voor het eerst vastgelegd.",
        id="advice",
    ),
    pytest.param(
        "",
        "",
        {"step": "case_anonymised", "fields": ["Case.question", "Note.text"]},
        "Casus geanonimiseerd. | Gewijzigd: hulpvraag, notitie.",
        id="erasure",
    ),
    pytest.param(
        "",
        "",
        {"request": "avg_art_15", "cases": 0},
        "Verzoek om inzage (AVG art. 15). | Geen casussen gevonden.",
        id="access-request",
    ),
    pytest.param(
        "piket.Swap",
        "5",
        {"ruil": "aangeboden"},
        "Swap 5 | Dienst aangeboden aan een collega.",
        id="swap",
    ),
    pytest.param(
        "piket.PiketRules",
        "1",
        {"no_toevoeging_after_consult": {"from": True, "to": False}},
        "Piketregels 1 | Geen toevoeging na advies via het piket: ja → nee.",
        id="piket-rules",
    ),
    pytest.param(
        "research.ExportRequest",
        "4",
        {"export": "aangevraagd", "study": "EVAL-PILOT"},
        "Exportaanvraag 4 | Export aangevraagd. | Onderzoek: EVAL-PILOT.",
        id="export-requested",
    ),
    pytest.param(
        "research.ExportRequest",
        "4",
        {"export": "gemaakt via de opdrachtregel", "format": "csv", "rows": 120},
        "Exportaanvraag 4 | Export gemaakt via de opdrachtregel. | 120 rijen. | Formaat: csv.",
        id="export-made",
    ),
    pytest.param(
        "cases.SocialMapEntry",
        "9",
        {"fields": ["last_checked_on"]},
        "Sociale-kaartorganisatie 9 | Gewijzigd: laatst gecontroleerd op.",
        id="socialekaart-checked",
    ),
]


@pytest.mark.parametrize(("object_type", "object_id", "detail", "expected"), COMMON)
def test_common_entries_read_as_sentences(login, bea, object_type, object_id, detail, expected):
    entry = AuditEntryFactory(
        case=None,
        action=AuditEntry.Action.UPDATE,
        object_type=object_type,
        object_id=object_id,
        detail=detail,
    )
    response = login(bea).get(AUDIT_URL)
    assert details_cell(response, entry) == expected
    for sentence in expected.split(" | "):
        assert sentence in page_text(response)


def test_internal_strings_are_not_shown(login, bea):
    AuditEntryFactory(
        case=None, object_type="piket.Consult", object_id="12", detail={"piket": "geboekt"}
    )
    AuditEntryFactory(case=None, detail={"identity": False, "subproblems": 1})
    text = page_text(login(bea).get(AUDIT_URL))
    for internal in ("piket.Consult", "piket: geboekt", "identity: False", "subproblems: 1"):
        assert internal not in text


def test_names_of_the_receiver_are_read_for_the_whole_page(login, bea, bart, orgs_amsterdam):
    to = orgs_amsterdam["loket"]
    entry = AuditEntryFactory(
        case=None,
        action=AuditEntry.Action.HANDOVER,
        object_type="cases.Handover",
        object_id="8",
        detail={
            "status": "open",
            "to_organisation": to.pk,
            "to_advocaat": bart.pk,
            "identity_consent": False,
        },
    )
    response = login(bea).get(AUDIT_URL)
    assert details_cell(response, entry) == (
        "Warme overdracht 8 | Status: Wacht op antwoord. | "
        f"Naar organisatie: {to.name}. | Advocaat: Bart Smit. | "
        "Zonder toestemming om de identiteit te delen."
    )


def test_an_unknown_code_falls_back_to_something_readable(login, bea):
    entry = AuditEntryFactory(
        case=None,
        object_type="elders.Verdwenen",
        object_id="2",
        detail={"piket": "iets_nieuws", "nieuwe_sleutel": [1, 2], "vlag": True, "leeg": None},
    )
    response = login(bea).get(AUDIT_URL)
    assert details_cell(response, entry) == (
        "elders.Verdwenen 2 | Iets nieuws. | Leeg: — | Nieuwe sleutel: 1, 2 | Vlag: ja"
    )


def test_a_registration_written_by_the_service_reads_as_words(login, bea, anna, orgs_utrecht):
    huur = LegalArea.objects.get(slug="huurrecht")
    case_register(
        user=anna,
        organisation=orgs_utrecht["loket"],
        data={},
        subproblems=[SubProblemData(legal_area=huur), SubProblemData(legal_area=huur)],
    )
    entry = AuditEntry.objects.get(action=AuditEntry.Action.CREATE)
    response = login(bea).get(AUDIT_URL)
    assert details_cell(response, entry) == "2 deelproblemen. | Zonder identiteit."


def test_the_audit_log_speaks_english_with_the_language_cookie(login, bea):
    entry = AuditEntryFactory(
        case=None, object_type="piket.Consult", object_id="12", detail={"piket": "geboekt"}
    )
    client = login(bea)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(AUDIT_URL)
    assert '<html lang="en">' in response.text
    # the object's name comes from the (translated) model name
    assert details_cell(response, entry).startswith("On-call consultation 12")
