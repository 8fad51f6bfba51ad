from __future__ import annotations

from django.db import models

from accounts.models import User
from cases import content
from cases.models import AuditEntry, Case


def audit_log(
    *,
    actor: User | None,
    action: str,
    case: Case | None = None,
    obj: models.Model | None = None,
    reason: str = "",
    detail: dict | None = None,
) -> AuditEntry:
    """Append one entry. `detail` holds field names and codes, never the values of personal data."""
    if case is not None:
        content.audited(case.pk)  # the request's read of this case is on record with this entry
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        case=case,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        reason=reason,
        detail=detail or {},
    )


def audit_reads(*, actor: User, case_ids: list[int]) -> AuditEntry:
    """One VIEW entry for the cases a response showed: `case` set when it was one case, the ids
    of all in detail["cases"] (a list page)."""
    return AuditEntry.objects.create(
        actor=actor,
        action=AuditEntry.Action.VIEW,
        case_id=case_ids[0] if len(case_ids) == 1 else None,
        detail={"cases": case_ids},
    )
