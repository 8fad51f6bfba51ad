"""Reads of the cases app: cases, the second line, the sociale kaart and the audit log.

`cases_visible_to` is the only road to case records: every view, export and API starts from it,
so a case a user may not see simply does not exist for them (404)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts import access
from accounts.models import Location, Membership, Organisation, Role, User
from cases import vault
from cases.models import (
    AuditEntry,
    Case,
    CaseGrant,
    ClientIdentity,
    Handover,
    LegalArea,
    Note,
    SecondLineAdvice,
    SocialMapEntry,
    SubProblem,
)

# ---------------------------------------------------------------- cases

# Roles whose members work on the cases of their own organisation (the registering team).
TEAM_ROLES = {Role.FIRST_LINE}


def _team_organisation_ids(user: User) -> set[int]:
    return {m.organisation_id for m in access.memberships(user) if m.role in TEAM_ROLES}


def grantee_organisation_ids(user: User) -> set[int]:
    """Organisations whose first-line workers or advocaten may receive cases (grants, handovers)."""
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
    grantee_orgs = grantee_organisation_ids(user)
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
    orgs = grantee_organisation_ids(user)
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
        cases = cases.filter(number=number.strip().upper())  # exact: uses the unique index
    if status := filters.get("status"):
        cases = cases.filter(status=status)
    if legal_area := filters.get("legal_area"):
        cases = cases.filter(
            Exists(SubProblem.objects.filter(case=OuterRef("pk"), legal_area=legal_area))
        )
    if worker := filters.get("worker"):
        cases = cases.filter(registered_by=worker)
    if start := filters.get("registered_from"):
        cases = cases.filter(registered_at__gte=_local_midnight(start))
    if end := filters.get("registered_until"):
        cases = cases.filter(registered_at__lt=_local_midnight(end + timedelta(days=1)))
    return cases.prefetch_related(
        Prefetch("subproblems", queryset=SubProblem.objects.select_related("legal_area"))
    ).order_by("-registered_at", "-pk")


def case_workers_for(user: User) -> QuerySet[User]:
    """Workers whose cases the user may filter on: own team, or the location for coordinators."""
    teams = _team_organisation_ids(user) | grantee_organisation_ids(user)
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


def _local_midnight(day: date) -> datetime:
    """A range on registered_at (not a date cast), so the index serves period filters."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


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


# ---------------------------------------------------------------- second line

HANDOVER_RECEIVER_KINDS = (
    Organisation.Kind.JURIDISCH_LOKET,
    Organisation.Kind.SOCIAAL_RAADSLIEDEN,
    Organisation.Kind.SOCIALE_ADVOCATUUR,
)


def _advocaat_memberships() -> QuerySet[Membership]:
    return Membership.objects.active().filter(
        role=Role.ADVOCAAT,
        organisation__is_active=True,
        organisation__kind=Organisation.Kind.SOCIALE_ADVOCATUUR,
        organisation__location__is_active=True,
    )


def consult_advocaten_for(case: Case) -> QuerySet[User]:
    """Advocaten of a sociale advocatuur at the case's location or on the national level."""
    memberships = _advocaat_memberships().filter(
        Q(organisation__location_id=case.location_id) | Q(organisation__location__is_national=True)
    )
    return User.objects.filter(pk__in=memberships.values("user_id")).order_by("full_name")


def consulted_advocaten(case: Case) -> QuerySet[CaseGrant]:
    return (
        CaseGrant.objects.filter(case=case, user__isnull=False, reason=CaseGrant.Reason.CONSULT)
        .select_related("user")
        .order_by("granted_at")
    )


def advice_social_map(case: Case) -> QuerySet[SocialMapEntry]:
    """The sociale-kaart organisations an advocaat may name as fitting for this case."""
    return SocialMapEntry.objects.active().for_location(case.location).order_by("name")


def subproblem_get(case: Case, position: int) -> SubProblem:
    """The case's sub-problem at this position, or 404."""
    subproblem = (
        case.subproblems.select_related("legal_area", "kind_of_case")
        .prefetch_related("considered_organisations")
        .filter(position=position)
        .first()
    )
    if subproblem is None:
        raise Http404
    return subproblem


def subproblems_with_own_advice(user: User, case: Case) -> list[SubProblem]:
    """The case's sub-problems with, as `own_advice`, the advice this advocaat gave (or None)."""
    subproblems = list(
        case.subproblems.select_related("legal_area", "kind_of_case").prefetch_related(
            "considered_organisations",
            Prefetch(
                "advice",
                queryset=SecondLineAdvice.objects.filter(advocaat=user).prefetch_related(
                    "fitting_organisations"
                ),
                to_attr="own_advices",
            ),
        )
    )
    for subproblem in subproblems:
        subproblem.own_advice = subproblem.own_advices[0] if subproblem.own_advices else None
    return subproblems


def own_advice(user: User, subproblem: SubProblem) -> SecondLineAdvice | None:
    return (
        SecondLineAdvice.objects.filter(subproblem=subproblem, advocaat=user)
        .prefetch_related("fitting_organisations")
        .first()
    )


def handover_receivers_for(case: Case) -> QuerySet[Organisation]:
    """Any active first-line or sociale-advocatuur organisation but the case's own, anywhere."""
    return (
        Organisation.objects.filter(
            is_active=True, location__is_active=True, kind__in=HANDOVER_RECEIVER_KINDS
        )
        .exclude(pk=case.organisation_id)
        .select_related("location")
        .order_by("location__name", "name")
    )


def handover_advocaten() -> QuerySet[User]:
    """Advocaten a case can be handed over to personally, at any location."""
    memberships = _advocaat_memberships()
    return User.objects.filter(pk__in=memberships.values("user_id")).order_by("full_name")


def pending_handovers_for(user: User) -> QuerySet[Handover]:
    """Handovers waiting for the user's organisation (or for the user as advocaat)."""
    orgs = grantee_organisation_ids(user)
    return (
        Handover.objects.filter(status=Handover.Status.PENDING)
        .filter(Q(to_organisation_id__in=orgs, to_advocaat__isnull=True) | Q(to_advocaat=user))
        .select_related("case", "from_organisation", "to_organisation")
    )


def handover_get_for_receiver(user: User, pk: int) -> Handover:
    """A handover addressed to the user's organisation (or to the user), else 404."""
    handover = (
        Handover.objects.filter(pk=pk)
        .filter(
            Q(to_organisation_id__in=grantee_organisation_ids(user), to_advocaat__isnull=True)
            | Q(to_advocaat=user)
        )
        .select_related("case", "to_organisation", "to_advocaat")
        .first()
    )
    if handover is None:
        raise Http404
    return handover


def handovers_sent_by(user: User) -> QuerySet[Handover]:
    """Handovers of the cases of the user's own team(s), newest first."""
    teams = {m.organisation_id for m in access.memberships(user) if m.role == Role.FIRST_LINE}
    return (
        Handover.objects.filter(from_organisation_id__in=teams)
        .select_related("case", "to_organisation__location", "to_advocaat", "decided_by")
        .order_by("-created_at", "-pk")
    )


# ---------------------------------------------------------------- sociale kaart

SOCIALEKAART_CAPABILITY = "socialekaart.manage"


def may_maintain(user: User, location: Location) -> bool:
    """Coordinators maintain their own location's entries and the national ones."""
    if location.is_national:
        return access.can(user, SOCIALEKAART_CAPABILITY)
    return access.can(user, SOCIALEKAART_CAPABILITY, location)


def socialmap_locations(user: User) -> QuerySet[Location]:
    """The locations whose sociale kaart the user maintains (their own, and national)."""
    own = [location.pk for location in access.locations_where(user, SOCIALEKAART_CAPABILITY)]
    if not own:
        return Location.objects.none()
    return Location.objects.filter(Q(pk__in=own) | Q(is_national=True), is_active=True)


def socialmap_owners(user: User) -> QuerySet[User]:
    """Who can be made owner of an entry: the coordinators of the user's locations."""
    own = [location.pk for location in access.locations_where(user, SOCIALEKAART_CAPABILITY)]
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
    own = [location.pk for location in access.locations_where(user, SOCIALEKAART_CAPABILITY)]
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


# ---------------------------------------------------------------- audit

# Who handles data subject requests and reads the audit log: the functional administrators.
PRIVACY_CAPABILITY = "audit.view"


def _require_privacy_officer(user: User) -> None:
    if not access.can(user, PRIVACY_CAPABILITY):
        raise PermissionDenied


def audit_entries(*, user: User, filters: dict | None = None) -> QuerySet[AuditEntry]:
    """The audit log, newest first, for administrators; filters as in AuditFilterForm."""
    _require_privacy_officer(user)
    filters = filters or {}
    entries = AuditEntry.objects.select_related("actor", "case")
    if action := filters.get("action"):
        entries = entries.filter(action=action)
    if actor := (filters.get("actor") or "").strip():
        entries = entries.filter(actor__email__icontains=actor)
    if number := (filters.get("case_number") or "").strip():
        entries = entries.filter(case__number__iexact=number)
    if start := filters.get("date_from"):
        entries = entries.filter(at__date__gte=start)
    if end := filters.get("date_until"):
        entries = entries.filter(at__date__lte=end)
    return entries.order_by("-at", "-pk")


# ---------------------------------------------------------------- data subject requests


def dsr_find(*, user: User, full_name: str, birth_date: date) -> QuerySet[ClientIdentity]:
    """The vault records of this client in every organisation, found by the keyed hash alone
    (nothing is decrypted)."""
    _require_privacy_officer(user)
    identity_hash = vault.identity_hash(name=full_name, birth_date=birth_date)
    if not identity_hash:  # no letters in the name: an empty hash must never match anything
        return ClientIdentity.objects.none()
    return (
        ClientIdentity.objects.filter(identity_hash=identity_hash, destroyed_at__isnull=True)
        .select_related("case__organisation", "case__location")
        .order_by("case__registered_at", "pk")
    )
