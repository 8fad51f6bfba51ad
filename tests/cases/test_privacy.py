"""Data subject requests (AVG art. 15 inzage, art. 17 wissen) and anonymising a case."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from cases import content, selectors, vault
from cases.models import (
    AuditEntry,
    Case,
    ClientIdentity,
    Handover,
    Note,
    SecondLineAdvice,
    SubProblem,
)
from cases.services import privacy
from cases.services.cases import identity_set
from tests.cases.factories import (
    PIET,
    CaseFactory,
    ClientIdentityFactory,
    HandoverFactory,
    NoteFactory,
    SecondLineAdviceFactory,
    SubProblemFactory,
)

DSR_URL = reverse("cases:dsr")
EXPORT_URL = reverse("cases:dsr_export")
ERASE_URL = reverse("cases:dsr_erase")
KLAAS = vault.Identity(full_name="Klaas de Boer", birth_date=datetime.date(1975, 1, 2))
PIET_FORM = {"full_name": "Piet Jansen", "birth_date": "1980-05-17"}
NON_ADMINISTRATORS = ["anna", "ravi", "bart", "carla", "olga", "eva", "cor"]


def _full_case(organisation, worker, identity):
    """A case with every kind of content: sub-problem, advice, note, declined handover."""
    case = CaseFactory(organisation=organisation, registered_by=worker)
    sub = SubProblemFactory(case=case)
    SecondLineAdviceFactory(subproblem=sub)
    NoteFactory(case=case)
    HandoverFactory(case=case)
    HandoverFactory(
        case=case, status=Handover.Status.DECLINED, decline_reason="Buiten ons werkgebied."
    )
    ClientIdentityFactory(case=case, identity=identity)
    return case


@pytest.fixture
def piet_cases(anna, eva, orgs_utrecht, orgs_amsterdam):
    """Piet has a case in Utrecht and one in Amsterdam: a request covers both."""
    return [
        _full_case(orgs_utrecht["loket"], anna, PIET),
        _full_case(orgs_amsterdam["loket"], eva, PIET),
    ]


@pytest.fixture
def klaas_case(ravi, orgs_utrecht):
    return _full_case(orgs_utrecht["raadslieden"], ravi, KLAAS)


# ---------------------------------------------------------------- find


def test_find_uses_the_keyed_hash_in_every_organisation(bea, piet_cases, klaas_case):
    found = selectors.dsr_find(user=bea, full_name="jansen,  PIET", birth_date=PIET.birth_date)
    assert [record.case for record in found] == piet_cases


def test_find_needs_the_right_birth_date(bea, piet_cases):
    other_day = datetime.date(1980, 5, 18)
    assert not selectors.dsr_find(user=bea, full_name="Piet Jansen", birth_date=other_day).exists()


def test_a_name_without_letters_never_matches_destroyed_identities(bea, piet_cases):
    ClientIdentity.objects.filter(case=piet_cases[0]).update(identity_hash="", encrypted="")
    assert not selectors.dsr_find(user=bea, full_name="--", birth_date=PIET.birth_date).exists()


@pytest.mark.parametrize("persona", NON_ADMINISTRATORS)
def test_only_administrators_handle_requests(personas, persona, piet_cases):
    user = personas[persona]
    assert not selectors.dsr_find(user=user, full_name="Piet Jansen", birth_date=PIET.birth_date)
    with pytest.raises(PermissionDenied):
        privacy.dsr_export(
            user=user, full_name="Piet Jansen", birth_date=PIET.birth_date, reason="verzoek"
        )
    with pytest.raises(PermissionDenied):
        privacy.dsr_erase(
            user=user, full_name="Piet Jansen", birth_date=PIET.birth_date, reason="verzoek"
        )


@pytest.mark.parametrize("persona", NON_ADMINISTRATORS)
@pytest.mark.parametrize(
    ("method", "url"),
    [("get", DSR_URL), ("post", DSR_URL), ("post", EXPORT_URL), ("post", ERASE_URL)],
)
def test_request_pages_are_403_for_others(personas, login, persona, method, url):
    assert getattr(login(personas[persona]), method)(url, PIET_FORM).status_code == 403


def test_search_page_lists_the_cases_without_decrypting(
    login, bea, piet_cases, klaas_case, monkeypatch
):
    def refuse(*args, **kwargs):
        raise AssertionError("the list must not decrypt")

    monkeypatch.setattr(vault, "decrypt_identity", refuse)
    response = login(bea).post(DSR_URL, PIET_FORM)
    assert response.status_code == 200
    assert response.headers["Cache-Control"].startswith("max-age=0")
    for case in piet_cases:
        assert case.number in response.text
    assert klaas_case.number not in response.text
    assert "Het Juridisch Loket Amsterdam" in response.text
    assert (
        ClientIdentity.objects.filter(case=piet_cases[0]).get().identity_hash not in response.text
    )


def test_search_page_says_when_nothing_is_found(login, bea, piet_cases):
    response = login(bea).post(DSR_URL, {**PIET_FORM, "full_name": "Jan Jansen"})
    assert "Geen casussen gevonden" in response.text
    assert "inzage_reason" not in response.text


def test_search_form_refuses_a_name_without_letters(login, bea):
    response = login(bea).post(DSR_URL, {**PIET_FORM, "full_name": "1234"})
    assert "Vul een naam in." in response.text
    assert "searched" not in response.context


def test_the_request_urls_carry_no_name_or_hash():
    for url in (DSR_URL, EXPORT_URL, ERASE_URL):
        assert url.startswith("/casussen/avg/")
        assert "?" not in url


# ---------------------------------------------------------------- without a date of birth

NAMESAKE = vault.Identity(full_name="Piet Jansen", birth_date=datetime.date(1991, 9, 9))
PIET_WITHOUT_DATE = vault.Identity(full_name="P. Jansen, Piet")  # no birth date registered


@pytest.fixture
def namesakes(ravi, orgs_utrecht):
    """Another Piet Jansen (born 1991), and a case registered with Piet's name but no date."""
    return {
        "namesake": _full_case(orgs_utrecht["raadslieden"], ravi, NAMESAKE),
        "no_date": _full_case(orgs_utrecht["raadslieden"], ravi, PIET_WITHOUT_DATE),
    }


def _numbers(records) -> set[str]:
    return {record.case.number for record in records}


def test_the_name_alone_finds_candidates_namesakes_too(bea, piet_cases, namesakes, klaas_case):
    subject = {"user": bea, "full_name": "jansen piet", "birth_date": None}
    assert not selectors.dsr_find(**subject).exists()  # nothing certain without a date
    assert _numbers(selectors.dsr_candidates(**subject)) == {
        case.number for case in [*piet_cases, namesakes["namesake"]]
    }


def test_the_name_alone_ignores_initials_so_it_is_the_exact_normalised_name(bea, namesakes):
    found = selectors.dsr_candidates(user=bea, full_name="P Jansen Piet", birth_date=None)
    assert _numbers(found) == {namesakes["no_date"].number}


def test_with_a_birth_date_the_records_without_one_are_candidates(bea, piet_cases, namesakes):
    """Piet registered once without a date of birth: that record has his name and no date. The
    namesake born in 1991 is no candidate."""
    identity = ClientIdentity.objects.get(case=namesakes["no_date"])
    identity.identity_hash = vault.identity_hash(name="Piet Jansen", birth_date=None)
    identity.save(update_fields=["identity_hash"])
    subject = {"user": bea, "full_name": "Piet Jansen", "birth_date": PIET.birth_date}
    assert _numbers(selectors.dsr_find(**subject)) == {c.number for c in piet_cases}
    assert _numbers(selectors.dsr_candidates(**subject)) == {namesakes["no_date"].number}


def test_the_search_by_name_alone_lists_candidates_to_tick_without_decrypting(
    login, bea, piet_cases, namesakes, monkeypatch
):
    def refuse(*args, **kwargs):
        raise AssertionError("the search must not decrypt")

    monkeypatch.setattr(vault, "decrypt_identity", refuse)
    response = login(bea).post(DSR_URL, {"full_name": "Piet Jansen", "birth_date": ""})
    assert response.status_code == 200
    assert "Alleen op naam gevonden" in response.text
    for case in [*piet_cases, namesakes["namesake"]]:
        assert f'value="{case.number}"' in response.text  # a box to tick, in both forms
    assert 'name="cases"' in response.text


def test_an_export_by_name_alone_holds_only_the_confirmed_cases(bea, piet_cases, namesakes):
    data = privacy.dsr_export(
        user=bea,
        full_name="Piet Jansen",
        birth_date=None,
        reason="Brief van 3 maart",
        cases=[piet_cases[1].number, namesakes["no_date"].number],  # the second: not this name
    )
    assert [case["number"] for case in data["cases"]] == [piet_cases[1].number]
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert entry.case == piet_cases[1]
    assert entry.detail == {"request": "avg_art_15", "match": "name_confirmed"}


def test_an_export_by_name_alone_without_confirmation_holds_nothing(bea, piet_cases):
    data = privacy.dsr_export(
        user=bea, full_name="Piet Jansen", birth_date=None, reason="Brief van 3 maart"
    )
    assert data["cases"] == []


def test_erasing_by_name_alone_erases_the_confirmed_cases_only(login, bea, piet_cases, namesakes):
    response = login(bea).post(
        ERASE_URL,
        {
            "full_name": "Piet Jansen",
            "birth_date": "",
            "reason": "Verzoek per brief",
            "confirm": "on",
            "cases": [c.number for c in piet_cases],
        },
    )
    assert response.status_code == 302
    assert {c.number for c in Case.objects.filter(anonymised_at__isnull=False)} == {
        c.number for c in piet_cases
    }
    namesake = ClientIdentity.objects.get(case=namesakes["namesake"])
    assert vault.decrypt_identity(namesake.encrypted)["birth_date"] == "1991-09-09"


def test_erasing_by_name_alone_without_confirmation_erases_nothing(login, bea, piet_cases):
    client = login(bea)
    response = client.post(
        ERASE_URL,
        {"full_name": "Piet Jansen", "reason": "Verzoek per brief", "confirm": "on"},
    )
    assert response.status_code == 302
    assert "Er is niets gewist" in client.get(DSR_URL).text
    assert not Case.objects.filter(anonymised_at__isnull=False).exists()


def test_a_case_number_that_is_not_well_formed_is_refused(login, bea, piet_cases):
    response = login(bea).post(
        EXPORT_URL,
        {"full_name": "Piet Jansen", "reason": "Brief van 3 maart", "cases": ["'; DROP"]},
    )
    assert "Content-Disposition" not in response
    assert response.context["export_form"].errors["cases"]


def test_the_vault_stores_the_name_hash_with_every_identity(bea, anna, orgs_utrecht):
    case = CaseFactory(organisation=orgs_utrecht["loket"], registered_by=anna)
    identity_set(user=anna, case=case, identity=vault.Identity(full_name="Jansen, Piet"))
    found = selectors.dsr_candidates(user=bea, full_name="Piet Jansen", birth_date=None)
    assert _numbers(found) == {case.number}


def test_destroying_an_identity_blanks_its_name_hash_too(bea, piet_cases):
    privacy.identity_destroy(case=piet_cases[0], actor=bea, reason="Verzoek per brief")
    assert ClientIdentity.objects.get(case=piet_cases[0]).name_hash == ""
    found = selectors.dsr_candidates(user=bea, full_name="Piet Jansen", birth_date=None)
    assert _numbers(found) == {piet_cases[1].number}


# ---------------------------------------------------------------- art. 15: export


def test_export_downloads_everything_held_about_the_client(
    login, bea, anna, piet_cases, klaas_case
):
    response = login(bea).post(EXPORT_URL, {**PIET_FORM, "reason": "Brief van 3 maart"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="avg-inzage-')
    assert "Piet" not in response["Content-Disposition"]
    data = json.loads(response.content)
    assert [case["number"] for case in data["cases"]] == [case.number for case in piet_cases]
    exported = data["cases"][0]
    assert exported["identity"]["full_name"] == "Piet Jansen"
    assert exported["identity"]["birth_date"] == "1980-05-17"
    assert exported["identity"]["email"] == "piet.jansen@example.nl"
    assert exported["case"]["question"] == piet_cases[0].question
    assert exported["case"]["postcode_area"] == "3511"
    assert exported["case"]["status"] == "Open"  # choices as their label
    records = exported["records"]
    subproblem = SubProblem.objects.get(case=piet_cases[0])
    assert records["cases.subproblem"][0]["analysis"] == subproblem.analysis
    assert records["cases.subproblem"][0]["legal_area"] == "Huurrecht"
    assert records["cases.secondlineadvice"][0]["feedback_note"] == "Goed voorbereid."
    assert records["cases.secondlineadvice"][0]["subproblem"] == str(subproblem)
    assert records["cases.note"][0]["text"] == "Stukken van de verhuurder opgevraagd."
    assert {h["status"] for h in records["cases.handover"]} == {"Wacht op antwoord", "Afgewezen"}
    assert "Klaas" not in response.content.decode()
    # Colleagues' accounts are their data, not the client's.
    assert "anna@example.org" not in response.content.decode()
    assert "registered_by" not in exported["case"]


def test_each_export_is_audited_per_case_with_its_reason(login, bea, piet_cases):
    login(bea).post(EXPORT_URL, {**PIET_FORM, "reason": "Brief van 3 maart"})
    entries = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT)
    assert sorted(e.case_id for e in entries) == sorted(c.pk for c in piet_cases)
    assert {(e.actor, e.reason) for e in entries} == {(bea, "Brief van 3 maart")}
    assert all("Piet" not in json.dumps(e.detail) for e in entries)


def test_an_export_without_a_reason_is_refused(login, bea, piet_cases):
    response = login(bea).post(EXPORT_URL, {**PIET_FORM, "reason": ""})
    assert response.status_code == 200
    assert "Content-Disposition" not in response
    assert response.context["export_form"].errors["reason"]
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()


def test_an_export_reason_may_not_hold_personal_data(login, bea, piet_cases):
    response = login(bea).post(EXPORT_URL, {**PIET_FORM, "reason": "Mail van piet@example.nl"})
    assert "Content-Disposition" not in response
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()


def test_an_export_that_finds_nothing_is_still_audited(bea, piet_cases):
    data = privacy.dsr_export(
        user=bea, full_name="Jan Jansen", birth_date=PIET.birth_date, reason="Brief van 3 maart"
    )
    assert data["cases"] == []
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert entry.case is None and entry.detail == {"request": "avg_art_15", "cases": 0}


# ---------------------------------------------------------------- art. 17: erase


def test_erase_needs_the_confirmation(login, bea, piet_cases):
    response = login(bea).post(ERASE_URL, {**PIET_FORM, "reason": "Verzoek per brief"})
    assert response.status_code == 200
    assert response.context["erase_form"].errors["confirm"]
    assert not Case.objects.filter(anonymised_at__isnull=False).exists()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.ERASE).exists()


def test_erase_destroys_identities_and_anonymises_the_cases(login, bea, piet_cases, klaas_case):
    client = login(bea)
    response = client.post(ERASE_URL, {**PIET_FORM, "reason": "Verzoek per brief", "confirm": "on"})
    assert response.status_code == 302
    assert response["Location"] == DSR_URL
    assert "2 casussen zijn geanonimiseerd" in client.get(DSR_URL).text

    for record in ClientIdentity.objects.filter(case__in=piet_cases):
        assert (record.encrypted, record.identity_hash) == ("", "")
        assert record.destroyed_at is not None
    for case in Case.objects.filter(pk__in=[c.pk for c in piet_cases]):
        assert case.anonymised_at is not None
        assert (case.question, case.postcode_area, case.counterparty_other) == ("", "", "")
    assert set(
        SubProblem.objects.filter(case__in=piet_cases).values_list("analysis", flat=True)
    ) == {""}
    advice = SecondLineAdvice.objects.filter(subproblem__case__in=piet_cases)
    assert set(advice.values_list("analysis", "feedback_note")) == {("", "")}
    assert set(Note.objects.filter(case__in=piet_cases).values_list("text", flat=True)) == {""}
    handovers = Handover.objects.filter(case__in=piet_cases)
    assert set(handovers.values_list("context", flat=True)) == {""}
    assert set(handovers.values_list("status", "decline_reason")) == {
        (Handover.Status.PENDING, ""),
        (Handover.Status.DECLINED, privacy.ANONYMISED),  # the database wants a reason
    }
    assert not selectors.dsr_find(user=bea, full_name="Piet Jansen", birth_date=PIET.birth_date)


def test_erase_leaves_other_clients_alone(bea, piet_cases, klaas_case):
    privacy.dsr_erase(
        user=bea, full_name="Piet Jansen", birth_date=PIET.birth_date, reason="Verzoek per brief"
    )
    record = ClientIdentity.objects.get(case=klaas_case)
    assert vault.decrypt_identity(record.encrypted)["full_name"] == "Klaas de Boer"
    klaas_case.refresh_from_db()
    assert klaas_case.anonymised_at is None
    assert klaas_case.question
    assert Note.objects.get(case=klaas_case).text


def test_erase_is_audited_per_case_and_step(bea, piet_cases):
    count = privacy.dsr_erase(
        user=bea, full_name="Piet Jansen", birth_date=PIET.birth_date, reason="Verzoek per brief"
    )
    assert count == 2
    entries = AuditEntry.objects.filter(action=AuditEntry.Action.ERASE)
    assert sorted((e.case_id, e.detail["step"]) for e in entries) == sorted(
        (case.pk, step) for case in piet_cases for step in ("identity_destroyed", "case_anonymised")
    )
    assert {(e.actor, e.reason) for e in entries} == {(bea, "Verzoek per brief")}


def test_erasing_again_finds_nothing(login, bea, piet_cases):
    kwargs = {
        "full_name": "Piet Jansen",
        "birth_date": PIET.birth_date,
        "reason": "Verzoek per brief",
    }
    assert privacy.dsr_erase(user=bea, **kwargs) == 2
    assert privacy.dsr_erase(user=bea, **kwargs) == 0
    assert AuditEntry.objects.filter(action=AuditEntry.Action.ERASE).count() == 4


def test_erase_with_a_short_reason_is_refused(bea, piet_cases):
    with pytest.raises(ValidationError):
        privacy.dsr_erase(
            user=bea, full_name="Piet Jansen", birth_date=PIET.birth_date, reason=" ok "
        )
    assert ClientIdentity.objects.filter(destroyed_at__isnull=True).count() == 2


# ---------------------------------------------------------------- the building blocks


def test_anonymising_blanks_the_free_text_named_by_the_data_classes():
    assert {
        model.__name__: content.content_fields(model)
        for model in content.content_models()
        if model._meta.app_label == "cases"
    } == {
        "Case": ["question", "postcode_area", "counterparty_other"],
        "SubProblem": ["analysis"],
        "SecondLineAdvice": ["analysis", "feedback_note"],
        "Note": ["text"],
        "Handover": ["context", "decline_reason"],
    }


def test_anonymising_twice_does_nothing_the_second_time(bea, piet_cases):
    case = piet_cases[0]
    assert privacy.case_anonymise(case=case, actor=bea, reason="Verzoek per brief")
    assert not privacy.case_anonymise(case=case, actor=bea, reason="Verzoek per brief")
    assert AuditEntry.objects.filter(case=case, detail__step="case_anonymised").count() == 1


def test_anonymising_also_destroys_an_identity_left(bea, piet_cases):
    case = piet_cases[0]
    privacy.case_anonymise(case=case, actor=bea, reason="Verzoek per brief")
    assert ClientIdentity.objects.get(case=case).encrypted == ""


def test_destroying_a_missing_identity_logs_nothing(bea, orgs_utrecht, anna):
    case = CaseFactory(organisation=orgs_utrecht["loket"], registered_by=anna)
    assert not privacy.identity_destroy(case=case, actor=bea, reason="Verzoek per brief")
    assert not AuditEntry.objects.exists()


# ---------------------------------------------------------------- VACUUM after erasure


def _vacuums(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = %s", [table])
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_after_an_erasure_the_vault_and_the_case_text_are_vacuumed(bea, piet_cases):
    """The old versions of the rows (ciphertext, text) leave the tables: VACUUM, after commit."""
    tables = ["cases_clientidentity", "cases_case", "cases_note", "piket_consult"]
    before = {table: _vacuums(table) for table in tables}
    privacy.dsr_erase(
        user=bea, full_name="Piet Jansen", birth_date=PIET.birth_date, reason="Verzoek per brief"
    )
    assert {table: _vacuums(table) for table in tables} == {t: n + 1 for t, n in before.items()}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_erasure_that_finds_nothing_vacuums_nothing(bea, piet_cases):
    before = _vacuums("cases_clientidentity")
    privacy.dsr_erase(
        user=bea, full_name="Jan Jansen", birth_date=PIET.birth_date, reason="Verzoek per brief"
    )
    assert _vacuums("cases_clientidentity") == before


def test_vacuum_refuses_to_run_inside_a_transaction():
    with pytest.raises(RuntimeError, match="inside a transaction"):
        privacy.case_content_vacuum()


def test_the_vacuum_waits_for_the_commit(bea, piet_cases, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        privacy.dsr_erase(
            user=bea,
            full_name="Piet Jansen",
            birth_date=PIET.birth_date,
            reason="Verzoek per brief",
        )
    assert [callback.__self__.name for callback in callbacks] == ["cases.tasks.vacuum_case_content"]


# ---------------------------------------------------------------- the name hash of earlier records


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_gives_identities_already_in_the_vault_their_name_hash(bea, piet_cases):
    unreadable = ClientIdentity.objects.get(case=piet_cases[1])
    unreadable.encrypted = "geen-geldig-token"
    unreadable.save(update_fields=["encrypted"])
    executor = MigrationExecutor(connection)
    executor.migrate([("cases", "0011_audit_cases_shown_index")])  # before the name hash
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert ClientIdentity.objects.get(case=piet_cases[0]).name_hash == vault.name_hash(
        "Piet Jansen"
    )
    assert ClientIdentity.objects.get(pk=unreadable.pk).name_hash == ""
