"""The audit log and data subject requests (AVG art. 15 and 17), for administrators.

The client's name and date of birth only ever travel in POST bodies: not in URLs (which end up
in logs and browser history), and the pages are not cached.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts import access
from cases import audit_text, selectors
from cases.content import names_cases_only
from cases.forms.privacy import AuditFilterForm, DataSubjectForm, DsrEraseForm, DsrExportForm
from cases.selectors import PRIVACY_CAPABILITY
from cases.services import privacy

AUDIT_PAGE_SIZE = 50


@names_cases_only  # case numbers only; reading the log is no read of the cases
@require_GET
@access.requires("audit.view")
def audit_log(request):
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    entries = selectors.audit_list(request.user, filters=filters)
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("pagina"))
    page.object_list = audit_text.describe_entries(page.object_list)
    return render(request, "cases/privacy/audit_log.html", {"form": form, "page": page})


@access.requires(PRIVACY_CAPABILITY)
@never_cache
def dsr(request):
    return _dsr_page(request, DataSubjectForm(request.POST or None))


@require_POST
@access.requires(PRIVACY_CAPABILITY)
@never_cache
def dsr_export(request):
    search = DataSubjectForm(request.POST)
    found = _search(request, search)
    form = DsrExportForm(request.POST, candidates=found.get("candidates", ()))
    if form.is_valid():
        try:
            data = privacy.dsr_export(user=request.user, **form.request_data())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
            filename = f"avg-inzage-{timezone.localdate():%Y-%m-%d}.json"
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            return response
    return _dsr_page(request, search, found, export_form=form)


@require_POST
@access.requires(PRIVACY_CAPABILITY)
@never_cache
def dsr_erase(request):
    search = DataSubjectForm(request.POST)
    found = _search(request, search)
    form = DsrEraseForm(request.POST, candidates=found.get("candidates", ()))
    if form.is_valid():
        try:
            count = privacy.dsr_erase(user=request.user, **form.request_data())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _erased_message(count))
            return redirect("cases:dsr")
    return _dsr_page(request, search, found, erase_form=form)


def _search(request, search: DataSubjectForm) -> dict:
    """The client's cases: found by name and date of birth, and found by name alone (to be
    confirmed per case). Nothing is decrypted."""
    if not (search.is_bound and search.is_valid()):
        return {}
    return {
        "identities": list(selectors.dsr_find(user=request.user, **search.subject)),
        "candidates": list(selectors.dsr_candidates(user=request.user, **search.subject)),
    }


def _dsr_page(request, search: DataSubjectForm, found=None, *, export_form=None, erase_form=None):
    found = _search(request, search) if found is None else found
    context = {"form": search}
    if found:
        subject, candidates = search.subject, found["candidates"]
        context |= {
            "searched": True,
            "by_name_only": subject["birth_date"] is None,
            **found,
            "export_form": export_form or DsrExportForm(initial=subject, candidates=candidates),
            "erase_form": erase_form or DsrEraseForm(initial=subject, candidates=candidates),
        }
    return render(request, "cases/privacy/dsr.html", context)


def _erased_message(count: int) -> str:
    if not count:
        return _("Er is niets gewist: geen casussen gevonden of bevestigd.")
    return ngettext(
        "De identiteit is vernietigd en %(count)d casus is geanonimiseerd.",
        "De identiteiten zijn vernietigd en %(count)d casussen zijn geanonimiseerd.",
        count,
    ) % {"count": count}
