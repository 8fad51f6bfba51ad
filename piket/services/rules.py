"""The pilot's piket rules: a domain setting that coordinators of the national level change in
the application, every change in the audit log with the old and the new value."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from cases.models import AuditEntry
from cases.services.audit import audit_log
from piket.models import PiketRules
from piket.selectors import can_change_piket_rules

RULE_FIELDS = ("no_toevoeging_after_consult",)


@transaction.atomic
def piket_rules_update(*, user: User, data: dict) -> PiketRules:
    """Change the pilot's piket rules (coordinators of the national level only). Audited with
    the old and the new value of each rule that changed; nothing changed, nothing written."""
    if not can_change_piket_rules(user):
        raise PermissionDenied
    rules, _created = PiketRules.objects.select_for_update().get_or_create(pk=PiketRules.ROW)
    changed = {
        name: {"from": getattr(rules, name), "to": data[name]}
        for name in RULE_FIELDS
        if getattr(rules, name) != data[name]
    }
    if not changed:
        return rules
    for name, change in changed.items():
        setattr(rules, name, change["to"])
    rules.changed_by, rules.changed_at = user, timezone.now()
    rules.save(update_fields=[*changed, "changed_by", "changed_at"])
    audit_log(actor=user, action=AuditEntry.Action.UPDATE, obj=rules, detail=changed)
    return rules
