"""A case's status changes in one service, against a declared table, with a history row."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from cases.models import AuditEntry, Case, CaseStatusChange
from cases.services.status import TRANSITIONS, case_status_change
from tests.cases.factories import CaseFactory

pytestmark = pytest.mark.django_db

Status = Case.Status
Reason = CaseStatusChange.Reason


def history(case) -> list[tuple[str, str, str]]:
    return list(case.status_changes.values_list("from_status", "to_status", "reason"))


def test_registering_a_case_starts_its_history(login, anna):
    response = login(anna).post(
        "/casussen/nieuw/",
        {
            "casus-first_contact_on": timezone.localdate().isoformat(),
            "deel-TOTAL_FORMS": "1",
            "deel-INITIAL_FORMS": "0",
            "deel-MIN_NUM_FORMS": "1",
            "deel-MAX_NUM_FORMS": "10",
            "deel-0-subject": "Huurrecht",
            "deel-0-referral_useful": "weet_niet",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert history(case) == [("", Status.OPEN, Reason.REGISTERED)]
    assert case.status_changes.get().actor == anna


def test_the_status_form_writes_history_and_audit(login, anna, orgs_utrecht):
    case = CaseFactory(organisation=orgs_utrecht["loket"], registered_by=anna)
    response = login(anna).post(
        f"/casussen/{case.number}/status/", {"status": "gesloten", "solution_reached": "ja"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.CLOSED and case.closed_on == timezone.localdate()
    assert history(case)[-1] == (Status.OPEN, Status.CLOSED, Reason.MANUAL)
    entry = AuditEntry.objects.get(case=case, action=AuditEntry.Action.STATUS)
    assert entry.actor == anna and entry.detail == {
        "from": "open",
        "to": "gesloten",
        "reason": "handmatig",
    }


# The product's rule, written out independently of the code: every change is possible except
# to the same status, and a closed case can only be reopened.
REFUSED = [(status, status) for status in Status.values] + [
    (Status.CLOSED, Status.WAITING),
    (Status.CLOSED, Status.REFERRED),
]


def test_the_declared_table_is_the_rule():
    allowed = {(a, b) for a, targets in TRANSITIONS.items() for b in targets}
    everything = {(a, b) for a in Status.values for b in Status.values}
    assert everything - allowed == set(REFUSED)


@pytest.mark.parametrize(("start", "to"), REFUSED)
def test_a_change_outside_the_table_is_refused_and_changes_nothing(anna, start, to):
    closed_on = timezone.localdate() if start == Status.CLOSED else None
    case = CaseFactory(registered_by=anna, status=start, closed_on=closed_on)
    before = history(case)
    with pytest.raises(ValidationError):
        case_status_change(
            case=case, to=to, actor=anna, reason=Reason.MANUAL, solution_reached="ja"
        )
    case.refresh_from_db()
    assert case.status == start and history(case) == before


def test_a_closed_case_can_only_be_reopened(login, anna, orgs_utrecht):
    case = CaseFactory(organisation=orgs_utrecht["loket"], closed_on=timezone.localdate())
    client = login(anna)
    refused = client.post(f"/casussen/{case.number}/status/", {"status": "wacht_tweedelijn"})
    assert refused.status_code == 400 and "kan niet naar" in refused.text
    reopened = client.post(f"/casussen/{case.number}/status/", {"status": "open"})
    assert reopened.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.OPEN and case.closed_on is None and case.solution_reached == ""


def test_closing_needs_the_answer_and_a_date_not_before_first_contact(anna):
    case = CaseFactory(
        registered_by=anna, first_contact_on=timezone.localdate() - timedelta(days=3)
    )
    with pytest.raises(ValidationError, match="passende oplossing"):
        case_status_change(case=case, to=Status.CLOSED, actor=anna, reason=Reason.MANUAL)
    with pytest.raises(ValidationError, match="vóór het eerste contact"):
        case_status_change(
            case=case,
            to=Status.CLOSED,
            actor=anna,
            reason=Reason.MANUAL,
            solution_reached="ja",
            closed_on=timezone.localdate() - timedelta(days=5),
        )
    assert case.status == Status.OPEN  # the object is untouched too
    case.refresh_from_db()
    assert case.status == Status.OPEN


def test_the_database_refuses_a_history_row_that_changes_nothing(anna):
    from django.db import IntegrityError, transaction

    case = CaseFactory(registered_by=anna)
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseStatusChange.objects.create(
            case=case, from_status="open", to_status="open", reason=Reason.MANUAL
        )


def _status_writers() -> set[str]:
    """Files of the product that assign `<…>case.status` (also in a tuple assignment)."""
    import ast
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.BASE_DIR)
    found = set()
    for path in root.glob("*/**/*.py"):
        if path.relative_to(root).parts[0] in ("tests", "bench", ".venv", ".data"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = node.targets if isinstance(node, ast.Assign) else []
            for target in targets:
                for item in target.elts if isinstance(target, ast.Tuple) else [target]:
                    if (
                        isinstance(item, ast.Attribute)
                        and item.attr == "status"
                        and ast.unparse(item.value).split(".")[-1] == "case"
                    ):
                        found.add(str(path.relative_to(root)))
    return found


def test_nobody_else_writes_the_status():
    assert _status_writers() == {"cases/services/status.py"}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_fills_the_history_and_turns_grants_into_permissions():
    """cases 0005 gives existing cases their registration and current status; 0006 turns the
    old hand-made grants into django-guardian object permissions."""
    executor = MigrationExecutor(connection)
    before = [("cases", "0004_case_recent_index"), ("accounts", "0002_pilot_locations")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    location = old.get_model("accounts", "Location").objects.create(name="Oudstad", slug="oud")
    Organisation = old.get_model("accounts", "Organisation")
    loket = Organisation.objects.create(name="Loket", kind="juridisch_loket", location=location)
    team = Organisation.objects.create(
        name="Raadslieden", kind="sociaal_raadslieden", location=location
    )
    user = old.get_model("accounts", "User").objects.create(email="oud@example.org")
    OldCase = old.get_model("cases", "Case")
    closed = OldCase.objects.create(
        number="Z-OUDE-0001",
        location=location,
        organisation=loket,
        registered_by=user,
        status="gesloten",
        closed_on=timezone.localdate(),
        first_contact_on=timezone.localdate(),
    )
    still_open = OldCase.objects.create(
        number="Z-OUDE-0002", location=location, organisation=loket, registered_by=user
    )
    Grant = old.get_model("cases", "CaseGrant")
    Grant.objects.create(case=closed, user=user, reason="consult")
    Grant.objects.create(case=still_open, organisation=team, reason="overdracht", identity=True)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert history(Case.objects.get(pk=closed.pk)) == [
        ("", "open", "geregistreerd"),
        ("open", "gesloten", "overgenomen"),
    ]
    assert history(Case.objects.get(pk=still_open.pk)) == [("", "open", "geregistreerd")]
    from cases.models import Case as CurrentCase

    closed_now, open_now = (
        CurrentCase.objects.get(pk=closed.pk),
        CurrentCase.objects.get(pk=still_open.pk),
    )
    assert list(closed_now.person_permissions.values_list("user_id", "permission__codename")) == [
        (user.pk, "advise_case")
    ]
    from accounts.models import Organisation as CurrentOrganisation

    group_id = CurrentOrganisation.objects.get(pk=team.pk).team_id
    assert set(open_now.team_permissions.values_list("group_id", "permission__codename")) == {
        (group_id, "handle_case"),
        (group_id, "reveal_identity"),
    }
