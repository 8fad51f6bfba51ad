"""Who may do what: the one place where access is decided.

Every app asks here. Rights follow from memberships (a role in an organisation at a location).
Per-object grants (a case handed over to another team, say) go through django-guardian, always
with global permissions ignored, so a model-wide permission never opens every location's objects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from guardian.shortcuts import get_objects_for_user

from accounts.models import Location, Membership, Organisation, Role

if TYPE_CHECKING:
    from django.db.models import Model, QuerySet

# Capability -> the roles that hold it. Each holds at the locations where the user has that role.
CAPABILITIES: dict[str, frozenset[str]] = {
    "cases.register": frozenset({Role.FIRST_LINE}),
    "cases.view": frozenset({Role.FIRST_LINE, Role.ADVOCAAT, Role.COORDINATOR}),
    "piket.book": frozenset({Role.FIRST_LINE}),
    "piket.serve": frozenset({Role.ADVOCAAT}),
    "piket.manage": frozenset({Role.COORDINATOR}),
    "socialekaart.manage": frozenset({Role.COORDINATOR}),
    "signalering.take_part": frozenset({Role.COORDINATOR}),
    "research.view": frozenset({Role.RESEARCHER}),
    "accounts.invite": frozenset({Role.COORDINATOR, Role.ADMINISTRATOR}),
    "accounts.manage": frozenset({Role.ADMINISTRATOR}),
    "audit.view": frozenset({Role.ADMINISTRATOR}),
}

# Roles a coordinator may hand out at their own location; administrators may hand out any.
ROLES_A_COORDINATOR_MAY_INVITE = frozenset({Role.FIRST_LINE, Role.ADVOCAAT, Role.COORDINATOR})


def memberships(user) -> list[Membership]:
    """The user's active memberships, loaded once per request (cached on the user object)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_pilot_memberships", None)
    if cached is None:
        cached = list(
            Membership.objects.active()
            .filter(user=user, organisation__is_active=True, organisation__location__is_active=True)
            .select_related("organisation__location")
            .order_by("organisation__location__name", "role")
        )
        user._pilot_memberships = cached
    return cached


def roles(user) -> set[str]:
    return {m.role for m in memberships(user)}


def has_role(user, role: str) -> bool:
    return role in roles(user)


def can(user, capability: str, location: Location | None = None) -> bool:
    """May the user do this (at this location, if one is given)?"""
    allowed = CAPABILITIES[capability]
    return any(
        m.role in allowed and (location is None or m.organisation.location_id == location.pk)
        for m in memberships(user)
    )


def locations_where(user, capability: str) -> list[Location]:
    allowed = CAPABILITIES[capability]
    seen: dict[int, Location] = {}
    for m in memberships(user):
        if m.role in allowed:
            seen.setdefault(m.organisation.location_id, m.organisation.location)
    return list(seen.values())


def organisations_where(user, capability: str) -> list[Organisation]:
    allowed = CAPABILITIES[capability]
    seen: dict[int, Organisation] = {}
    for m in memberships(user):
        if m.role in allowed:
            seen.setdefault(m.organisation_id, m.organisation)
    return list(seen.values())


def can_use_admin(user) -> bool:
    return bool(user.is_active and (user.is_superuser or can(user, "accounts.manage")))


def can_invite(user, organisation: Organisation, role: str) -> bool:
    if can(user, "accounts.manage"):
        return True
    return role in ROLES_A_COORDINATOR_MAY_INVITE and can(
        user, "accounts.invite", organisation.location
    )


def invitable_organisations(user) -> QuerySet[Organisation]:
    organisations = Organisation.objects.filter(is_active=True).select_related("location")
    if can(user, "accounts.manage"):
        return organisations
    return organisations.filter(location__in=locations_where(user, "accounts.invite"))


def invitable_roles(user) -> list[tuple[str, str]]:
    if can(user, "accounts.manage"):
        return list(Role.choices)
    return [
        (value, label) for value, label in Role.choices if value in ROLES_A_COORDINATOR_MAY_INVITE
    ]


def objects_with_perm(
    user, perms: str | Iterable[str], queryset: QuerySet[Model]
) -> QuerySet[Model]:
    """Objects on which the user holds an explicit per-object grant (django-guardian).

    Global (model-wide) permissions are ignored on purpose: they would open every location's data.
    """
    return get_objects_for_user(
        user, perms, klass=queryset, accept_global_perms=False, with_superuser=False
    )


def requires(capability: str) -> Callable:
    """View decorator: 403 unless the user holds the capability somewhere."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not can(request.user, capability):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_capability = capability
        return wrapped

    return decorator
