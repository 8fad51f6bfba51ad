"""Privacy: data subject requests (AVG art. 15 and 17) and retention.

A client is found by the keyed hash of name and date of birth only (`vault.identity_hash`), in
every organisation; names and hashes are never written to the audit log, a URL or a log line.
Which fields are exported or blanked follows from the data-class declaration (accounts.privacy).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import User
from accounts.privacy import DataClass, declared, fields_of_class
from cases import vault
from cases.models import (
    AuditEntry,
    Case,
    ClientIdentity,
    Handover,
    Note,
    SecondLineAdvice,
    SubProblem,
)
from cases.selectors import PRIVACY_CAPABILITY, dsr_find
from cases.services.audit import audit_log

logger = logging.getLogger(__name__)

# The models that hold what the case says about the client, from the case downwards.
CASE_CONTENT_MODELS: tuple[type[models.Model], ...] = (
    Case,
    SubProblem,
    SecondLineAdvice,
    Note,
    Handover,
)

# Written where the database refuses an empty value (a declined handover keeps a reason).
ANONYMISED = "[geanonimiseerd]"

REASON_MIN_LENGTH = 5


def free_text_fields(model: type[models.Model]) -> list[str]:
    """The model's free-text fields that say something about the client: SENSITIVE or QUASI
    text without fixed choices (question, analysis, postcode area, ...). Anonymising blanks them."""
    names = []
    for name in fields_of_class(model, DataClass.SENSITIVE, DataClass.QUASI):
        model_field = model._meta.get_field(name)
        if isinstance(model_field, models.CharField | models.TextField) and not model_field.choices:
            names.append(name)
    return names


def _clean_reason(reason: str) -> str:
    reason = reason.strip()
    if len(reason) < REASON_MIN_LENGTH:
        raise ValidationError({"reason": _("Geef een reden op (minstens vijf tekens).")})
    return reason


# ---------------------------------------------------------------- data subject requests


def _require_privacy_officer(user: User) -> None:
    if not access.can(user, PRIVACY_CAPABILITY):
        raise PermissionDenied


@transaction.atomic
def dsr_export(*, user: User, full_name: str, birth_date: date, reason: str) -> dict:
    """AVG art. 15: everything held about the client, per case, with the decrypted identity.

    One EXPORT entry per case is written to the audit log (one without a case when nothing
    was found), with the reason; the identity itself is not.
    """
    _require_privacy_officer(user)
    reason = _clean_reason(reason)
    identities = list(dsr_find(user=user, full_name=full_name, birth_date=birth_date))
    cases = [_case_export(record) for record in identities]
    for record in identities:
        audit_log(
            actor=user,
            action=AuditEntry.Action.EXPORT,
            case=record.case,
            reason=reason,
            detail={"request": "avg_art_15"},
        )
    if not identities:
        audit_log(
            actor=user,
            action=AuditEntry.Action.EXPORT,
            reason=reason,
            detail={"request": "avg_art_15", "cases": 0},
        )
    return {
        "request": "AVG artikel 15 (recht van inzage)",
        "generated_at": timezone.localtime(),
        "cases": cases,
    }


def _case_export(record: ClientIdentity) -> dict:
    case = record.case
    subproblems = case.subproblems.select_related("legal_area", "kind_of_case").prefetch_related(
        "considered_organisations", "advice__fitting_organisations"
    )
    return {
        "number": case.number,
        "organisation": str(case.organisation),
        "identity": vault.Identity.from_dict(vault.decrypt_identity(record.encrypted)).to_dict(),
        "case": _fields(case),
        "subproblems": [
            {**_fields(sub), "advice": [_fields(advice) for advice in sub.advice.all()]}
            for sub in subproblems
        ],
        "notes": [_fields(note) for note in case.notes.all()],
        "handovers": [
            _fields(handover)
            for handover in case.handovers.select_related("from_organisation", "to_organisation")
        ],
    }


def _fields(obj: models.Model) -> dict[str, Any]:
    """Every field the data-class declaration lists for the object, readable.

    Left out: keys, the link to the parent (the export's structure shows it) and colleagues'
    accounts (their data, not the client's: AVG art. 15(4)).
    """
    data = {}
    for name in declared(type(obj)):
        model_field = obj._meta.get_field(name)
        if model_field.primary_key or name in ("case", "subproblem"):
            continue
        if model_field.is_relation and model_field.related_model is User:
            continue
        data[name] = _readable(obj, model_field)
    return data


def _readable(obj: models.Model, model_field: models.Field) -> Any:
    if model_field.many_to_many:
        return [str(related) for related in getattr(obj, model_field.name).all()]
    value = getattr(obj, model_field.name)
    if model_field.is_relation:
        return str(value) if value is not None else None
    if model_field.choices and value != "":
        return str(dict(model_field.flatchoices).get(value, value))
    base_choices = getattr(getattr(model_field, "base_field", None), "flatchoices", None)
    if base_choices and isinstance(value, list):
        return [str(dict(base_choices).get(item, item)) for item in value]
    if isinstance(value, datetime):
        return timezone.localtime(value)
    return value


@transaction.atomic
def dsr_erase(*, user: User, full_name: str, birth_date: date, reason: str) -> int:
    """AVG art. 17: destroy the client's identities and anonymise their cases, in every
    organisation. Returns the number of cases; every step is an ERASE entry in the audit log."""
    _require_privacy_officer(user)
    reason = _clean_reason(reason)
    identities = list(
        dsr_find(user=user, full_name=full_name, birth_date=birth_date).select_for_update(
            of=("self",)
        )
    )
    for record in identities:
        identity_destroy(case=record.case, actor=user, reason=reason)
        case_anonymise(case=record.case, actor=user, reason=reason)
    return len(identities)


@transaction.atomic
def identity_destroy(
    *, case: Case, actor: User | None, reason: str, action: str = AuditEntry.Action.ERASE
) -> bool:
    """Destroy the case's identity in the vault: ciphertext and hash blanked, the moment noted.

    Returns False (and logs nothing) when there is no identity left to destroy. The caller has
    checked the right to do this (a data subject request, or retention with actor None).
    """
    destroyed = ClientIdentity.objects.filter(case=case, destroyed_at__isnull=True).update(
        encrypted="", identity_hash="", destroyed_at=timezone.now()
    )
    if not destroyed:
        return False
    audit_log(
        actor=actor, action=action, case=case, reason=reason, detail={"step": "identity_destroyed"}
    )
    return True


@transaction.atomic
def case_anonymise(
    *, case: Case, actor: User | None, reason: str, action: str = AuditEntry.Action.ERASE
) -> bool:
    """Blank the free text of the case, its sub-problems, advice, notes and handovers (see
    `free_text_fields`), destroy any identity left, and mark the case anonymised.

    Returns False (and logs nothing) when the case was anonymised already. Like
    `identity_destroy`, the caller has checked the right to do this.
    """
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.anonymised_at is not None:
        return False
    identity_destroy(case=case, actor=actor, reason=reason, action=action)
    blanked = {model: free_text_fields(model) for model in CASE_CONTENT_MODELS}
    for name in blanked[Case]:
        setattr(case, name, "")
    case.anonymised_at = timezone.now()
    case.save(update_fields=[*blanked[Case], "anonymised_at", "updated_at"])
    SubProblem.objects.filter(case=case).update(**dict.fromkeys(blanked[SubProblem], ""))
    SecondLineAdvice.objects.filter(subproblem__case=case).update(
        **dict.fromkeys(blanked[SecondLineAdvice], "")
    )
    Note.objects.filter(case=case).update(**dict.fromkeys(blanked[Note], ""))
    handover_values: dict[str, Any] = dict.fromkeys(blanked[Handover], "")
    if "decline_reason" in handover_values:  # a declined handover must keep a reason
        handover_values["decline_reason"] = models.Case(
            models.When(status=Handover.Status.DECLINED, then=models.Value(ANONYMISED)),
            default=models.Value(""),
        )
    Handover.objects.filter(case=case).update(**handover_values)
    audit_log(
        actor=actor,
        action=action,
        case=case,
        reason=reason,
        detail={
            "step": "case_anonymised",
            "fields": [
                f"{model.__name__}.{name}" for model, names in blanked.items() for name in names
            ],
        },
    )
    return True


# ---------------------------------------------------------------- retention


@dataclass
class RetentionReport:
    """Case numbers only: what was (or, in a dry run, would be) done."""

    today: date
    dry_run: bool
    identities_to_destroy: list[str] = field(default_factory=list)
    cases_to_anonymise: list[str] = field(default_factory=list)


def retention_apply(*, today: date | None = None, dry_run: bool = False) -> RetentionReport:
    """Apply the retention periods to closed cases; safe to run again (idempotent).

    RETENTION_IDENTITY_DAYS after closing the identity is destroyed; RETENTION_CASE_DAYS after
    closing the case is anonymised (which destroys any identity left). Every step is a
    RETENTION entry in the audit log, without an actor. Each case is done in its own
    transaction, so a failure halfway keeps what was done.
    """
    today = today or timezone.localdate()
    identity_days = settings.RETENTION_IDENTITY_DAYS
    case_days = settings.RETENTION_CASE_DAYS
    # An anonymised case keeps no identity, also when the case period is the shorter one.
    identity_cutoff = today - timedelta(days=min(identity_days, case_days))
    case_cutoff = today - timedelta(days=case_days)
    closed = Case.objects.closed()
    identity_cases = list(
        closed.filter(
            closed_on__lt=identity_cutoff,
            identity__isnull=False,
            identity__destroyed_at__isnull=True,
        ).order_by("closed_on", "pk")
    )
    anonymise_cases = list(
        closed.filter(closed_on__lt=case_cutoff, anonymised_at__isnull=True).order_by(
            "closed_on", "pk"
        )
    )
    report = RetentionReport(today=today, dry_run=dry_run)
    if dry_run:
        report.identities_to_destroy = [case.number for case in identity_cases]
        report.cases_to_anonymise = [case.number for case in anonymise_cases]
        return report
    identity_reason = f"Bewaartermijn identiteit verstreken ({identity_days} dagen na sluiting)"
    case_reason = f"Bewaartermijn casus verstreken ({case_days} dagen na sluiting)"
    for case in identity_cases:
        if identity_destroy(
            case=case, actor=None, reason=identity_reason, action=AuditEntry.Action.RETENTION
        ):
            report.identities_to_destroy.append(case.number)
    for case in anonymise_cases:
        if case_anonymise(
            case=case, actor=None, reason=case_reason, action=AuditEntry.Action.RETENTION
        ):
            report.cases_to_anonymise.append(case.number)
    logger.info(
        "Retention applied: %d identities destroyed, %d cases anonymised",
        len(report.identities_to_destroy),
        len(report.cases_to_anonymise),
    )
    return report
