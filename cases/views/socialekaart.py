"""The sociale kaart: everyone who works with clients reads the list; coordinators add, edit,
mark checked and deactivate."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access
from accounts.forms import add_service_error
from cases import selectors
from cases.forms.socialekaart import SocialMapEntryForm, SocialMapFilterForm
from cases.models import SocialMapEntry
from cases.services import socialekaart as services


@access.requires(selectors.SOCIALEKAART_READ)
def socialmap_list(request):
    may_maintain = selectors.may_maintain_socialmap(request.user)
    filters = SocialMapFilterForm(request.GET, may_maintain=may_maintain)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    entries = selectors.socialmap_list(request.user, **criteria)
    page = Paginator(entries, 25).get_page(request.GET.get("pagina"))
    maintained = selectors.socialmap_locations(request.user) if may_maintain else []
    context = {
        "filters": filters,
        "filtered": any(criteria.values()),
        "page": page,
        "may_maintain": may_maintain,
        "maintained": {location.pk for location in maintained},
        "stale_count": selectors.socialmap_stale_count(request.user) if may_maintain else 0,
        "help_choices": SocialMapEntry.Help.choices,
        "stale_months": settings.SOCIALE_KAART_STALE_MONTHS,
    }
    return render(request, "cases/socialekaart/list.html", context)


@access.requires(selectors.SOCIALEKAART_CAPABILITY)
def socialmap_new(request):
    form = SocialMapEntryForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.socialmap_entry_create(user=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request, _("%(name)s staat nu op de sociale kaart.") % {"name": entry.name}
            )
            return redirect("cases:socialekaart")
    return render(request, "cases/socialekaart/form.html", {"form": form})


@access.requires(selectors.SOCIALEKAART_CAPABILITY)
def socialmap_edit(request, pk: int):
    entry = selectors.socialmap_entry_get_for_user(request.user, pk, for_change=True)
    form = SocialMapEntryForm(request.POST or None, user=request.user, entry=entry)
    if request.method == "POST" and form.is_valid():
        try:
            services.socialmap_entry_update(user=request.user, entry=entry, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("De wijzigingen zijn opgeslagen."))
            return redirect("cases:socialekaart")
    context = {"form": form, "entry": entry, "stale_months": settings.SOCIALE_KAART_STALE_MONTHS}
    return render(request, "cases/socialekaart/form.html", context)


@require_POST
@access.requires(selectors.SOCIALEKAART_CAPABILITY)
def socialmap_checked(request, pk: int):
    entry = selectors.socialmap_entry_get_for_user(request.user, pk, for_change=True)
    services.socialmap_entry_mark_checked(user=request.user, entry=entry)
    messages.success(request, _("%(name)s is gemarkeerd als gecontroleerd.") % {"name": entry.name})
    return _back(request, "cases:socialekaart")


@require_POST
@access.requires(selectors.SOCIALEKAART_CAPABILITY)
def socialmap_deactivate(request, pk: int):
    entry = selectors.socialmap_entry_get_for_user(request.user, pk, for_change=True)
    services.socialmap_entry_deactivate(user=request.user, entry=entry)
    messages.success(
        request,
        _("%(name)s is gedeactiveerd en staat niet meer op de sociale kaart.")
        % {"name": entry.name},
    )
    return redirect("cases:socialekaart")


def _back(request, default: str):
    """Back to the page the button was on (the list keeps its filters), if that is ours."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)
