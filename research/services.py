"""Writes of the research app: the export workflow.

A researcher requests an export (`export_request_create`); an approver — a functional
administrator acting as data-protection contact, never the requester — approves or rejects it
with a reason (`export_request_decide`); only an approved request runs (`export_run`, called by
the Celery task `research.tasks.export_run`); the requester downloads the file
(`export_download`) until it expires and `export_expire` deletes it. The status changes only in
`export_request_transition`, against TRANSITIONS, with a history row. Every request, decision,
run and download is an entry of the audit log (`cases.services.audit.audit_log`, with the
request as its object and no case).
"""

from __future__ import annotations

import logging
import secrets
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import Location, User
from cases.models import AuditEntry
from cases.services.audit import audit_log
from research import keys, selectors
from research.export import catalogue, engine
from research.models import ExportRequest, ExportStatusChange, Study

logger = logging.getLogger(__name__)

Status = ExportRequest.Status

# From -> the statuses a request may move to. Rejected, failed and expired are final.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.REQUESTED: frozenset({Status.APPROVED, Status.REJECTED}),
    Status.APPROVED: frozenset({Status.RUNNING, Status.FAILED}),
    Status.RUNNING: frozenset({Status.READY, Status.FAILED}),
    Status.READY: frozenset({Status.EXPIRED}),
    Status.REJECTED: frozenset(),
    Status.FAILED: frozenset(),
    Status.EXPIRED: frozenset(),
}

# A run that started this long ago and never finished (its worker died) may be started again.
STALE_RUN = timedelta(hours=2)

FAILED_UNEXPECTEDLY = _(
    "Bij het maken van de export ging iets mis; er is niets vrijgegeven. Vraag de beheerder om "
    "het opnieuw te proberen."
)


class ExportGone(Exception):
    """The export's file is no longer there (expired and deleted); str() is a Dutch message."""


def study_prepare(study: Study) -> Study:
    """Give a new study its own pseudonym key (before it is saved: the admin's add form)."""
    if not study.key_token:
        study.key_token = keys.new_study_key_token()
    return study


def study_create(*, code: str, name: str, k: int = 5) -> Study:
    """A study with its own key (demo data, tests; administrators use the admin)."""
    study = study_prepare(Study(code=code, name=name, k=k))
    study.full_clean()
    study.save()
    return study


@transaction.atomic
def export_request_transition(
    *, export_request: ExportRequest, to: str, actor: User | None, **fields
) -> ExportStatusChange:
    """Move the request to `to` (and set `fields` on it) if TRANSITIONS allows; else a
    ValidationError in Dutch and nothing changes."""
    current = (
        ExportRequest.objects.select_for_update()
        .values_list("status", flat=True)
        .get(pk=export_request.pk)
    )
    if to not in TRANSITIONS[current]:
        raise ValidationError(
            _("Een exportaanvraag met status '%(from)s' kan niet naar '%(to)s'.")
            % {"from": Status(current).label, "to": Status(to).label}
        )
    export_request.status = to
    for name, value in fields.items():
        setattr(export_request, name, value)
    try:
        with transaction.atomic():
            export_request.save(update_fields=["status", *fields])
    except IntegrityError:
        raise ValidationError(
            _("Deze wijziging van de exportaanvraag is niet toegestaan.")
        ) from None
    return ExportStatusChange.objects.create(
        export_request=export_request, from_status=current, to_status=to, actor=actor
    )


def _audit(actor: User | None, action: str, export_request: ExportRequest, event: str, **detail):
    audit_log(actor=actor, action=action, obj=export_request, detail={"export": event, **detail})


@dataclass(frozen=True)
class RequestData:
    study: Study | None
    purpose: str
    period_start: date
    period_end: date
    locations: list[Location]
    fields: list[str]
    unit: str
    format: str
    delimiter: str = ","


@transaction.atomic
def export_request_create(*, user: User, data: RequestData) -> ExportRequest:
    """A researcher's request. Refused in Dutch (nothing written) for an unknown or closed
    study, a field that may never be exported (a direct identifier, free text, unknown), no
    fields, or a period that ends before it starts."""
    if not access.can(user, "research.request_export"):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if data.study is None or not Study.objects.filter(pk=data.study.pk, is_active=True).exists():
        errors["study"] = _("Dit onderzoek bestaat niet of is afgesloten. Kies een onderzoek.")
    if not data.fields:
        errors["fields"] = _("Kies minstens één veld.")
    elif refusal := catalogue.refuse_fields(data.fields, data.unit):
        errors["fields"] = refusal
    if data.period_end < data.period_start:
        errors["period_end"] = _("Het einde van de periode ligt vóór het begin.")
    if data.unit not in ExportRequest.Unit.values:
        errors["unit"] = _("Kies de eenheid van een rij.")
    if data.format not in ExportRequest.Format.values:
        errors["format"] = _("Kies een formaat.")
    if data.delimiter not in ExportRequest.Delimiter.values:
        errors["delimiter"] = _("Kies een scheidingsteken.")
    if errors:
        raise ValidationError(errors)
    export_request = ExportRequest.objects.create(
        study=data.study,
        requester=user,
        purpose=data.purpose,
        period_start=data.period_start,
        period_end=data.period_end,
        fields=data.fields,
        unit=data.unit,
        format=data.format,
        delimiter=data.delimiter,
    )
    export_request.locations.set(data.locations)
    ExportStatusChange.objects.create(
        export_request=export_request, from_status="", to_status=Status.REQUESTED, actor=user
    )
    _audit(user, AuditEntry.Action.CREATE, export_request, "aangevraagd", study=data.study.code)
    return export_request


@transaction.atomic
def export_request_decide(
    *, user: User, export_request: ExportRequest, approve: bool, reason: str
) -> ExportRequest:
    """Approve (the export then runs) or reject (a reason is required). Never by the requester;
    an approval needs a dry run that the export can be released (k reached, data in the
    period, only allowed fields); otherwise a ValidationError in Dutch and nothing changes."""
    if export_request.requester_id == user.pk:
        raise ValidationError(
            _(
                "U kunt uw eigen exportaanvraag niet beoordelen: een andere "
                "functioneel beheerder moet dat doen."
            )
        )
    if not access.can(user, "research.approve_export"):
        raise PermissionDenied
    if export_request.status != Status.REQUESTED:
        raise ValidationError(_("Over deze aanvraag is al besloten."))
    reason = reason.strip()
    now = timezone.now()
    if not approve:
        if not reason:
            raise ValidationError({"reason": _("Geef een reden waarom u de export afwijst.")})
        export_request_transition(
            export_request=export_request,
            to=Status.REJECTED,
            actor=user,
            approver=user,
            decided_at=now,
            decision_reason=reason,
        )
        _audit(user, AuditEntry.Action.STATUS, export_request, "afgewezen")
        return export_request
    if refusal := catalogue.refuse_fields(export_request.fields, export_request.unit):
        raise ValidationError(refusal)
    released = selectors.released_quasi(export_request)
    try:
        report = engine.export_check(selectors.export_spec(export_request, released))
    except engine.ExportRefused as exc:
        raise ValidationError(str(exc)) from None
    export_request_transition(
        export_request=export_request,
        to=Status.APPROVED,
        actor=user,
        approver=user,
        decided_at=now,
        decision_reason=reason,
        released_quasi=list(released),
        risk_report=report.as_dict(),
    )
    _audit(user, AuditEntry.Action.STATUS, export_request, "goedgekeurd")
    from research import tasks  # the task module imports this one

    pk = export_request.pk
    transaction.on_commit(lambda: tasks.export_run.delay(pk))
    return export_request


def _export_dir() -> Path:
    directory = Path(settings.RESEARCH_EXPORT_DIR)
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    return directory


def _claim(export_request_id: int) -> ExportRequest | None:
    """The request, marked running, if it is this run's to make; None if there is nothing to
    do (unknown, not approved, finished, or running elsewhere)."""
    with transaction.atomic():
        export_request = (
            ExportRequest.objects.select_for_update().filter(pk=export_request_id).first()
        )
        if export_request is None:
            return None
        now = timezone.now()
        if export_request.status == Status.APPROVED:
            export_request_transition(
                export_request=export_request, to=Status.RUNNING, actor=None, started_at=now
            )
            return export_request
        if export_request.status == Status.RUNNING and export_request.started_at < now - STALE_RUN:
            export_request.started_at = now
            export_request.save(update_fields=["started_at"])
            return export_request
        return None


class _Progress:
    """The engine's progress callback. It writes through a database connection of its own:
    the engine's connection is inside one snapshot (and often a COPY) while it calls back, and
    the status page must see the rows as they are written. At most twice a second."""

    def __init__(self, pk: int):
        self.pk, self.connection, self.last = pk, None, 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self.last < 0.5:
            return
        self.last = now
        if self.connection is None:
            self.connection = connections.create_connection(DEFAULT_DB_ALIAS)
        with self.connection.cursor() as cursor:
            cursor.execute(
                "UPDATE research_exportrequest SET progress_done = %s, progress_total = %s "
                "WHERE id = %s AND status = %s",
                [max(0, min(done, total)), max(0, total, done), self.pk, Status.RUNNING.value],
            )

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


def _request_info(export_request: ExportRequest) -> dict:
    return {
        "request": export_request.pk,
        "study": export_request.study.code,
        "purpose": export_request.purpose,
        "requested_at": export_request.requested_at.isoformat(),
        "approved_at": export_request.decided_at.isoformat() if export_request.decided_at else "",
    }


def export_write_file(
    *, export_request: ExportRequest, fmt: str, out_path: Path, delimiter: str, progress=None
):
    """Write the approved request's export to `out_path` (a ZIP) with the engine: k over the
    union of the study's released quasi-identifiers. Raises engine.ExportRefused (Dutch)."""
    released = selectors.released_quasi(export_request)
    return engine.export_write(
        selectors.export_spec(export_request, released),
        fmt=fmt,
        out_path=out_path,
        delimiter=delimiter,
        request_info=_request_info(export_request),
        progress=progress,
    )


def export_command_write(
    *, export_request: ExportRequest, fmt: str, delimiter: str, out_path: Path
):
    """The command line's run (`manage.py export_research`): an approved request written to
    `out_path`, in the audit log without a person. Nothing is left at `out_path` on refusal."""
    if export_request.status not in (Status.APPROVED, Status.READY):
        raise ValidationError(_("Alleen een goedgekeurde exportaanvraag kan worden uitgevoerd."))
    # the engine writes next to out_path and renames at the end: nothing is left on refusal
    manifest = export_write_file(
        export_request=export_request, fmt=fmt, out_path=out_path, delimiter=delimiter
    )
    _audit(
        None,
        AuditEntry.Action.EXPORT,
        export_request,
        "gemaakt via de opdrachtregel",
        format=fmt,
        rows=manifest.as_dict().get("row_count"),
    )
    return manifest


def export_run(*, export_request_id: int) -> ExportRequest | None:
    """Make the approved request's file. Idempotent: a request that is not approved (or whose
    run is already under way) is left alone. Not one transaction: the progress is committed
    as the rows are written, so the status page can follow it."""
    export_request = _claim(export_request_id)
    if export_request is None:
        return None
    name = f"{export_request.pk}-{secrets.token_hex(16)}.zip"
    path = _export_dir() / name
    progress = _Progress(export_request.pk)
    try:
        manifest = export_write_file(
            export_request=export_request,
            fmt=export_request.format,
            out_path=path,
            delimiter=export_request.delimiter,
            progress=progress,
        )
    except engine.ExportRefused as exc:
        path.unlink(missing_ok=True)
        _finish_failed(export_request, str(exc))
        return export_request
    except Exception:
        path.unlink(missing_ok=True)
        _finish_failed(export_request, str(FAILED_UNEXPECTEDLY))
        logger.exception("export %s failed", export_request.pk)
        raise
    finally:
        progress.close()
    now = timezone.now()
    manifest_data = manifest.as_dict()
    rows = manifest_data["row_count"]
    with transaction.atomic():
        export_request_transition(
            export_request=export_request,
            to=Status.READY,
            actor=None,
            file_name=name,
            finished_at=now,
            expires_at=now + timedelta(days=settings.RESEARCH_EXPORT_DAYS),
            manifest=manifest_data,
            progress_done=rows,
            progress_total=rows,
        )
        _audit(None, AuditEntry.Action.EXPORT, export_request, "gemaakt", rows=rows)
    return export_request


def _finish_failed(export_request: ExportRequest, message: str) -> None:
    with transaction.atomic():
        export_request_transition(
            export_request=export_request,
            to=Status.FAILED,
            actor=None,
            failure_message=message,
            finished_at=timezone.now(),
        )
        _audit(None, AuditEntry.Action.EXPORT, export_request, "niet vrijgegeven")


def export_file_path(export_request: ExportRequest) -> Path:
    return Path(settings.RESEARCH_EXPORT_DIR) / export_request.file_name


def export_download(*, user: User, export_request: ExportRequest) -> Path:
    """The file for the requester (the getter checked who asks), written in the audit log.
    ExportGone (Dutch) once expired or deleted; a ValidationError while not ready."""
    if not selectors.can_download_export(user, export_request):
        raise PermissionDenied
    expired = export_request.status == Status.EXPIRED or (
        export_request.status == Status.READY and export_request.expires_at <= timezone.now()
    )
    path = export_file_path(export_request) if export_request.file_name else None
    if expired or (export_request.status == Status.READY and not (path and path.is_file())):
        raise ExportGone(
            _(
                "Deze export is verlopen en het bestand is verwijderd. Vraag zo nodig een "
                "nieuwe export aan."
            )
        )
    if export_request.status != Status.READY:
        raise ValidationError(_("Deze export is (nog) niet beschikbaar om te downloaden."))
    _audit(user, AuditEntry.Action.EXPORT, export_request, "gedownload")
    return path


def export_expire(*, now=None) -> int:
    """Delete the files of exports past their expiry and mark them expired; the number done.
    Run by the beat task `research.tasks.export_expire`."""
    now = now or timezone.now()
    done = 0
    due = ExportRequest.objects.filter(status=Status.READY, expires_at__lte=now)
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            export_request = ExportRequest.objects.select_for_update().get(pk=pk)
            if export_request.status != Status.READY:
                continue
            export_file_path(export_request).unlink(missing_ok=True)
            export_request_transition(export_request=export_request, to=Status.EXPIRED, actor=None)
            _audit(None, AuditEntry.Action.RETENTION, export_request, "verlopen")
            done += 1
    return done
