"""The audit log: append-only in PostgreSQL, browsable by administrators only."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib import admin
from django.db import DatabaseError, connection, transaction
from django.db.utils import Error as DatabaseErrorBase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import AuditEntry
from cases.services.audit import audit_log
from tests.cases.factories import AuditEntryFactory, CaseFactory

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
AUDIT_URL = reverse("cases:audit")


@pytest.fixture
def entry(anna):
    return audit_log(actor=anna, action=AuditEntry.Action.VIEW, reason="oorspronkelijk")


# ---------------------------------------------------------------- append-only, in the database


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE cases_auditentry SET reason = 'gewijzigd' WHERE id = %s",
        "DELETE FROM cases_auditentry WHERE id = %s",
    ],
    ids=["update", "delete"],
)
def test_database_refuses_to_change_an_audit_entry_with_raw_sql(entry, sql):
    with (
        pytest.raises(DatabaseErrorBase, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [entry.pk])
    entry.refresh_from_db()
    assert entry.reason == "oorspronkelijk"


@pytest.mark.parametrize(
    "sql", ["TRUNCATE cases_auditentry", "TRUNCATE cases_case CASCADE"], ids=["direct", "cascaded"]
)
def test_database_refuses_to_truncate_the_audit_log(entry, sql):
    with (
        pytest.raises(DatabaseErrorBase, match="append-only: TRUNCATE refused"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        # as in production: only the test databases allow it, for Django's flush between tests
        cursor.execute("SET LOCAL pilot.audit_truncate = ''")
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's inserts: no pending checks
        cursor.execute(sql)
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_only_the_test_database_allows_truncate(entry):
    """The escape hatch is a default of the test database alone (conftest.django_db_setup)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT datname FROM pg_db_role_setting JOIN pg_database d ON d.oid = setdatabase "
            "WHERE 'pilot.audit_truncate=allowed' = ANY(setconfig)"
        )
        allowed = {row[0] for row in cursor.fetchall()}
    assert allowed and all(name.startswith("test_") for name in allowed)


def test_database_refuses_an_orm_update(entry):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(reason="gewijzigd")
    entry.reason = "gewijzigd"
    with pytest.raises(DatabaseError), transaction.atomic():
        entry.save()
    entry.refresh_from_db()
    assert entry.reason == "oorspronkelijk"


def test_database_refuses_an_orm_delete(entry):
    with pytest.raises(DatabaseError), transaction.atomic():
        entry.delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_database_still_accepts_new_entries(entry, anna):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO cases_auditentry (at, action, object_type, object_id, reason, detail) "
            "VALUES (now(), 'view', '', '', 'met de hand', '{}')"
        )
    audit_log(actor=anna, action=AuditEntry.Action.EXPORT, reason="tweede")
    assert AuditEntry.objects.count() == 3


def test_the_django_admin_cannot_change_the_audit_log(rf, bea):
    """AuditEntry is not in the admin; should it ever be registered, then read-only."""
    model_admin = admin.site._registry.get(AuditEntry)
    if model_admin is None:
        return
    request = rf.get("/")
    request.user = bea
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


# ---------------------------------------------------------------- the page


@pytest.mark.parametrize("persona", ["anna", "ravi", "bart", "carla", "olga", "eva", "cor"])
def test_audit_log_is_for_administrators_only(personas, login, persona):
    assert login(personas[persona]).get(AUDIT_URL).status_code == 403


def test_administrator_sees_the_audit_log_newest_first(login, bea, anna, entry):
    later = audit_log(actor=anna, action=AuditEntry.Action.EXPORT, reason="later")
    response = login(bea).get(AUDIT_URL)
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [later, entry]
    assert "anna@example.org" in response.text


def test_audit_log_page_offers_no_way_to_change_anything(login, bea, entry):
    response = login(bea).get(AUDIT_URL)
    post_forms = re.findall(r'<form[^>]*method="post"[^>]*>', response.text)
    assert all("/casussen/" not in form for form in post_forms)  # logout, language only
    assert login(bea).post(AUDIT_URL).status_code == 405
    assert AuditEntry.objects.get(pk=entry.pk).reason == "oorspronkelijk"


@pytest.fixture
def varied_log(anna, eva, orgs_utrecht):
    case = CaseFactory(organisation=orgs_utrecht["loket"], registered_by=anna)
    entries = {
        "anna_view": AuditEntryFactory(
            actor=anna, case=case, at=datetime(2025, 3, 1, 10, tzinfo=AMSTERDAM)
        ),
        "anna_export": AuditEntryFactory(
            actor=anna,
            case=None,
            action=AuditEntry.Action.EXPORT,
            at=datetime(2025, 3, 10, 23, 30, tzinfo=AMSTERDAM),
        ),
        "eva_reveal": AuditEntryFactory(
            actor=eva,
            case=case,
            action=AuditEntry.Action.REVEAL,
            at=datetime(2025, 3, 11, 0, 30, tzinfo=AMSTERDAM),
        ),
        "system": AuditEntryFactory(
            actor=None,
            case=case,
            action=AuditEntry.Action.RETENTION,
            at=datetime(2025, 4, 1, 3, 17, tzinfo=AMSTERDAM),
        ),
    }
    return case, entries


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["system", "eva_reveal", "anna_export", "anna_view"]),
        ({"action": "reveal"}, ["eva_reveal"]),
        ({"actor": "ANNA@"}, ["anna_export", "anna_view"]),
        ({"case_number": "{number}"}, ["system", "eva_reveal", "anna_view"]),
        ({"date_from": "2025-03-10", "date_until": "2025-03-10"}, ["anna_export"]),  # local days
        ({"date_from": "2025-03-11"}, ["system", "eva_reveal"]),
        ({"actor": "anna", "action": "view"}, ["anna_view"]),
    ],
)
def test_audit_log_filters(login, bea, varied_log, query, expected):
    case, entries = varied_log
    query = {key: value.format(number=case.number.lower()) for key, value in query.items()}
    response = login(bea).get(AUDIT_URL, query)
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [entries[name] for name in expected]


def test_an_invalid_filter_shows_an_error_and_the_whole_log(login, bea, varied_log):
    response = login(bea).get(AUDIT_URL, {"date_from": "2025-04-01", "date_until": "2025-03-01"})
    assert response.status_code == 200
    assert "Deze datum ligt vóór de begindatum." in response.text
    assert response.context["page"].paginator.count == 4


def _bulk_entries(actor, case, count: int) -> None:
    now = timezone.now()
    AuditEntry.objects.bulk_create(
        AuditEntry(
            actor=actor, case=case, action=AuditEntry.Action.VIEW, at=now - timedelta(minutes=i)
        )
        for i in range(count)
    )


def test_audit_log_pages_by_fifty_and_keeps_the_filters(login, bea, anna, orgs_utrecht):
    case = CaseFactory(organisation=orgs_utrecht["loket"], registered_by=anna)
    _bulk_entries(anna, case, 55)
    client = login(bea)
    first = client.get(AUDIT_URL, {"action": "view"})
    assert len(first.context["page"].object_list) == 50
    assert "?action=view&amp;pagina=2" in first.text
    second = client.get(AUDIT_URL, {"action": "view", "pagina": 2})
    assert len(second.context["page"].object_list) == 5


def test_audit_log_query_count_does_not_grow_with_entries(login, bea, anna, eva, orgs_utrecht):
    case = CaseFactory(organisation=orgs_utrecht["loket"], registered_by=anna)
    client = login(bea)
    _bulk_entries(anna, case, 2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(AUDIT_URL).status_code == 200
    _bulk_entries(eva, CaseFactory(organisation=orgs_utrecht["loket"], registered_by=anna), 45)
    with CaptureQueriesContext(connection) as many:
        assert client.get(AUDIT_URL).status_code == 200
    assert len(many) == len(few)
