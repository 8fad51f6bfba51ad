"""The pilot's piket rules: a domain setting that coordinators of the national level change in
the application, every change in the audit log with the old and the new value."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from cases.models import AuditEntry
from cases.services.audit import audit_log
from piket.models import PiketRules
from piket.selectors import can_change_piket_rules

RULE_FIELDS = ("no_toevoeging_after_consult", "period_starts_on", "period_ends_on")


def _audit_value(value):
    return value.isoformat() if isinstance(value, date) else value


@transaction.atomic
def piket_rules_update(*, user: User, data: dict) -> PiketRules:
    """Change the pilot's piket rules (coordinators of the national level only). Audited with
    the old and the new value of each rule that changed; nothing changed, nothing written."""
    if not can_change_piket_rules(user):
        raise PermissionDenied
    rules, _created = PiketRules.objects.select_for_update().get_or_create(pk=PiketRules.ROW)
    starts = data.get("period_starts_on", rules.period_starts_on)
    ends = data.get("period_ends_on", rules.period_ends_on)
    if starts and ends and ends < starts:
        raise ValidationError(
            {"period_ends_on": _("Het einde van de pilotperiode ligt vóór het begin.")}
        )
    changed = {
        name: {"from": getattr(rules, name), "to": data[name]}
        for name in RULE_FIELDS
        if name in data and getattr(rules, name) != data[name]
    }
    if not changed:
        return rules
    for name, change in changed.items():
        setattr(rules, name, change["to"])
    rules.changed_by, rules.changed_at = user, timezone.now()
    rules.save(update_fields=[*changed, "changed_by", "changed_at"])
    detail = {
        name: {"from": _audit_value(change["from"]), "to": _audit_value(change["to"])}
        for name, change in changed.items()
    }
    audit_log(actor=user, action=AuditEntry.Action.UPDATE, obj=rules, detail=detail)
    return rules
