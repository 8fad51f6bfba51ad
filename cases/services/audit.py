from __future__ import annotations

from django.db import models

from accounts.models import User
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
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        case=case,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        reason=reason,
        detail=detail or {},
    )
