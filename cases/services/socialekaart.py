"""The sociale kaart: coordinators keep the organisations that clients can be referred to current.

A coordinator maintains the entries of their own location(s) and the national entries (the
Location with is_national=True). Entries are never deleted, only deactivated: cases refer to them
as "considered organisations".
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import Location, Membership, Role, User
from cases.models import AuditEntry, LegalArea, SocialMapEntry
from cases.services.audit import audit_log

CAPABILITY = "socialekaart.manage"
ENTRY_FIELDS = ("name", "location", "kinds_of_help", "description", "contact_route", "owner")


# ---------------------------------------------------------------- reads


def may_maintain(user: User, location: Location) -> bool:
    """Coordinators maintain their own location's entries and the national ones."""
    if location.is_national:
        return access.can(user, CAPABILITY)
    return access.can(user, CAPABILITY, location)


def socialmap_locations(user: User) -> QuerySet[Location]:
    """The locations whose sociale kaart the user maintains (their own, and national)."""
    own = [location.pk for location in access.locations_where(user, CAPABILITY)]
    if not own:
        return Location.objects.none()
    return Location.objects.filter(Q(pk__in=own) | Q(is_national=True), is_active=True)


def socialmap_owners(user: User) -> QuerySet[User]:
    """Who can be made owner of an entry: the coordinators of the user's locations."""
    own = [location.pk for location in access.locations_where(user, CAPABILITY)]
    coordinator_ids = (
        Membership.objects.active()
        .filter(role=Role.COORDINATOR, organisation__location__in=own)
        .values("user_id")
    )
    return User.objects.filter(is_active=True, pk__in=coordinator_ids)


def socialmap_entries_for(
    user: User,
    *,
    search: str = "",
    legal_area: LegalArea | None = None,
    kind_of_help: str = "",
    stale_only: bool = False,
) -> QuerySet[SocialMapEntry]:
    """The active entries the user maintains, filtered, ready for a list page."""
    own = [location.pk for location in access.locations_where(user, CAPABILITY)]
    if not own:
        return SocialMapEntry.objects.none()
    entries = SocialMapEntry.objects.active().filter(
        Q(location__in=own) | Q(location__is_national=True)
    )
    if search:
        entries = entries.filter(name__icontains=search.strip())
    if legal_area is not None:
        entries = entries.filter(legal_areas=legal_area)
    if kind_of_help:
        entries = entries.filter(kinds_of_help__contains=[kind_of_help])
    if stale_only:
        entries = entries.stale()
    return (
        entries.select_related("location", "owner")
        .prefetch_related("legal_areas")
        .order_by("name", "location__name")
    )


def socialmap_entry_get_for_user(user: User, pk: int) -> SocialMapEntry:
    """The entry, or 404 when it does not exist, is deactivated or the user does not maintain it."""
    entry = socialmap_entries_for(user).filter(pk=pk).first()
    if entry is None:
        raise Http404
    return entry


# ---------------------------------------------------------------- writes


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
