"""Reads of cases. `cases_visible_to` is the only road to case records: every view, export and
API starts from it, so a case a user may not see simply does not exist for them (404)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from accounts import access
from accounts.models import Role, User
from cases.models import (
    AuditEntry,
    Case,
    CaseGrant,
    ClientIdentity,
    Handover,
    Note,
    SecondLineAdvice,
    SubProblem,
)

# Roles whose members work on the cases of their own organisation (the registering team).
TEAM_ROLES = {Role.FIRST_LINE}


def _team_organisation_ids(user: User) -> set[int]:
    return {m.organisation_id for m in access.memberships(user) if m.role in TEAM_ROLES}


def _grantee_organisation_ids(user: User) -> set[int]:
    return {
        m.organisation_id
        for m in access.memberships(user)
        if m.role in (Role.FIRST_LINE, Role.ADVOCAAT)
    }


def _coordinator_location_ids(user: User) -> set[int]:
    return {
        m.organisation.location_id for m in access.memberships(user) if m.role == Role.COORDINATOR
    }


def cases_visible_to(user: User) -> QuerySet[Case]:
    """The registering team sees its cases; a team or advocaat with a grant (accepted handover,
    consult) sees those cases; coordinators see their location's cases (pseudonymised);
    researchers and administrators see no case records at all."""
    if not getattr(user, "is_authenticated", False):
        return Case.objects.none()
    teams = _team_organisation_ids(user)
    grantee_orgs = _grantee_organisation_ids(user)
    locations = _coordinator_location_ids(user)
    condition = Q(pk__in=[])
    if teams:
        condition |= Q(organisation_id__in=teams)
    if locations:
        condition |= Q(location_id__in=locations)
    grants = CaseGrant.objects.filter(case=OuterRef("pk"))
    if grantee_orgs:
        condition |= Q(Exists(grants.filter(organisation_id__in=grantee_orgs)))
    if access.has_role(user, Role.ADVOCAAT) or teams:
        condition |= Q(Exists(grants.filter(user=user)))
    return Case.objects.filter(condition)


def case_get_for_user(user: User, number: str) -> Case:
    """The case, or 404 when it does not exist or the user may not see it."""
    case = (
        cases_visible_to(user)
        .select_related("location", "organisation", "registered_by", "counterparty")
        .filter(number=number)
        .first()
    )
    if case is None:
        raise Http404
    return case


def is_registering_team(user: User, case: Case) -> bool:
    return case.organisation_id in _team_organisation_ids(user)


def _grants_for(user: User, case: Case) -> list[CaseGrant]:
    orgs = _grantee_organisation_ids(user)
    return [
        g
        for g in case.grants.all()
        if g.user_id == user.pk or (g.organisation_id is not None and g.organisation_id in orgs)
    ]


def can_edit_case(user: User, case: Case) -> bool:
    """The registering team and a first-line team that accepted a handover change the case."""
    if case.anonymised_at:
        return False
    if is_registering_team(user, case):
        return True
    first_line_orgs = {
        m.organisation_id for m in access.memberships(user) if m.role == Role.FIRST_LINE
    }
    return any(g.organisation_id in first_line_orgs for g in case.grants.all() if g.organisation_id)


def can_advise(user: User, case: Case) -> bool:
    """An advocaat consulted on the case (a grant to them or their organisation) records advice."""
    return (
        case.anonymised_at is None
        and access.has_role(user, Role.ADVOCAAT)
        and bool(_grants_for(user, case))
    )


def can_reveal_identity(user: User, case: Case) -> bool:
    """Only the registering team, or a receiver the client consented to share the identity with."""
    if case.anonymised_at:
        return False
    if is_registering_team(user, case):
        return True
    return any(g.identity for g in _grants_for(user, case))


def case_line_of(user: User, case: Case) -> str:
    """Whether the user writes on this case as first or second line."""
    return (
        Note.Line.SECOND
        if access.has_role(user, Role.ADVOCAAT) and not is_registering_team(user, case)
        else Note.Line.FIRST
    )


def case_list(user: User, *, filters: dict | None = None) -> QuerySet[Case]:
    filters = filters or {}
    cases = cases_visible_to(user).select_related("organisation", "registered_by")
    if number := filters.get("number"):
        cases = cases.filter(number__iexact=number.strip())
    if status := filters.get("status"):
        cases = cases.filter(status=status)
    if legal_area := filters.get("legal_area"):
        cases = cases.filter(
            Exists(SubProblem.objects.filter(case=OuterRef("pk"), legal_area=legal_area))
        )
    if worker := filters.get("worker"):
        cases = cases.filter(registered_by=worker)
    if start := filters.get("registered_from"):
        cases = cases.filter(registered_at__date__gte=start)
    if end := filters.get("registered_until"):
        cases = cases.filter(registered_at__date__lte=end)
    return cases.prefetch_related(
        Prefetch("subproblems", queryset=SubProblem.objects.select_related("legal_area"))
    ).order_by("-registered_at", "-pk")


def case_workers_for(user: User) -> QuerySet[User]:
    """Workers whose cases the user may filter on: own team, or the location for coordinators."""
    teams = _team_organisation_ids(user) | _grantee_organisation_ids(user)
    locations = _coordinator_location_ids(user)
    return (
        User.objects.filter(
            Q(memberships__organisation_id__in=teams)
            | Q(memberships__organisation__location_id__in=locations),
            memberships__role=Role.FIRST_LINE,
        )
        .distinct()
        .order_by("full_name")
    )


def case_detail(case: Case) -> dict:
    """Everything the case page shows, in a fixed number of queries."""
    subproblems = list(
        case.subproblems.select_related("legal_area", "kind_of_case").prefetch_related(
            "considered_organisations",
            Prefetch(
                "advice",
                queryset=SecondLineAdvice.objects.select_related("advocaat").prefetch_related(
                    "fitting_organisations"
                ),
            ),
        )
    )
    notes = list(case.notes.select_related("author"))
    handovers = list(
        case.handovers.select_related("to_organisation", "to_advocaat", "created_by", "decided_by")
    )
    changes = list(
        AuditEntry.objects.filter(
            case=case, action__in=[AuditEntry.Action.CREATE, AuditEntry.Action.STATUS]
        )
        .select_related("actor")
        .order_by("at")
    )
    timeline = sorted(
        [("note", n.created_at, n) for n in notes]
        + [("advice", a.created_at, a) for s in subproblems for a in s.advice.all()]
        + [("handover", h.created_at, h) for h in handovers]
        + [("change", c.at, c) for c in changes],
        key=lambda item: item[1],
    )
    return {
        "subproblems": subproblems,
        "handovers": handovers,
        "timeline": timeline,
        "has_identity": ClientIdentity.objects.filter(
            case=case, destroyed_at__isnull=True
        ).exists(),
    }


def earlier_cases_count(case: Case) -> int:
    """Other cases of the same client at the same organisation, found by the keyed hash only."""
    identity = (
        ClientIdentity.objects.filter(case=case).only("identity_hash", "organisation_id").first()
    )
    if identity is None or not identity.identity_hash:
        return 0
    return (
        ClientIdentity.objects.filter(
            organisation_id=identity.organisation_id, identity_hash=identity.identity_hash
        )
        .exclude(case=case)
        .count()
    )


def pending_handovers_for(user: User) -> QuerySet[Handover]:
    """Handovers waiting for the user's organisation (or for the user as advocaat)."""
    orgs = _grantee_organisation_ids(user)
    return (
        Handover.objects.filter(status=Handover.Status.PENDING)
        .filter(Q(to_organisation_id__in=orgs, to_advocaat__isnull=True) | Q(to_advocaat=user))
        .select_related("case", "from_organisation", "to_organisation")
    )
