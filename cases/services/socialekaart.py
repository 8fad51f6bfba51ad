"""The sociale kaart: coordinators keep the organisations that clients can be referred to current.

A coordinator maintains the entries of their own location(s) and the national entries (the
Location with is_national=True). Entries are never deleted, only deactivated: cases refer to them
as "considered organisations".
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Location, User
from cases.models import AuditEntry, SocialMapEntry
from cases.selectors import may_maintain
from cases.services.audit import audit_log

ENTRY_FIELDS = ("name", "location", "kinds_of_help", "description", "contact_route", "owner")


def _require_maintain(user: User, location: Location | None) -> None:
    if location is None:
        raise ValidationError({"location": _("Kies een locatie.")})
    if not may_maintain(user, location):
        raise PermissionDenied(
            _("U beheert de sociale kaart van %(location)s niet.") % {"location": location.name}
        )


def _check_owner(owner: User, location: Location) -> None:
    if not owner.is_active or not may_maintain(owner, location):
        raise ValidationError({"owner": _("Kies als beheerder een coördinator van deze locatie.")})


def _save(entry: SocialMapEntry, update_fields: list[str] | None = None) -> None:
    """Validate and save; the unique name per location becomes a form error on the name."""
    # The constraint is checked by the database, so two coordinators saving at once both get
    # the same clear message instead of one of them a server error.
    entry.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            entry.save(update_fields=update_fields)
    except IntegrityError as exc:
        if "social_map_unique_name" not in str(exc):
            raise
        clash = SocialMapEntry.objects.filter(location=entry.location, name=entry.name).first()
        if clash is not None and not clash.is_active:
            message = _(
                "Er is al een gedeactiveerde organisatie met deze naam bij %(location)s. Kies een "
                "andere naam of vraag de functioneel beheerder die weer te activeren."
            )
        else:
            message = _(
                "Er staat al een organisatie met deze naam op de sociale kaart van %(location)s."
            )
        raise ValidationError({"name": message % {"location": entry.location.name}}) from None


@transaction.atomic
def socialmap_entry_create(*, user: User, data: dict[str, Any]) -> SocialMapEntry:
    """Add an organisation to the sociale kaart of a location the user maintains.

    `data` holds name, location, legal_areas, kinds_of_help, description, contact_route and
    owner (defaults to the user).
    """
    location = data.get("location")
    _require_maintain(user, location)
    owner = data.get("owner") or user
    _check_owner(owner, location)
    entry = SocialMapEntry(
        name=data.get("name", "").strip(),
        location=location,
        kinds_of_help=list(data.get("kinds_of_help") or []),
        description=data.get("description", ""),
        contact_route=data.get("contact_route", "").strip(),
        owner=owner,
        last_checked_on=timezone.localdate(),
    )
    _save(entry)
    entry.legal_areas.set(data.get("legal_areas") or [])
    audit_log(actor=user, action=AuditEntry.Action.CREATE, obj=entry)
    return entry


@transaction.atomic
def socialmap_entry_update(
    *, user: User, entry: SocialMapEntry, data: dict[str, Any]
) -> SocialMapEntry:
    """Change an entry; moving it to another location needs rights there too."""
    _require_maintain(user, entry.location)
    values = {name: data[name] for name in ENTRY_FIELDS if name in data}
    for name in ("name", "contact_route"):
        if name in values:
            values[name] = values[name].strip()
    if "kinds_of_help" in values:
        values["kinds_of_help"] = list(values["kinds_of_help"] or [])
    if "owner" in values and values["owner"] is None:
        values["owner"] = entry.owner
    changed = [name for name, value in values.items() if getattr(entry, name) != value]
    for name in changed:
        setattr(entry, name, values[name])
    if "location" in changed:
        _require_maintain(user, entry.location)
    if {"location", "owner"} & set(changed):
        _check_owner(entry.owner, entry.location)
    if changed:
        _save(entry, update_fields=changed)
    if "legal_areas" in data:
        new_areas = {area.pk for area in data["legal_areas"] or []}
        if new_areas != {area.pk for area in entry.legal_areas.all()}:
            entry.legal_areas.set(new_areas)
            changed.append("legal_areas")
    if changed:
        audit_log(
            actor=user, action=AuditEntry.Action.UPDATE, obj=entry, detail={"fields": changed}
        )
    return entry


@transaction.atomic
def socialmap_entry_mark_checked(*, user: User, entry: SocialMapEntry) -> SocialMapEntry:
    """Record that the entry's details were checked today (it is no longer flagged as stale)."""
    _require_maintain(user, entry.location)
    entry.last_checked_on = timezone.localdate()
    entry.save(update_fields=["last_checked_on"])
    audit_log(
        actor=user,
        action=AuditEntry.Action.UPDATE,
        obj=entry,
        detail={"fields": ["last_checked_on"]},
    )
    return entry


@transaction.atomic
def socialmap_entry_deactivate(*, user: User, entry: SocialMapEntry) -> SocialMapEntry:
    """Take the entry off the sociale kaart; cases that considered it keep their reference."""
    _require_maintain(user, entry.location)
    if entry.is_active:
        entry.is_active = False
        entry.save(update_fields=["is_active"])
        audit_log(
            actor=user, action=AuditEntry.Action.UPDATE, obj=entry, detail={"fields": ["is_active"]}
        )
    return entry
