"""Who may do what: the one place where capabilities are decided.

Rights follow from memberships (a role in an organisation at a location): CAPABILITIES says which
roles hold a capability, and a role holds it at the locations where the user has that role.

Objects are reached through one convention, in each app's selectors: `<things>_visible_to(user)`
(a queryset: what the user may see at all) and `<thing>_get_for_user(user, key, *,
for_change=False)` (404 when the user may not see it, 403 when they may see it but not make this
change, via `require_change` below). The predicates (`can_…`) live beside those two.

Per-object grants (an advocaat consulted on a case, a team that accepted a warm handover) are
django-guardian object permissions with direct foreign keys (`cases.models.CaseUserPermission`,
`CaseTeamPermission`). A team is the organisation's guardian group (`Organisation.team`); who
belongs to it follows from active memberships, so the group has no members of its own and grants
are read through the selectors, never through `user.has_perm`. Global (model-wide) permissions
are never used: they would open every location's data.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from accounts.models import Location, Membership, Organisation, Role

if TYPE_CHECKING:
    from django.db.models import QuerySet

# Capability -> the roles that hold it. Each holds at the locations where the user has that role.
CAPABILITIES: dict[str, frozenset[str]] = {
    "cases.register": frozenset({Role.FIRST_LINE}),
    "cases.view": frozenset({Role.FIRST_LINE, Role.ADVOCAAT, Role.COORDINATOR}),
    # receives cases from others: a warm handover to the team, a consult
    "cases.receive": frozenset({Role.FIRST_LINE, Role.ADVOCAAT}),
    # sees the location's cases, pseudonymised
    "cases.oversee": frozenset({Role.COORDINATOR}),
    "cases.advise": frozenset({Role.ADVOCAAT}),
    "piket.book": frozenset({Role.FIRST_LINE}),
    "piket.serve": frozenset({Role.ADVOCAAT}),
    "piket.manage": frozenset({Role.COORDINATOR}),
    # everyone who works with clients reads the sociale kaart (it holds no personal data of
    # clients); coordinators maintain it
    "socialekaart.read": frozenset({Role.FIRST_LINE, Role.ADVOCAAT, Role.COORDINATOR}),
    "socialekaart.manage": frozenset({Role.COORDINATOR}),
    "signalering.take_part": frozenset({Role.COORDINATOR}),
    # the best-practice library: everyone signed in reads adopted entries; those who work in
    # the pilot propose, see drafts, comment and endorse for their organisation; coordinators
    # review and adopt (never their own entry)
    "bestpractices.read": frozenset(
        {Role.FIRST_LINE, Role.ADVOCAAT, Role.COORDINATOR, Role.RESEARCHER, Role.ADMINISTRATOR}
    ),
    "bestpractices.take_part": frozenset({Role.FIRST_LINE, Role.ADVOCAAT, Role.COORDINATOR}),
    "bestpractices.review": frozenset({Role.COORDINATOR}),
    "research.view": frozenset({Role.RESEARCHER}),
    "research.request_export": frozenset({Role.RESEARCHER}),
    # the data-protection contact: approves or rejects exports, never their own (research)
    "research.approve_export": frozenset({Role.ADMINISTRATOR}),
    # the research dashboards: researchers see every location suppressed, coordinators the raw
    # figures of their own locations (research.figures.scope_for)
    "research.dashboards": frozenset({Role.RESEARCHER, Role.COORDINATOR}),
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


def organisation_ids_where(user, capability: str) -> set[int]:
    return {o.pk for o in organisations_where(user, capability)}


def team_ids_where(user, capability: str) -> set[int]:
    """The guardian groups (`Organisation.team`) of the organisations where the user holds the
    capability: the teams whose object permissions apply to the user."""
    return {o.team_id for o in organisations_where(user, capability) if o.team_id}


def require_change(user, obj, for_change: bool | str, predicates: dict[str, Callable]) -> None:
    """The second half of every `<thing>_get_for_user`: 403 unless the user may make the change.

    `for_change=True` asks for the model's "change" predicate; a string names another one
    (`case_get_for_user(user, number, for_change="advise")`)."""
    if not for_change:
        return
    predicate = predicates["change" if for_change is True else for_change]
    if not predicate(user, obj):
        raise PermissionDenied


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


def requires_any(*capabilities: str) -> Callable:
    """View decorator: 403 unless the user holds at least one of the capabilities somewhere."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not any(can(request.user, capability) for capability in capabilities):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_capabilities = capabilities
        return wrapped

    return decorator
