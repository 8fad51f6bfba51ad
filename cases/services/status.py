"""A case's status: the one place where it changes.

Every change is checked against TRANSITIONS, written as a row of the status history and as an
audit entry. The callers (the status form, consulting an advocaat, a piket booking, a warm
handover) decide who may change the case; this module decides which change is possible.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from cases.models import AuditEntry, Case, CaseStatusChange
from cases.services.audit import audit_log

Status = Case.Status
Reason = CaseStatusChange.Reason

# From -> the statuses a case may move to. A closed case can only be reopened.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.OPEN: frozenset({Status.WAITING, Status.REFERRED, Status.CLOSED}),
    Status.WAITING: frozenset({Status.OPEN, Status.REFERRED, Status.CLOSED}),
    Status.REFERRED: frozenset({Status.OPEN, Status.WAITING, Status.CLOSED}),
    Status.CLOSED: frozenset({Status.OPEN}),
}


def case_status_started(*, case: Case, actor: User) -> CaseStatusChange:
    """The first row of a new case's history: registered, open."""
    return CaseStatusChange.objects.create(
        case=case,
        from_status="",
        to_status=case.status,
        at=case.registered_at,
        actor=actor,
        reason=Reason.REGISTERED,
    )


@transaction.atomic
def case_status_change(
    *,
    case: Case,
    to: str,
    actor: User | None,
    reason: str,
    closed_on: date | None = None,
    solution_reached: str = "",
    solution_where: str = "",
) -> CaseStatusChange:
    """Move the case to `to`; closing needs the answer whether a fitting solution was reached
    (and takes today as the closing date unless one is given). Raises a ValidationError in
    Dutch for a change the table does not allow; nothing is written then."""
    if to not in Status.values:
        raise ValidationError({"status": _("Kies een geldige status.")})
    current = Case.objects.select_for_update().values_list("status", flat=True).get(pk=case.pk)
    if to == current:
        raise ValidationError({"status": _("De casus heeft deze status al.")})
    if to not in TRANSITIONS[current]:
        raise ValidationError(
            {
                "status": _("Een casus met status '%(from)s' kan niet naar '%(to)s'.")
                % {"from": Status(current).label, "to": Status(to).label}
            }
        )
    if to == Status.CLOSED:
        if not solution_reached:
            raise ValidationError(
                {"solution_reached": _("Geef aan of er een passende oplossing is bereikt.")}
            )
        closed_on = closed_on or timezone.localdate()
    else:
        closed_on, solution_reached, solution_where = None, "", ""
    # the date rules before anything changes, so a refused change leaves `case` as it was
    Case(first_contact_on=case.first_contact_on, closed_on=closed_on).clean()
    case.status, case.closed_on = to, closed_on
    case.solution_reached, case.solution_where = solution_reached, solution_where
    case.save(
        update_fields=["status", "closed_on", "solution_reached", "solution_where", "updated_at"]
    )
    change = CaseStatusChange.objects.create(
        case=case, from_status=current, to_status=to, actor=actor, reason=reason
    )
    audit_log(
        actor=actor,
        action=AuditEntry.Action.STATUS,
        case=case,
        obj=change,
        detail={"from": current, "to": to, "reason": reason},
    )
    return change
