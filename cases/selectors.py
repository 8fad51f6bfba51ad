"""Reads of the cases app: cases, the second line, the sociale kaart and the audit log.

`cases_visible_to` is the only road to case records: every view, export and API starts from it,
so a case a user may not see simply does not exist for them (404)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import cache

from django.conf import settings
from django.contrib.postgres.aggregates import ArrayAgg
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Count, Exists, Min, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from accounts import access
from accounts.models import Location, Membership, Organisation, Role, User
from cases import vault
from cases.models import (
    AuditEntry,
    Case,
    CaseTeamPermission,
    CaseUserPermission,
    ClientIdentity,
    Handover,
    LegalArea,
    Note,
    SecondLineAdvice,
    SocialMapEntry,
    SubProblem,
)
from cases.workdays import working_days_after

# ---------------------------------------------------------------- cases
# Who sees a case: the registering team (first line of the organisation that registered it),
# the coordinators of its location (pseudonymised), and whoever holds an object permission on
# it (django-guardian): an advocaat consulted on it, a team or an advocaat it was handed over to.
# Researchers and administrators see no case records at all.

ADVISE, HANDLE, REVEAL = "advise_case", "handle_case", "reveal_identity"


def _team_organisation_ids(user: User) -> set[int]:
    """The organisations whose registered cases the user works on (first line)."""
    return access.organisation_ids_where(user, "cases.register")


def cases_visible_to(user: User) -> QuerySet[Case]:
    """The only road to case records: every view, export and API starts here, so a case a user
    may not see simply does not exist for them (404)."""
    if not getattr(user, "is_authenticated", False):
        return Case.objects.none()
    teams = _team_organisation_ids(user)
    locations = [location.pk for location in access.locations_where(user, "cases.oversee")]
    condition = Q(pk__in=[])
    if teams:
        condition |= Q(organisation_id__in=teams)
    if locations:
        condition |= Q(location_id__in=locations)
    if groups := access.team_ids_where(user, "cases.receive"):
        condition |= Q(
            Exists(
                CaseTeamPermission.objects.filter(
                    content_object=OuterRef("pk"), group_id__in=groups
                )
            )
        )
    if access.can(user, "cases.receive"):
        personal_grants = CaseUserPermission.objects.filter(user=user)
        condition |= Q(Exists(personal_grants.filter(content_object=OuterRef("pk"))))
    return Case.objects.filter(condition)


def case_get_for_user(user: User, number: str, *, for_change: bool | str = False) -> Case:
    """The case, or 404 when it does not exist or the user may not see it; 403 when they see it
    but may not make the change (`True`: edit it; or a key of CASE_CHANGES)."""
    groups = access.team_ids_where(user, "cases.receive")
    case = (
        cases_visible_to(user)
        .select_related("location", "organisation", "registered_by", "counterparty")
        .annotate(
            # the user's object permissions on it, in the same query (see _permissions_on)
            user_codenames=ArraySubquery(
                CaseUserPermission.objects.filter(
                    content_object=OuterRef("pk"), user_id=user.pk
                ).values("permission__codename")
            ),
            team_codenames=ArraySubquery(
                CaseTeamPermission.objects.filter(
                    content_object=OuterRef("pk"), group_id__in=groups
                ).values("permission__codename")
            ),
            # the vault's state, for the pages that show it (see _vault_state)
            **_vault_annotations("vault_"),
        )
        .filter(number=number)
        .first()
    )
    if case is None:
        raise Http404
    case._permissions_of = {user.pk: {*(case.user_codenames or ()), *(case.team_codenames or ())}}
    access.require_change(user, case, for_change, CASE_CHANGES)
    return case


def _permissions_on(user: User, case: Case) -> set[str]:
    """The object permissions the user holds on the case, personally or through a team; read
    once per case and user (kept on the case object)."""
    cached = getattr(case, "_permissions_of", {})
    if user.pk not in cached and not access.can(user, "cases.receive"):
        cached[user.pk] = set()  # nobody grants anything to a role that can't receive cases
    if user.pk not in cached:
        groups = access.team_ids_where(user, "cases.receive")
        personal = CaseUserPermission.objects.filter(content_object=case, user=user)
        team = CaseTeamPermission.objects.filter(content_object=case, group_id__in=groups)
        cached[user.pk] = set(
            personal.values_list("permission__codename", flat=True).union(
                team.values_list("permission__codename", flat=True)
            )
        )
        case._permissions_of = cached
    return cached[user.pk]


def is_registering_team(user: User, case: Case) -> bool:
    return case.organisation_id in _team_organisation_ids(user)


def can_edit_case(user: User, case: Case) -> bool:
    """The registering team, and a first-line team a case was handed over to, change the case."""
    if case.anonymised_at:
        return False
    if is_registering_team(user, case):
        return True
    teams = access.team_ids_where(user, "cases.register")
    return (
        bool(teams)
        and CaseTeamPermission.objects.filter(
            content_object=case, group_id__in=teams, permission__codename=HANDLE
        ).exists()
    )


def case_ids_editable_by(user: User, case_ids: set[int]) -> set[int]:
    """`can_edit_case` for many cases at once, in one query (for list pages)."""
    teams = access.team_ids_where(user, "cases.register")
    handed_over = CaseTeamPermission.objects.filter(
        content_object=OuterRef("pk"), group_id__in=teams, permission__codename=HANDLE
    )
    return set(
        Case.objects.filter(pk__in=case_ids, anonymised_at__isnull=True)
        .filter(Q(organisation_id__in=_team_organisation_ids(user)) | Q(Exists(handed_over)))
        .values_list("pk", flat=True)
    )


def can_advise(user: User, case: Case) -> bool:
    """An advocaat consulted on the case, or one it was handed over to (personally or to their
    sociale advocatuur), records advice."""
    return (
        case.anonymised_at is None
        and access.can(user, "cases.advise")
        and bool(_permissions_on(user, case) & {ADVISE, HANDLE})
    )


def can_write_note(user: User, case: Case) -> bool:
    return can_edit_case(user, case) or can_advise(user, case)


def can_hand_over(user: User, case: Case) -> bool:
    """Only the registering team passes its case on."""
    return case.anonymised_at is None and is_registering_team(user, case)


def can_set_identity(user: User, case: Case) -> bool:
    """Only the registering team fills in the vault."""
    return case.anonymised_at is None and is_registering_team(user, case)


def can_reveal_identity(user: User, case: Case) -> bool:
    """Only the registering team, or a receiver the client consented to share the identity with."""
    if case.anonymised_at:
        return False
    return is_registering_team(user, case) or REVEAL in _permissions_on(user, case)


def can_book_piket(user: User, case: Case) -> bool:
    """A first-line worker who may change the case books a piket consult for it."""
    return access.can(user, "piket.book") and can_edit_case(user, case)


CASE_CHANGES = {
    "change": can_edit_case,
    "advise": can_advise,
    "note": can_write_note,
    "hand_over": can_hand_over,
    "identity": can_set_identity,
    "reveal": can_reveal_identity,
    "book": can_book_piket,
}


def case_line_of(user: User, case: Case) -> str:
    """Whether the user writes on this case as first or second line."""
    return (
        Note.Line.SECOND
        if access.can(user, "cases.advise") and not is_registering_team(user, case)
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
    # What the list shows and no more: the legal areas as names in the same query, not a
    # prefetch of sub-problems and areas (bench/README.md, issue 9).
    names = SubProblem.objects.filter(case=OuterRef("pk")).order_by("position")
    return (
        cases.only(*LIST_FIELDS)
        .annotate(legal_area_names=ArraySubquery(names.values("legal_area__name")))
        .order_by("-registered_at", "-pk")
    )


LIST_FIELDS = (
    "number",
    "registered_at",
    "status",
    "organisation",
    "organisation__name",
    "registered_by",
    "registered_by__full_name",
)


def case_workers_for(user: User) -> QuerySet[User]:
    """Workers whose cases the user may filter on: own team, or the location for coordinators."""
    teams = access.organisation_ids_where(user, "cases.receive")
    locations = [location.pk for location in access.locations_where(user, "cases.oversee")]
    return (
        User.objects.filter(
            Q(memberships__organisation_id__in=teams)
            | Q(memberships__organisation__location_id__in=locations),
            memberships__role=Role.FIRST_LINE,
        )
        .only("pk", "full_name")  # the filter's options: not 50 whole users a page
        .distinct()
        .order_by("full_name")
    )


def _local_midnight(day: date) -> datetime:
    """A range on registered_at (not a date cast), so the index serves period filters."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def subproblems_with_advice(case: Case) -> list[SubProblem]:
    """The case's sub-problems with the first line's analysis and every advice on them."""
    return list(
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


def case_page(user: User, case: Case) -> dict:
    """Everything the case page shows, in a fixed number of queries: sub-problems with their
    advice (the organisations' names aggregated in the same queries), notes, handovers, the
    status history, and the vault's state in one query."""
    subproblems = list(
        case.subproblems.select_related("legal_area", "kind_of_case")
        .annotate(considered_names=_names_of("considered_organisations"))
        .prefetch_related(
            Prefetch(
                "advice",
                queryset=SecondLineAdvice.objects.select_related("advocaat").annotate(
                    fitting_names=_names_of("fitting_organisations")
                ),
            )
        )
    )
    notes = list(case.notes.select_related("author"))
    handovers = list(
        case.handovers.select_related(
            "from_organisation",
            "to_organisation",
            "to_advocaat",
            "created_by",
            "decided_by",
            "picked_up_by",
        )
    )
    changes = list(case.status_changes.select_related("actor"))
    timeline = sorted(
        [("note", n.created_at, n) for n in notes]
        + [("advice", a.created_at, a) for s in subproblems for a in s.advice.all()]
        + [("handover", h.created_at, h) for h in handovers]
        + [("change", c.at, c) for c in changes],
        key=lambda item: item[1],
    )
    vault_state = _vault_state(case)
    is_team = is_registering_team(user, case)
    return {
        "subproblems": subproblems,
        "handovers": handovers,
        "timeline": timeline,
        "has_identity": vault_state["has_identity"],
        "earlier_cases": vault_state["earlier"] if is_team else 0,
        "is_team": is_team,
        "may_edit": can_edit_case(user, case),
        "may_advise": can_advise(user, case),
        "may_reveal": can_reveal_identity(user, case),
        # accepted handovers to the user whose contact nobody confirmed yet
        "to_pick_up": [
            h
            for h in handovers
            if h.status == Handover.Status.ACCEPTED
            and h.picked_up_at is None
            and is_handover_receiver(user, h)
        ],
    }


def _names_of(relation: str) -> ArrayAgg:
    return ArrayAgg(
        f"{relation}__name",
        filter=Q(**{f"{relation}__isnull": False}),
        order_by=f"{relation}__name",
        default=Value([]),
    )


def _earlier_identities(case_id) -> QuerySet[ClientIdentity]:
    """How many other cases of the same client the organisation has, found by the keyed hash
    of the case's vault record alone (a subquery: `case_id` may be an OuterRef)."""
    others = (
        ClientIdentity.objects.filter(
            organisation_id=OuterRef("organisation_id"), identity_hash=OuterRef("identity_hash")
        )
        .exclude(case_id=OuterRef("case_id"))
        .order_by()
        .values("organisation_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        ClientIdentity.objects.filter(case_id=case_id)
        .exclude(identity_hash="")
        .annotate(earlier=Subquery(others))
        .values("earlier")
    )


def _vault_state(case: Case) -> dict:
    """Whether the vault holds the client's identity, and how many other cases of the same
    client the organisation has: annotated by `case_get_for_user`, else one query."""
    if hasattr(case, "vault_has_identity"):
        return {"has_identity": case.vault_has_identity, "earlier": case.vault_earlier}
    return Case.objects.filter(pk=case.pk).values(**_vault_annotations("")).get()


@cache
def _vault_annotations(prefix: str) -> dict:
    """Whether the case's vault record holds an identity, and the number of the same client's
    other cases at the organisation, as annotations of a case queryset. The same for every user
    and case, so built once per process: building the nested querysets cost 2-3 ms a request,
    and `annotate()` resolves a copy of the expressions, never these."""
    return {
        f"{prefix}has_identity": Exists(
            ClientIdentity.objects.filter(case_id=OuterRef("pk"), destroyed_at__isnull=True)
        ),
        f"{prefix}earlier": Coalesce(Subquery(_earlier_identities(OuterRef("pk"))), 0),
    }


EARLIER_CASES_SHOWN = 10


def earlier_cases_of_client(user: User, *, full_name: str, birth_date: date) -> list[Case]:
    """While a worker fills in a client's identity: the latest cases of the same client at the
    user's own organisation(s) that the user sees, found by the keyed hash of name and birth
    date (nothing is decrypted)."""
    identity_hash = vault.identity_hash(name=full_name, birth_date=birth_date)
    organisations = _team_organisation_ids(user)
    if not identity_hash or not organisations:  # an empty hash must never match anything
        return []
    same_client = ClientIdentity.objects.filter(
        case=OuterRef("pk"),
        organisation_id__in=organisations,
        identity_hash=identity_hash,
        destroyed_at__isnull=True,
    )
    return list(
        cases_visible_to(user)
        .filter(Exists(same_client))
        .prefetch_related(
            Prefetch("subproblems", queryset=SubProblem.objects.select_related("legal_area"))
        )
        .order_by("-registered_at", "-pk")[:EARLIER_CASES_SHOWN]
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


def piket_advocaten() -> QuerySet[User]:
    """Every sociaal advocaat, of any location: who may serve the national piket."""
    return User.objects.filter(pk__in=_advocaat_memberships().values("user_id"))


def consulted_advocaten(case: Case) -> QuerySet[CaseUserPermission]:
    """The advocaten consulted on the case (their `advise_case` permission), first asked first."""
    return (
        CaseUserPermission.objects.filter(content_object=case, permission__codename=ADVISE)
        .select_related("user")
        .order_by("granted_at", "pk")
    )


def advice_social_map(case: Case) -> QuerySet[SocialMapEntry]:
    """The sociale-kaart organisations an advocaat may name as fitting for this case."""
    return SocialMapEntry.objects.active().for_location(case.location).order_by("name")


def subproblem_get_for_user(
    user: User, number: str, position: int, *, for_change: bool | str = False
) -> SubProblem:
    """A sub-problem of a case the user sees (its `case` attribute is that case), or 404;
    403 as `case_get_for_user` for the change asked for."""
    case = case_get_for_user(user, number, for_change=for_change)
    subproblem = (
        case.subproblems.select_related("legal_area", "kind_of_case")
        .prefetch_related("considered_organisations")
        .filter(position=position)
        .first()
    )
    if subproblem is None:
        raise Http404
    subproblem.case = case
    return subproblem


def subproblems_with_own_advice(user: User, case: Case) -> list[SubProblem]:
    """The case's sub-problems with, as `own_advice`, the advice this advocaat gave through the
    case (or None); advice after a piket consult belongs to that consult."""
    subproblems = list(
        case.subproblems.select_related("legal_area", "kind_of_case").prefetch_related(
            "considered_organisations",
            Prefetch(
                "advice",
                queryset=SecondLineAdvice.objects.filter(
                    advocaat=user, occasion=SecondLineAdvice.Occasion.CONSULTATION
                ).prefetch_related("fitting_organisations"),
                to_attr="own_advices",
            ),
        )
    )
    for subproblem in subproblems:
        subproblem.own_advice = subproblem.own_advices[0] if subproblem.own_advices else None
    return subproblems


def own_advice(user: User, subproblem: SubProblem) -> SecondLineAdvice | None:
    """The advocaat's advice on the sub-problem through the case (not after a piket consult)."""
    return (
        SecondLineAdvice.objects.filter(
            subproblem=subproblem, advocaat=user, occasion=SecondLineAdvice.Occasion.CONSULTATION
        )
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


def handovers_visible_to(user: User) -> QuerySet[Handover]:
    """Handovers addressed to the user's team (or to the user as advocaat), those the user's
    own team sent, and for coordinators those of the cases at their locations (which they see,
    pseudonymised, on the case page too)."""
    receiving = access.organisation_ids_where(user, "cases.receive")
    sending = _team_organisation_ids(user)
    overseeing = [location.pk for location in access.locations_where(user, "cases.oversee")]
    return Handover.objects.filter(
        Q(to_organisation_id__in=receiving, to_advocaat__isnull=True)
        | Q(to_advocaat_id=user.pk)
        | Q(from_organisation_id__in=sending)
        | Q(case__location_id__in=overseeing)
    )


def handover_get_for_user(user: User, pk: int, *, for_change: bool | str = False) -> Handover:
    """The handover, or 404; 403 when the user sees it but is not its receiver (for_change)."""
    handover = (
        handovers_visible_to(user)
        .filter(pk=pk)
        .select_related("case", "from_organisation", "to_organisation", "to_advocaat")
        .first()
    )
    if handover is None:
        raise Http404
    access.require_change(user, handover, for_change, HANDOVER_CHANGES)
    return handover


def is_handover_receiver(user: User, handover: Handover) -> bool:
    if handover.to_advocaat_id is not None:
        return handover.to_advocaat_id == user.pk
    return handover.to_organisation_id in access.organisation_ids_where(user, "cases.receive")


def can_pick_up(user: User, handover: Handover) -> bool:
    """The receiver confirms contact with the client ("opgepakt") once they accepted."""
    return is_handover_receiver(user, handover)


def can_read_referral_letter(user: User, handover: Handover) -> bool:
    """The referral letter ("verwijsbrief") is for the receiver once they accepted, and for the
    sending team that hands it on."""
    if handover.case.anonymised_at:
        return False
    if is_registering_team(user, handover.case):
        return True
    return handover.status == Handover.Status.ACCEPTED and is_handover_receiver(user, handover)


HANDOVER_CHANGES = {
    "change": is_handover_receiver,
    "pick_up": can_pick_up,
    "letter": can_read_referral_letter,
}


def pending_handovers_for(user: User) -> QuerySet[Handover]:
    """Handovers waiting for the user's organisation (or for the user as advocaat)."""
    receiving = access.organisation_ids_where(user, "cases.receive")
    return (
        handovers_visible_to(user)
        .filter(status=Handover.Status.PENDING)
        .filter(Q(to_organisation_id__in=receiving, to_advocaat__isnull=True) | Q(to_advocaat=user))
        .select_related("case", "from_organisation", "to_organisation")
    )


def handovers_sent_by(user: User) -> QuerySet[Handover]:
    """Handovers of the cases of the user's own team(s), newest first."""
    return (
        Handover.objects.filter(from_organisation_id__in=_team_organisation_ids(user))
        .select_related(
            "case", "to_organisation__location", "to_advocaat", "decided_by", "picked_up_by"
        )
        .order_by("-created_at", "-pk")
    )


def handovers_to_pick_up(user: User) -> QuerySet[Handover]:
    """Handovers the user's team (or the user as advocaat) accepted, whose contact with the
    client nobody confirmed yet: oldest first."""
    receiving = access.organisation_ids_where(user, "cases.receive")
    return (
        handovers_visible_to(user)
        .filter(status=Handover.Status.ACCEPTED, picked_up_at__isnull=True)
        .filter(Q(to_organisation_id__in=receiving, to_advocaat__isnull=True) | Q(to_advocaat=user))
        .select_related("case", "from_organisation", "to_organisation", "decided_by")
        .order_by("created_at", "pk")
    )


def handovers_not_picked_up(user: User) -> QuerySet[Handover]:
    """Handovers flagged as not picked up in time that the user should follow up: those of
    their own team, and for coordinators those of their locations' cases."""
    overseeing = [location.pk for location in access.locations_where(user, "cases.oversee")]
    return (
        handovers_visible_to(user)
        .filter(
            Q(from_organisation_id__in=_team_organisation_ids(user))
            | Q(case__location_id__in=overseeing),
            not_picked_up_flagged_at__isnull=False,
            picked_up_at__isnull=True,
        )
        .exclude(status=Handover.Status.DECLINED)
        .select_related("case", "from_organisation", "to_organisation", "to_advocaat")
        .order_by("created_at", "pk")
    )


def pick_up_due_on(handover: Handover) -> date:
    """The last working day on which the receiver should confirm contact with the client."""
    return working_days_after(
        timezone.localdate(handover.created_at), settings.HANDOVER_PICK_UP_WORKING_DAYS
    )


def _members(organisation_ids, roles) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True,
        pk__in=Membership.objects.active()
        .filter(organisation_id__in=organisation_ids, role__in=roles)
        .values("user_id"),
    )


def handover_receivers(handover: Handover) -> QuerySet[User]:
    """Who hears of a new handover: the advocaat it is addressed to, or else the members of the
    receiving organisation who receive cases (first line, advocaten)."""
    if handover.to_advocaat_id is not None:
        return User.objects.filter(pk=handover.to_advocaat_id, is_active=True)
    return _members([handover.to_organisation_id], access.CAPABILITIES["cases.receive"])


def handover_followers(handover: Handover) -> QuerySet[User]:
    """Who hears that a handover was not picked up: the sending team (first line of the
    organisation that registered the case) and the coordinators of the case's location."""
    team = _members([handover.from_organisation_id], access.CAPABILITIES["cases.register"])
    coordinators = _members(
        Organisation.objects.filter(location_id=handover.case.location_id).values("pk"),
        access.CAPABILITIES["cases.oversee"],
    )
    return (team | coordinators).distinct()


# ---------------------------------------------------------------- sociale kaart

SOCIALEKAART_CAPABILITY = "socialekaart.manage"
SOCIALEKAART_READ = "socialekaart.read"


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


def socialmap_for_registration(user: User) -> QuerySet[SocialMapEntry]:
    """The active entries a first-line worker can mark as considered: those of the locations
    where they register cases, and the national ones."""
    locations = [o.location_id for o in access.organisations_where(user, "cases.register")]
    return (
        SocialMapEntry.objects.active()
        .filter(Q(location_id__in=locations) | Q(location__is_national=True))
        .order_by("name")
    )


def socialmap_entries_visible_to(user: User) -> QuerySet[SocialMapEntry]:
    """The active entries of the user's own locations and the national ones: everyone who works
    with clients reads them (workers, advocaten, coordinators); `can_maintain_entry` says who
    changes one."""
    own = [location.pk for location in access.locations_where(user, SOCIALEKAART_READ)]
    if not own:
        return SocialMapEntry.objects.none()
    return SocialMapEntry.objects.active().filter(
        Q(location__in=own) | Q(location__is_national=True)
    )


def may_maintain_socialmap(user: User) -> bool:
    """Does the user maintain any sociale kaart (the add button, the maintenance columns)?"""
    return access.can(user, SOCIALEKAART_CAPABILITY)


def socialmap_stale_count(user: User) -> int:
    """How many of the entries the user maintains are due for a check."""
    maintained = socialmap_locations(user)
    return socialmap_entries_visible_to(user).filter(location__in=maintained).stale().count()


def socialmap_entry_get_for_user(
    user: User, pk: int, *, for_change: bool | str = False
) -> SocialMapEntry:
    """The entry, or 404 when it does not exist, is deactivated or the user does not see it;
    403 when they see it but may not maintain it (for_change)."""
    entry = socialmap_entries_visible_to(user).select_related("location").filter(pk=pk).first()
    if entry is None:
        raise Http404
    access.require_change(user, entry, for_change, SOCIALMAP_CHANGES)
    return entry


def can_maintain_entry(user: User, entry: SocialMapEntry) -> bool:
    return may_maintain(user, entry.location)


SOCIALMAP_CHANGES = {"change": can_maintain_entry}


def socialmap_list(
    user: User,
    *,
    search: str = "",
    legal_area: LegalArea | None = None,
    kind_of_help: str = "",
    stale_only: bool = False,
) -> QuerySet[SocialMapEntry]:
    """The entries the user sees, filtered, ready for a list page."""
    entries = socialmap_entries_visible_to(user)
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


def socialmap_due_for_check(user: User, *, limit: int = 5) -> dict:
    """The coordinator's home page: the entries they maintain (own locations and national)
    that are due for a check, the longest unchecked first. Two queries."""
    entries = (
        SocialMapEntry.objects.active()
        .stale()
        .filter(location__in=socialmap_locations(user))
        .select_related("location")
        .order_by("last_checked_on", "name")
    )
    return {"count": entries.count(), "entries": list(entries[:limit])}


# ---------------------------------------------------------------- the coordinator's overview


def handovers_waiting_at(user: User) -> dict:
    """The coordinator's home page: warm handovers still waiting for an answer at the
    coordinator's locations, received by an organisation there or sent from a case there.
    Counts only, no case (the cases sent elsewhere are not theirs to see); one query."""
    locations = [location.pk for location in access.locations_where(user, "cases.oversee")]
    received = Q(to_organisation__location_id__in=locations)
    sent = Q(case__location_id__in=locations)
    return Handover.objects.filter(received | sent, status=Handover.Status.PENDING).aggregate(
        received=Count("pk", filter=received),
        sent=Count("pk", filter=sent),
        oldest=Min("created_at"),
    )


# ---------------------------------------------------------------- audit

# Who handles data subject requests and reads the audit log: the functional administrators.
PRIVACY_CAPABILITY = "audit.view"


def audit_entries_visible_to(user: User) -> QuerySet[AuditEntry]:
    """The whole audit log for administrators; nothing for anyone else."""
    if not access.can(user, PRIVACY_CAPABILITY):
        return AuditEntry.objects.none()
    return AuditEntry.objects.all()


def audit_list(user: User, *, filters: dict | None = None) -> QuerySet[AuditEntry]:
    """The audit log the user sees, newest first; filters as in AuditFilterForm."""
    filters = filters or {}
    entries = audit_entries_visible_to(user).select_related("actor", "case")
    if action := filters.get("action"):
        entries = entries.filter(action=action)
    if actor := (filters.get("actor") or "").strip():
        entries = entries.filter(actor__email__icontains=actor)
    if number := (filters.get("case_number") or "").strip():
        case_id = Case.objects.filter(number__iexact=number).values_list("pk", flat=True).first()
        # a list page's read names its cases in detail["cases"] (cases.middleware)
        entries = entries.filter(Q(case_id=case_id) | Q(detail__cases__contains=[case_id]))
    if start := filters.get("date_from"):
        entries = entries.filter(at__date__gte=start)
    if end := filters.get("date_until"):
        entries = entries.filter(at__date__lte=end)
    return entries.order_by("-at", "-pk")


# ---------------------------------------------------------------- data subject requests


def client_identities_visible_to(user: User) -> QuerySet[ClientIdentity]:
    """Vault records, to find them for a data subject request: administrators only. Nothing is
    decrypted here; revealing one goes through its case (`can_reveal_identity`)."""
    if not access.can(user, PRIVACY_CAPABILITY):
        return ClientIdentity.objects.none()
    return ClientIdentity.objects.all()


def dsr_find(
    *, user: User, full_name: str, birth_date: date | None = None
) -> QuerySet[ClientIdentity]:
    """The vault records of this client in every organisation, found by the keyed hash of name
    and date of birth alone (nothing is decrypted). Nothing without a date of birth: see
    `dsr_candidates`."""
    identity_hash = vault.identity_hash(name=full_name, birth_date=birth_date)
    if not identity_hash or birth_date is None:  # an empty hash must never match anything
        return ClientIdentity.objects.none()
    return _dsr_records(user).filter(identity_hash=identity_hash)


def dsr_candidates(
    *, user: User, full_name: str, birth_date: date | None = None
) -> QuerySet[ClientIdentity]:
    """Records that may be this client's, for the privacy officer to confirm per case (nothing
    is decrypted): without a date of birth, every record of the name (`vault.name_hash`:
    namesakes too); with one, the records of the name that hold no date of birth."""
    if birth_date is None:
        lookup = {"name_hash": vault.name_hash(full_name)}
    else:
        lookup = {"identity_hash": vault.identity_hash(name=full_name, birth_date=None)}
    if not next(iter(lookup.values())):
        return ClientIdentity.objects.none()
    return _dsr_records(user).filter(**lookup)


def _dsr_records(user: User) -> QuerySet[ClientIdentity]:
    return (
        client_identities_visible_to(user)
        .filter(destroyed_at__isnull=True)
        .select_related("case__organisation", "case__location")
        .order_by("case__registered_at", "pk")
    )
