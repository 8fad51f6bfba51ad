"""Privacy: data subject requests (AVG art. 15 and 17) and retention.

A client is found by keyed hashes only (`vault.identity_hash` of name and date of birth, or
`vault.name_hash` of the name alone, whose matches the privacy officer confirms per case), in
every organisation; names and hashes are never written to the audit log, a URL or a log line.

What is exported and erased is the registry of case content (cases.content): every model, in
any app, that declares how its rows reach their case; which of its fields are exported and
blanked follows from the data-class declaration (accounts.privacy). A new model or field is
covered by declaring it, nothing here changes.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models, transaction
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import User
from accounts.privacy import declared
from cases import content, vault
from cases.models import AuditEntry, Case, ClientIdentity
from cases.selectors import PRIVACY_CAPABILITY, dsr_candidates, dsr_find
from cases.services.audit import audit_log

logger = logging.getLogger(__name__)

# Linked to a case and holding text, yet outside the registry of case content, on purpose:
NOT_IN_THE_REGISTRY = {
    # the vault itself: destroyed by `identity_destroy`, exported decrypted
    ClientIdentity: "de identiteitskluis",
    # append-only evidence of who did what; its details are codes, its reasons are checked
    # for personal data (cases.pii) where a person types them
    AuditEntry: "het auditlog",
}

# Written where the database refuses an empty value (a declined handover keeps a reason).
ANONYMISED = "[geanonimiseerd]"

REASON_MIN_LENGTH = 5


def _clean_reason(reason: str) -> str:
    reason = reason.strip()
    if len(reason) < REASON_MIN_LENGTH:
        raise ValidationError({"reason": _("Geef een reden op (minstens vijf tekens).")})
    return reason


# ---------------------------------------------------------------- data subject requests


def _require_privacy_officer(user: User) -> None:
    if not access.can(user, PRIVACY_CAPABILITY):
        raise PermissionDenied


def _subject_records(
    user: User, full_name: str, birth_date: date | None, confirmed: Collection[str]
) -> list[tuple[ClientIdentity, str]]:
    """The client's vault records, each with how it was found: by name and date of birth, or
    by name alone and confirmed by the privacy officer (a case number in `confirmed`). A
    confirmed number that the name did not find is ignored."""
    subject = {"user": user, "full_name": full_name, "birth_date": birth_date}
    records = [(record, "name_birth_date") for record in dsr_find(**subject)]
    records += [
        (record, "name_confirmed")
        for record in dsr_candidates(**subject)
        if record.case.number in set(confirmed)
    ]
    return records


@transaction.atomic
def dsr_export(
    *,
    user: User,
    full_name: str,
    birth_date: date | None,
    reason: str,
    cases: Collection[str] = (),
) -> dict:
    """AVG art. 15: everything held about the client, per case, with the decrypted identity.

    The cases found by name and date of birth, and those found by name alone that the privacy
    officer confirmed (`cases`: their numbers). One EXPORT entry per case is written to the
    audit log (one without a case when nothing was found), with the reason; the identity
    itself is not.
    """
    _require_privacy_officer(user)
    reason = _clean_reason(reason)
    records = _subject_records(user, full_name, birth_date, cases)
    exported = [_case_export(record) for record, _match in records]
    for record, match in records:
        audit_log(
            actor=user,
            action=AuditEntry.Action.EXPORT,
            case=record.case,
            reason=reason,
            detail={"request": "avg_art_15", "match": match},
        )
    if not records:
        audit_log(
            actor=user,
            action=AuditEntry.Action.EXPORT,
            reason=reason,
            detail={"request": "avg_art_15", "cases": 0},
        )
    return {
        "request": "AVG artikel 15 (recht van inzage)",
        "generated_at": timezone.localtime(),
        "cases": exported,
    }


def _case_export(record: ClientIdentity) -> dict:
    """The identity, the case, and the rows of every other model of case content, keyed by
    the model's label ("cases.note", "piket.consult")."""
    case = record.case
    return {
        "number": case.number,
        "organisation": str(case.organisation),
        "identity": vault.Identity.from_dict(vault.decrypt_identity(record.encrypted)).to_dict(),
        "case": _fields(case),
        "records": {
            model._meta.label_lower: [_fields(row) for row in _rows_to_export(model, case)]
            for model in content.content_models()
            if model is not Case
        },
    }


def _rows_to_export(model: type[models.Model], case: Case) -> models.QuerySet:
    exported = [model._meta.get_field(name) for name in declared(model)]
    return (
        content.rows_of(model, [case.pk])
        .select_related(
            *[f.name for f in exported if f.many_to_one and f.related_model is not User]
        )
        .prefetch_related(*[f.name for f in exported if f.many_to_many])
        .order_by("pk")
    )


def _fields(obj: models.Model) -> dict[str, Any]:
    """Every field the data-class declaration lists for the object, readable.

    Left out: keys, the link to the case (the export's structure shows it) and colleagues'
    data (theirs, not the client's: AVG art. 15(4)): their accounts, and the fields a model
    declares in `colleague_fields` (a worker's own callback number).
    """
    data = {}
    left_out = {"case", *getattr(type(obj), "colleague_fields", ())}
    for name in declared(type(obj)):
        model_field = obj._meta.get_field(name)
        if model_field.primary_key or name in left_out:
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
def dsr_erase(
    *,
    user: User,
    full_name: str,
    birth_date: date | None,
    reason: str,
    cases: Collection[str] = (),
) -> int:
    """AVG art. 17: destroy the client's identities and anonymise their cases, in every
    organisation: those found by name and date of birth, and those found by name alone that
    the privacy officer confirmed (`cases`: their numbers). Returns the number of cases; every
    step is an ERASE entry in the audit log. After commit the vault and the tables of case
    content are vacuumed (`vacuum_after_erasure`)."""
    _require_privacy_officer(user)
    reason = _clean_reason(reason)
    # a second erasure at the same time waits for the rows these steps lock, then finds them
    # done: `identity_destroy` and `case_anonymise` do nothing twice
    records = _subject_records(user, full_name, birth_date, cases)
    for record, _match in records:
        identity_destroy(case=record.case, actor=user, reason=reason)
        case_anonymise(case=record.case, actor=user, reason=reason)
    if records:
        vacuum_after_erasure()
    return len(records)


@transaction.atomic
def identity_destroy(
    *, case: Case, actor: User | None, reason: str, action: str = AuditEntry.Action.ERASE
) -> bool:
    """Destroy the case's identity in the vault: ciphertext and hash blanked, the moment noted.

    Returns False (and logs nothing) when there is no identity left to destroy. The caller has
    checked the right to do this (a data subject request, or retention with actor None).
    """
    destroyed = ClientIdentity.objects.filter(case=case, destroyed_at__isnull=True).update(
        encrypted="", identity_hash="", name_hash="", destroyed_at=timezone.now()
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
    """Blank the free text of the case and of every row of case content that belongs to it, in
    any app (cases.content: sub-problems, advice, notes, handovers, piket consults, the
    waitlist, ...), destroy any identity left, and mark the case anonymised.

    Returns False (and logs nothing) when the case was anonymised already. Like
    `identity_destroy`, the caller has checked the right to do this.
    """
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.anonymised_at is not None:
        return False
    identity_destroy(case=case, actor=actor, reason=reason, action=action)
    blanked = {model: content.content_fields(model) for model in content.content_models()}
    for name in blanked.pop(Case):
        setattr(case, name, "")
    case.anonymised_at = timezone.now()
    case.save(update_fields=[*content.content_fields(Case), "anonymised_at", "updated_at"])
    for model, names in blanked.items():
        if names:
            content.rows_of(model, [case.pk]).update(**{n: _blank(model, n) for n in names})
    audit_log(
        actor=actor,
        action=action,
        case=case,
        reason=reason,
        detail={
            "step": "case_anonymised",
            "fields": [
                f"{model._meta.label}.{name}"
                for model in content.content_models()
                for name in content.content_fields(model)
            ],
        },
    )
    return True


def _blank(model: type[models.Model], name: str) -> models.Value | models.Case:
    """ "", or ANONYMISED where the model declares that the database wants text to remain
    (`erase_with_marker`: a declined handover keeps a reason)."""
    if name not in getattr(model, "erase_with_marker", ()):
        return models.Value("")
    return models.Case(
        models.When(**{name: ""}, then=models.Value("")), default=models.Value(ANONYMISED)
    )


def vacuum_after_erasure() -> None:
    """After the transaction commits, vacuum the vault and the tables of case content (a
    Celery task: VACUUM can't run in a transaction). An UPDATE leaves the old version of a row,
    ciphertext and text included, in the table until VACUUM removes it; see docs/operations.md
    for what remains in the write-ahead log and in backups."""
    from cases import tasks

    transaction.on_commit(tasks.vacuum_case_content.delay)


def case_content_vacuum() -> list[str]:
    """VACUUM the vault and every table of case content; returns the tables. Outside a
    transaction only (the task)."""
    if connection.in_atomic_block:
        raise RuntimeError("VACUUM can't run inside a transaction")
    tables = [ClientIdentity._meta.db_table]
    tables += [model._meta.db_table for model in content.content_models()]
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM {', '.join(connection.ops.quote_name(t) for t in tables)}")
    return tables


# ---------------------------------------------------------------- retention


@dataclass
class RetentionReport:
    """Case numbers only: what was (or, in a dry run, would be) done."""

    today: date
    dry_run: bool
    identities_to_destroy: list[str] = field(default_factory=list)
    cases_to_anonymise: list[str] = field(default_factory=list)


# Reading, exporting and applying retention are no activity on a case; every other entry of
# the audit log is (registering, changing, a note, advice, a handover, a consult booked, ...).
NOT_ACTIVITY = (
    AuditEntry.Action.VIEW,
    AuditEntry.Action.REVEAL,
    AuditEntry.Action.EXPORT,
    AuditEntry.Action.ERASE,
    AuditEntry.Action.RETENTION,
)


def _last_activity():
    """When the case last changed: its latest audit entry of an activity, its own last save,
    or its registration."""
    latest_entry = (
        AuditEntry.objects.filter(case=OuterRef("pk"))
        .exclude(action__in=NOT_ACTIVITY)
        .order_by("-at")
        .values("at")[:1]
    )
    return Greatest("updated_at", Coalesce(Subquery(latest_entry), "registered_at"))


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=timezone.get_current_timezone())


def retention_apply(*, today: date | None = None, dry_run: bool = False) -> RetentionReport:
    """Apply the retention periods; safe to run again (idempotent).

    RETENTION_IDENTITY_DAYS after closing the identity is destroyed; RETENTION_CASE_DAYS after
    closing the case is anonymised (which destroys any identity left). An open case without
    activity for RETENTION_INACTIVE_DAYS counts as ended on the day of its last activity: the
    two periods run from that day (but not before it has been inactive that long). Every step
    is a RETENTION entry in the audit log, without an actor. Each case is done in its own
    transaction, so a failure halfway keeps what was done. Afterwards the vault and the tables
    of case content are vacuumed.
    """
    today = today or timezone.localdate()
    identity_days = settings.RETENTION_IDENTITY_DAYS
    case_days = settings.RETENTION_CASE_DAYS
    inactive_days = settings.RETENTION_INACTIVE_DAYS
    # An anonymised case keeps no identity, also when the case period is the shorter one.
    identity_cases = list(
        _ended_before(today, min(identity_days, case_days), inactive_days).filter(
            identity__isnull=False, identity__destroyed_at__isnull=True
        )
    )
    anonymise_cases = list(
        _ended_before(today, case_days, inactive_days).filter(anonymised_at__isnull=True)
    )
    report = RetentionReport(today=today, dry_run=dry_run)
    if dry_run:
        report.identities_to_destroy = [case.number for case in identity_cases]
        report.cases_to_anonymise = [case.number for case in anonymise_cases]
        return report
    for case in identity_cases:
        if identity_destroy(
            case=case,
            actor=None,
            reason=_retention_reason("identiteit", identity_days, case),
            action=AuditEntry.Action.RETENTION,
        ):
            report.identities_to_destroy.append(case.number)
    for case in anonymise_cases:
        if case_anonymise(
            case=case,
            actor=None,
            reason=_retention_reason("casus", case_days, case),
            action=AuditEntry.Action.RETENTION,
        ):
            report.cases_to_anonymise.append(case.number)
    if report.identities_to_destroy or report.cases_to_anonymise:
        vacuum_after_erasure()
    logger.info(
        "Retention applied: %d identities destroyed, %d cases anonymised",
        len(report.identities_to_destroy),
        len(report.cases_to_anonymise),
    )
    return report


def _ended_before(today: date, days: int, inactive_days: int) -> QuerySet[Case]:
    """Cases that ended more than `days` days ago: closed then, or still open without any
    activity since then (and for at least `inactive_days`). Closed ones first, by closing day."""
    quiet_since = _local_midnight(today - timedelta(days=max(days, inactive_days)))
    abandoned = (
        ~Q(status=Case.Status.CLOSED)
        & Q(updated_at__lt=quiet_since)  # cheap, before the look-up in the audit log
        & Q(last_activity__lt=quiet_since)
    )
    return (
        Case.objects.alias(last_activity=_last_activity())
        .filter(
            Q(status=Case.Status.CLOSED, closed_on__lt=today - timedelta(days=days)) | abandoned
        )
        .order_by(F("closed_on").asc(nulls_last=True), "pk")
    )


def _retention_reason(kind: str, days: int, case: Case) -> str:
    """The audit log's reason (Dutch, as all reasons): which period ran out, from when."""
    since = "na sluiting" if case.status == Case.Status.CLOSED else "na de laatste activiteit"
    return f"Bewaartermijn {kind} verstreken ({days} dagen {since})"
