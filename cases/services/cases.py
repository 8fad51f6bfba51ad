"""Registering and working on a case."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import Organisation, User
from accounts.privacy import DataClass, fields_of_class
from cases import selectors, vault
from cases.models import AuditEntry, Case, ClientIdentity, Note, SubProblem
from cases.services.audit import audit_log
from cases.services.status import case_status_started

CASE_FIELDS = (
    "first_contact_on",
    "channel",
    "question",
    "age_band",
    "postcode_area",
    "household",
    "income",
    "counterparty",
    "counterparty_other",
    "research_consent",
)


@dataclass
class SubProblemData:
    legal_area: object
    kind_of_case: object | None = None
    analysis: str = ""
    referral_useful: str = "weet_niet"
    considered_organisations: list = field(default_factory=list)


@transaction.atomic
def case_register(
    *,
    user: User,
    organisation: Organisation,
    data: dict,
    subproblems: list[SubProblemData],
    identity: vault.Identity | None = None,
) -> Case:
    """Register a case with at least one sub-problem, and the identity in the vault if given."""
    if organisation not in access.organisations_where(user, "cases.register"):
        raise PermissionDenied
    if not subproblems:
        raise ValidationError(_("Voeg minstens één deelprobleem toe."))
    case = Case(
        organisation=organisation,
        location=organisation.location,
        registered_by=user,
        **{name: data[name] for name in CASE_FIELDS if name in data},
    )
    case.full_clean(exclude=["number"])
    for attempt in range(5):  # a random number may, very rarely, exist already
        try:
            with transaction.atomic():
                case.save()
            break
        except IntegrityError:
            if attempt == 4:
                raise
            case.number = Case._meta.get_field("number").default()
    case_status_started(case=case, actor=user)
    for position, sub in enumerate(subproblems, start=1):
        _subproblem_create(case=case, position=position, sub=sub)
    if identity is not None and not identity.is_empty():
        _identity_store(case=case, identity=identity)
    audit_log(
        actor=user,
        action=AuditEntry.Action.CREATE,
        case=case,
        detail={
            "subproblems": len(subproblems),
            "identity": identity is not None and not identity.is_empty(),
        },
    )
    return case


def _subproblem_create(*, case: Case, position: int, sub: SubProblemData) -> SubProblem:
    if sub.kind_of_case is not None and sub.kind_of_case.legal_area_id != sub.legal_area.pk:
        raise ValidationError(
            {"kind_of_case": _("Deze soort zaak hoort niet bij het gekozen rechtsgebied.")}
        )
    subproblem = SubProblem(
        case=case,
        position=position,
        legal_area=sub.legal_area,
        kind_of_case=sub.kind_of_case,
        analysis=sub.analysis,
        referral_useful=sub.referral_useful,
    )
    subproblem.full_clean(exclude=["case"])
    subproblem.save()
    subproblem.considered_organisations.set(sub.considered_organisations)
    return subproblem


def _identity_store(*, case: Case, identity: vault.Identity) -> ClientIdentity:
    record, _created = ClientIdentity.objects.update_or_create(
        case=case,
        defaults={
            "organisation": case.organisation,
            "identity_hash": vault.identity_hash(
                name=identity.full_name, birth_date=identity.birth_date
            ),
            "name_hash": vault.name_hash(identity.full_name),
            "encrypted": vault.encrypt_identity(identity.to_dict()),
            "destroyed_at": None,
        },
    )
    return record


def _require_edit(user: User, case: Case) -> None:
    if not selectors.can_edit_case(user, case):
        raise PermissionDenied


@transaction.atomic
def case_update(*, user: User, case: Case, data: dict) -> Case:
    _require_edit(user, case)
    changed = [name for name in CASE_FIELDS if name in data and getattr(case, name) != data[name]]
    for name in changed:
        setattr(case, name, data[name])
    case.full_clean(exclude=["number"])
    case.save(update_fields=[*changed, "updated_at"])
    if changed:
        audit_log(
            actor=user, action=AuditEntry.Action.UPDATE, case=case, detail={"fields": changed}
        )
    return case


@transaction.atomic
def subproblem_add(*, user: User, case: Case, sub: SubProblemData) -> SubProblem:
    _require_edit(user, case)
    position = (
        case.subproblems.order_by("-position").values_list("position", flat=True).first() or 0
    ) + 1
    subproblem = _subproblem_create(case=case, position=position, sub=sub)
    audit_log(
        actor=user,
        action=AuditEntry.Action.UPDATE,
        case=case,
        obj=subproblem,
        detail={"fields": ["subproblems"]},
    )
    return subproblem


@transaction.atomic
def note_add(*, user: User, case: Case, text: str) -> Note:
    if not (selectors.can_edit_case(user, case) or selectors.can_advise(user, case)):
        raise PermissionDenied
    note = Note(case=case, author=user, line=selectors.case_line_of(user, case), text=text)
    note.full_clean()
    note.save()
    audit_log(actor=user, action=AuditEntry.Action.NOTE, case=case, obj=note)
    return note


@transaction.atomic
def identity_set(*, user: User, case: Case, identity: vault.Identity) -> None:
    """Store or replace the client's identity in the vault (registering team only)."""
    if not selectors.is_registering_team(user, case) or case.anonymised_at:
        raise PermissionDenied
    _identity_store(case=case, identity=identity)
    audit_log(
        actor=user, action=AuditEntry.Action.UPDATE, case=case, detail={"fields": ["identity"]}
    )


@transaction.atomic
def identity_reveal(*, user: User, case: Case, reason: str) -> vault.Identity | None:
    """Decrypt the identity for someone allowed to see it, with a reason, and log it."""
    if not selectors.can_reveal_identity(user, case):
        raise PermissionDenied
    reason = reason.strip()
    if len(reason) < 5:
        raise ValidationError(
            {"reason": _("Geef een reden op waarom u de identiteit wilt inzien.")}
        )
    record = ClientIdentity.objects.filter(case=case, destroyed_at__isnull=True).first()
    audit_log(
        actor=user,
        action=AuditEntry.Action.REVEAL,
        case=case,
        reason=reason,
        detail={
            "fields": fields_of_class(ClientIdentity, DataClass.DIRECT),
            "found": record is not None,
        },
    )
    if record is None:
        return None
    return vault.Identity.from_dict(vault.decrypt_identity(record.encrypted))
