"""Reads of the research app: export requests as the user may see them.

A researcher sees their own requests; an approver (the data-protection contact) sees every
request, to decide on it, but never downloads one: the file is for the requester alone."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts import access
from accounts.models import Location
from research import keys
from research.export import catalogue, engine
from research.models import ExportRequest, Study


def export_requests_visible_to(user) -> QuerySet[ExportRequest]:
    requests = ExportRequest.objects.select_related("study", "requester", "approver")
    if access.can(user, "research.approve_export"):
        return requests
    if access.can(user, "research.request_export"):
        return requests.filter(requester=user)
    return requests.none()


def can_decide_export(user, export_request: ExportRequest) -> bool:
    """Approvers decide, never on their own request."""
    return access.can(user, "research.approve_export") and export_request.requester_id != user.pk


def can_download_export(user, export_request: ExportRequest) -> bool:
    return export_request.requester_id == user.pk


PREDICATES = {
    "change": can_decide_export,
    "decide": can_decide_export,
    "download": can_download_export,
}


def export_request_get_for_user(user, pk: int, *, for_change: bool | str = False) -> ExportRequest:
    """404 unless the user may see the request; 403 unless they may make the change
    (`for_change="decide"`: approve or reject; `"download"`: fetch the file)."""
    export_request = get_object_or_404(export_requests_visible_to(user), pk=pk)
    access.require_change(user, export_request, for_change, PREDICATES)
    return export_request


def own_export_requests(user) -> QuerySet[ExportRequest]:
    """The researcher's own requests, newest first (their list page)."""
    return export_requests_visible_to(user).filter(requester=user)


def export_requests_to_decide(user) -> QuerySet[ExportRequest]:
    """The approver's queue: waiting requests of others, oldest first."""
    return (
        export_requests_visible_to(user)
        .filter(status=ExportRequest.Status.REQUESTED)
        .exclude(requester=user)
        .order_by("requested_at", "pk")
    )


def export_requests_decided(user, limit: int = 20) -> list[ExportRequest]:
    """The approver's recent decisions, newest first."""
    return list(
        export_requests_visible_to(user)
        .exclude(status=ExportRequest.Status.REQUESTED)
        .order_by("-decided_at", "-pk")[:limit]
    )


def export_request_locations(export_request: ExportRequest) -> list[Location]:
    return list(export_request.locations.order_by("name"))


def active_studies() -> QuerySet[Study]:
    return Study.objects.filter(is_active=True).order_by("code")


def released_quasi(export_request: ExportRequest) -> tuple[str, ...]:
    """The quasi-identifiers released (or approved for release) by the study's other exports:
    k must hold over their union with this request's, because the study's rows link. A made
    export says what it released (its manifest's "name:level"); an approved one not yet made
    counts with its quasi-identifying fields."""
    others = (
        ExportRequest.objects.filter(study_id=export_request.study_id, status__in=RELEASING)
        .exclude(pk=export_request.pk)
        .values_list("fields", "manifest")
    )
    names: set[str] = set()
    for fields, manifest in others:
        made = (manifest or {}).get("quasi_released")
        if made is not None:
            names.update(made)
        else:
            names.update(n for n in fields if n in catalogue.FIELDS and catalogue.FIELDS[n].quasi)
    return tuple(sorted(names))


RELEASING = (
    ExportRequest.Status.APPROVED,
    ExportRequest.Status.RUNNING,
    ExportRequest.Status.READY,
    ExportRequest.Status.EXPIRED,
)


def export_spec(export_request: ExportRequest, released: tuple[str, ...]) -> engine.ExportSpec:
    """What the engine needs to know of the request: its parameters and the study's key."""
    study = export_request.study
    location_ids = tuple(sorted(export_request.locations.values_list("pk", flat=True)))
    return engine.ExportSpec(
        study_code=study.code,
        study_key=keys.study_key(study.key_token),
        k=study.k,
        start=export_request.period_start,
        end=export_request.period_end,
        location_ids=location_ids or None,
        fields=tuple(export_request.fields),
        unit=export_request.unit,
        released_quasi=released,
    )


def export_request_risk(export_request: ExportRequest) -> tuple[dict | None, str]:
    """The dry run the approver sees before deciding: (the risk report, "") or (None, why the
    export can't be released, in Dutch). Computed in PostgreSQL by the engine; writes nothing."""
    if refusal := catalogue.refuse_fields(export_request.fields, export_request.unit):
        return None, refusal
    try:
        report = engine.export_check(export_spec(export_request, released_quasi(export_request)))
    except engine.ExportRefused as exc:
        return None, str(exc)
    return report.as_dict(), ""


def home_exports(user) -> dict:
    """The export card on the home page: a fixed number of queries."""
    if access.can(user, "research.approve_export"):
        return {"to_decide": export_requests_to_decide(user).count()}
    return {"mine": list(own_export_requests(user)[:3])}
