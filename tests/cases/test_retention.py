"""Retention: identities go RETENTION_IDENTITY_DAYS after closing, case text RETENTION_CASE_DAYS."""

from __future__ import annotations

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection

from cases import tasks
from cases.models import AuditEntry, Case, ClientIdentity
from cases.services.privacy import retention_apply
from pilot.celery import app
from tests.cases.factories import (
    AuditEntryFactory,
    CaseFactory,
    ClientIdentityFactory,
    NoteFactory,
)

TODAY = datetime.date(2025, 6, 1)
NOON = datetime.datetime(2025, 6, 1, 12, tzinfo=ZoneInfo("Europe/Amsterdam"))


@pytest.fixture(autouse=True)
def _periods(settings):
    settings.RETENTION_IDENTITY_DAYS = 365
    settings.RETENTION_CASE_DAYS = 5 * 365


@pytest.fixture
def frozen():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def cases(frozen, orgs_utrecht, anna):
    def case(closed_on):
        made = CaseFactory(
            organisation=orgs_utrecht["loket"], registered_by=anna, closed_on=closed_on
        )
        ClientIdentityFactory(case=made)
        NoteFactory(case=made)
        return made

    return {
        "open": case(None),
        "recent": case(datetime.date(2025, 1, 1)),
        "one_year": case(TODAY - datetime.timedelta(days=365)),  # not *more* than a year: stays
        "old": case(datetime.date(2024, 5, 1)),
        "ancient": case(datetime.date(2020, 1, 1)),
    }


def _has_identity(case: Case) -> bool:
    return ClientIdentity.objects.get(case=case).destroyed_at is None


def test_dry_run_reports_and_changes_nothing(cases):
    report = retention_apply(dry_run=True)
    assert report.today == TODAY
    assert report.dry_run
    assert report.identities_to_destroy == [cases["ancient"].number, cases["old"].number]
    assert report.cases_to_anonymise == [cases["ancient"].number]
    assert all(_has_identity(case) for case in cases.values())
    assert not Case.objects.filter(anonymised_at__isnull=False).exists()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.RETENTION).exists()


def test_retention_destroys_old_identities_and_anonymises_very_old_cases(cases):
    report = retention_apply()
    assert report.identities_to_destroy == [cases["ancient"].number, cases["old"].number]
    assert report.cases_to_anonymise == [cases["ancient"].number]
    assert {name for name, case in cases.items() if _has_identity(case)} == {
        "open",
        "recent",
        "one_year",
    }
    record = ClientIdentity.objects.get(case=cases["old"])
    assert (record.encrypted, record.identity_hash) == ("", "")
    assert record.destroyed_at == NOON
    ancient = Case.objects.get(pk=cases["ancient"].pk)
    assert ancient.anonymised_at == NOON
    assert ancient.question == ""
    assert ancient.notes.get().text == ""
    old = Case.objects.get(pk=cases["old"].pk)
    assert old.anonymised_at is None and old.question


def test_every_retention_step_is_audited_without_an_actor(cases):
    retention_apply()
    entries = AuditEntry.objects.filter(action=AuditEntry.Action.RETENTION)
    assert sorted((e.case_id, e.detail["step"]) for e in entries) == sorted(
        [
            (cases["old"].pk, "identity_destroyed"),
            (cases["ancient"].pk, "identity_destroyed"),
            (cases["ancient"].pk, "case_anonymised"),
        ]
    )
    assert {e.actor for e in entries} == {None}
    assert all("verstreken" in e.reason for e in entries)


def test_retention_is_idempotent(cases):
    retention_apply()
    audited = AuditEntry.objects.count()
    again = retention_apply()
    assert (again.identities_to_destroy, again.cases_to_anonymise) == ([], [])
    assert AuditEntry.objects.count() == audited


def test_a_day_later_the_case_closed_a_year_ago_goes_too(cases):
    retention_apply()
    with time_machine.travel(NOON + datetime.timedelta(days=1), tick=False):
        report = retention_apply()
    assert report.identities_to_destroy == [cases["one_year"].number]
    assert report.cases_to_anonymise == []


def test_today_can_be_given(cases):
    report = retention_apply(today=datetime.date(2026, 6, 1), dry_run=True)
    assert len(report.identities_to_destroy) == 4  # every closed case
    assert report.cases_to_anonymise == [cases["ancient"].number]


def test_a_case_period_shorter_than_the_identity_period_still_leaves_no_identity(cases, settings):
    settings.RETENTION_CASE_DAYS = 30
    retention_apply()
    for case in Case.objects.filter(anonymised_at__isnull=False):
        assert not _has_identity(case)
    assert Case.objects.filter(anonymised_at__isnull=False).count() == 4


# ---------------------------------------------------------------- open cases nobody closed


def _at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=ZoneInfo("Europe/Amsterdam"))


@pytest.fixture
def quiet(frozen, orgs_utrecht, anna, settings):
    """Open cases, registered long ago; what happened to each since. Retention: a year without
    activity (the default), the identity a year, the case five years."""
    settings.RETENTION_INACTIVE_DAYS = 365

    def case(registered: datetime.date, **since):
        made = CaseFactory(
            organisation=orgs_utrecht["loket"],
            registered_by=anna,
            first_contact_on=registered,
            registered_at=_at(registered),
        )
        ClientIdentityFactory(case=made)
        NoteFactory(case=made)
        Case.objects.filter(pk=made.pk).update(updated_at=since.get("saved", _at(registered)))
        for action, day in since.get("entries", []):
            AuditEntryFactory(actor=anna, case=made, action=action, at=_at(day))
        return made

    old, ancient = datetime.date(2023, 1, 10), datetime.date(2019, 1, 7)
    return {
        "abandoned": case(old),
        "ancient": case(ancient),
        "only_read": case(old, entries=[(AuditEntry.Action.VIEW, datetime.date(2025, 5, 1))]),
        "noted": case(ancient, entries=[(AuditEntry.Action.NOTE, datetime.date(2025, 3, 1))]),
        "saved": case(old, saved=_at(datetime.date(2025, 2, 1))),
        "fresh": case(datetime.date(2025, 1, 1)),
    }


def test_open_cases_without_activity_lose_identity_and_later_their_text(quiet):
    report = retention_apply()
    assert report.identities_to_destroy == [
        quiet[name].number for name in ("abandoned", "ancient", "only_read")
    ]
    assert report.cases_to_anonymise == [quiet["ancient"].number]
    ancient = Case.objects.get(pk=quiet["ancient"].pk)
    assert ancient.anonymised_at == NOON and ancient.question == ""
    assert ancient.status == Case.Status.OPEN  # retention changes no status, no figures
    for name in ("noted", "saved", "fresh"):
        assert _has_identity(quiet[name]), name
    reasons = AuditEntry.objects.filter(action=AuditEntry.Action.RETENTION)
    assert {e.reason for e in reasons} == {
        "Bewaartermijn identiteit verstreken (365 dagen na de laatste activiteit)",
        "Bewaartermijn casus verstreken (1825 dagen na de laatste activiteit)",
    }


def test_reading_and_applying_retention_are_no_activity(quiet):
    retention_apply()
    with time_machine.travel(NOON + datetime.timedelta(days=5 * 365), tick=False):
        report = retention_apply()
    # the RETENTION entries written a moment ago did not make the cases active again
    assert quiet["abandoned"].number in report.cases_to_anonymise
    assert quiet["only_read"].number in report.cases_to_anonymise


def test_the_period_without_activity_is_a_setting(quiet, settings):
    settings.RETENTION_INACTIVE_DAYS = 1000  # the abandoned cases: 872 days
    report = retention_apply(dry_run=True)
    assert report.identities_to_destroy == [quiet["ancient"].number]
    assert report.cases_to_anonymise == [quiet["ancient"].number]


def _vacuums(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = %s", [table])
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_retention_vacuums_the_vault_when_it_destroyed_something(cases):
    before = _vacuums("cases_clientidentity")
    tasks.apply_retention.delay().get()
    assert _vacuums("cases_clientidentity") == before + 1
    tasks.apply_retention.delay().get()  # nothing left to do: no VACUUM
    assert _vacuums("cases_clientidentity") == before + 1


# ---------------------------------------------------------------- task and command


def test_celery_task_applies_retention_and_returns_counts_only(cases):
    result = tasks.apply_retention.delay().get()
    assert result == {"identities_destroyed": 2, "cases_anonymised": 1}
    assert not _has_identity(cases["old"])


def test_beat_schedules_the_task_daily():
    app.loader.import_default_modules()
    entry = django_settings.CELERY_BEAT_SCHEDULE["apply-retention"]
    assert entry["task"] == "cases.tasks.apply_retention"
    assert entry["task"] in app.tasks


def test_command_dry_run_prints_counts_and_case_numbers(cases):
    out = StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    output = out.getvalue()
    assert "Proefdraai op 01-06-2025: er is niets gewijzigd." in output
    assert "Te vernietigen identiteiten: 2" in output
    assert "Te anonimiseren casussen: 1" in output
    assert cases["old"].number in output and cases["ancient"].number in output
    assert all(_has_identity(cases[name]) for name in ("old", "ancient"))


def test_command_applies_and_prints_no_personal_data(cases):
    out = StringIO()
    call_command("apply_retention", stdout=out)
    output = out.getvalue()
    assert "Vernietigde identiteiten: 2" in output
    assert "Geanonimiseerde casussen: 1" in output
    assert "Piet" not in output and "Huurverhoging" not in output
    assert not _has_identity(cases["old"])
    out = StringIO()
    call_command("apply_retention", stdout=out)
    assert "Vernietigde identiteiten: 0" in out.getvalue()
