"""Pages of the export workflow: the researcher's requests, a request's page with its progress
and download, and the approver's queue and decision page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from accounts import access
from accounts.forms import add_service_error
from research import selectors, services
from research.export import catalogue
from research.forms.exports import DecisionForm, ExportRequestForm
from research.models import ExportRequest

EXPORT_ROLES = ("research.request_export", "research.approve_export")

# What the dry run and the run report, in words; a key not named here shows as it is.
REPORT_LABELS = {
    "k": gettext_lazy("k (vereist)"),
    "k_reached": gettext_lazy("k bereikt"),
    "unit": gettext_lazy("Eenheid van een rij"),
    "quasi_identifiers": gettext_lazy("Quasi-identificerende velden (met eerdere exports)"),
    "levels": gettext_lazy("Generalisatie per veld"),
    "records": gettext_lazy("Casussen in de periode (met toestemming)"),
    "records_released": gettext_lazy("Casussen in de export"),
    "rows_released": gettext_lazy("Rijen in de export"),
    "records_generalised": gettext_lazy("Casussen verder gegeneraliseerd"),
    "records_suppressed": gettext_lazy("Casussen met onderdrukte gegevens"),
    "records_dropped": gettext_lazy("Casussen weggelaten"),
    "at_risk_before": gettext_lazy("Aandeel casussen met risico vóór behandeling"),
    "at_risk_after": gettext_lazy("Aandeel casussen met risico na behandeling"),
    "unique_before": gettext_lazy("Unieke combinaties vóór behandeling"),
    "groups_before": gettext_lazy("Groepen vóór behandeling"),
    "groups_after": gettext_lazy("Groepen na behandeling"),
    "suppressed_values": gettext_lazy("Onderdrukte waarden per veld"),
    "information_loss": gettext_lazy("Informatieverlies per veld"),
    "diversity_field": gettext_lazy("ℓ-diversiteit op"),
    "diversity_l": gettext_lazy("ℓ (vereist)"),
    "l_reached": gettext_lazy("ℓ bereikt"),
}
SHARES = {"at_risk_before", "at_risk_after", "information_loss"}


def _value(key: str, value) -> str:
    if isinstance(value, float):
        return f"{value:.1%}" if key in SHARES else f"{value:.3g}"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_value(key, v)}" for k, v in value.items()) or "—"
    return "—" if value is None else str(value)


def _report_rows(report: dict | None) -> list[tuple[str, str]]:
    """The risk report as (label, value) rows; a key nobody labelled shows as it is."""
    return [(str(REPORT_LABELS.get(k, k)), _value(k, v)) for k, v in (report or {}).items()]


def _field_labels(names) -> list[str]:
    return [getattr(catalogue.FIELDS.get(n), "label_nl", n) for n in names]


@never_cache
@access.requires("research.request_export")
def export_list(request):
    context = {"export_requests": selectors.own_export_requests(request.user)}
    return render(request, "research/exports/list.html", context)


@never_cache
@access.requires("research.request_export")
def export_new(request):
    form = ExportRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            export_request = services.export_request_create(
                user=request.user, data=form.data_for_service()
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Uw aanvraag is verstuurd naar de beoordelaar."))
            return redirect("research:export", export_request.pk)
    return render(request, "research/exports/new.html", {"form": form})


def _detail_context(user, export_request: ExportRequest) -> dict:
    return {
        "export_request": export_request,
        "locations": selectors.export_request_locations(export_request),
        "field_labels": _field_labels(export_request.fields),
        "history": export_request.status_changes.all(),
        "is_requester": selectors.can_download_export(user, export_request),
        "can_decide": selectors.can_decide_export(user, export_request)
        and export_request.status == ExportRequest.Status.REQUESTED,
        "report_rows": _report_rows(export_request.risk_report),
    }


@never_cache
@access.requires_any(*EXPORT_ROLES)
def export_detail(request, pk: int):
    export_request = selectors.export_request_get_for_user(request.user, pk)
    context = _detail_context(request.user, export_request)
    return render(request, "research/exports/detail.html", context)


@never_cache
@access.requires_any(*EXPORT_ROLES)
def export_status(request, pk: int):
    """The progress fragment that the request's page polls (htmx); without htmx, the page."""
    export_request = selectors.export_request_get_for_user(request.user, pk)
    if not request.htmx:
        return redirect("research:export", export_request.pk)
    context = {
        "export_request": export_request,
        "is_requester": selectors.can_download_export(request.user, export_request),
    }
    return render(request, "research/exports/_progress.html", context)


@never_cache
@access.requires("research.request_export")
def export_download(request, pk: int):
    export_request = selectors.export_request_get_for_user(request.user, pk, for_change="download")
    try:
        path = services.export_download(user=request.user, export_request=export_request)
    except services.ExportGone as exc:
        context = {"export_request": export_request, "message": str(exc)}
        return render(request, "research/exports/gone.html", context, status=410)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("research:export", export_request.pk)
    name = f"export-{export_request.study.code}-{export_request.pk}-{export_request.format}.zip"
    return FileResponse(path.open("rb"), as_attachment=True, filename=name)


@never_cache
@access.requires("research.approve_export")
def export_queue(request):
    context = {
        "to_decide": selectors.export_requests_to_decide(request.user),
        "decided": selectors.export_requests_decided(request.user),
    }
    return render(request, "research/exports/queue.html", context)


@never_cache
@access.requires("research.approve_export")
def export_decide(request, pk: int):
    export_request = selectors.export_request_get_for_user(request.user, pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.export_request_decide(
                user=request.user,
                export_request=export_request,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Uw besluit is vastgelegd."))
            return redirect("research:export_queue")
    context = _detail_context(request.user, export_request)
    report, refusal = (
        selectors.export_request_risk(export_request) if context["can_decide"] else (None, "")
    )
    context.update(form=form, dry_run_rows=_report_rows(report), refusal=refusal)
    return render(request, "research/exports/decide.html", context)
