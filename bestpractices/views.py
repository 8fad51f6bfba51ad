"""Pages of the best-practice library."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts import access
from accounts.forms import add_service_error
from bestpractices import feeds, pdf, selectors, services
from bestpractices.forms import SynonymForm
from bestpractices.markdown import render_markdown

# ---------------------------------------------------------------- search, task matrix, public pages


@access.requires("bestpractices.read")
def task_matrix(request):
    """Per legal area and kind of case: the first line, the second line, the quality
    requirements; from every adopted task division, gaps shown."""
    context = {"areas": selectors.task_matrix(), "public": False}
    return render(request, "bestpractices/task_matrix.html", context)


@never_cache
@access.requires("bestpractices.review")
def synonyms(request):
    """The coordinators' synonym list, and a new word for it."""
    form = SynonymForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            synonym = services.synonym_save(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request, _("Synoniemen voor “%(term)s” opgeslagen.") % synonym.__dict__
            )
            return redirect("bestpractices:synonyms")
    context = {"form": form, "synonyms": selectors.synonyms_visible_to(request.user)}
    return render(
        request, "bestpractices/synonyms.html", context, status=400 if form.errors else 200
    )


@never_cache
@access.requires("bestpractices.review")
def synonym_edit(request, pk: int):
    synonym = selectors.synonym_get_for_user(request.user, pk, for_change=True)
    initial = {"term": synonym.term, "synonyms": ", ".join(synonym.synonyms)}
    form = SynonymForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.synonym_save(user=request.user, synonym=synonym, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request, _("Synoniemen voor “%(term)s” opgeslagen.") % synonym.__dict__
            )
            return redirect("bestpractices:synonyms")
    context = {"form": form, "synonym": synonym}
    status = 400 if form.errors else 200
    return render(request, "bestpractices/synonym_edit.html", context, status=status)


@require_POST
@access.requires("bestpractices.review")
def synonym_delete(request, pk: int):
    synonym = selectors.synonym_get_for_user(request.user, pk, for_change=True)
    services.synonym_delete(user=request.user, synonym=synonym)
    messages.success(
        request, _("De synoniemen voor “%(term)s” zijn verwijderd.") % synonym.__dict__
    )
    return redirect("bestpractices:synonyms")


# public reading: no account, no names (authors by organisation), only public adopted entries


def _public_context(request, entry) -> dict:
    return {
        "entry": entry,
        "address": request.build_absolute_uri(reverse("praktijk:entry", args=[entry.slug])),
        "revision": entry.adopted_revision,
        "body": render_markdown(entry.adopted_revision.body),
        "support": selectors.entry_support(entry),
        "rows": selectors.public_task_rows(entry),
    }


@login_not_required
def public_index(request):
    page = Paginator(selectors.public_entries(), 50).get_page(request.GET.get("pagina"))
    return render(request, "bestpractices/public/index.html", {"page": page})


@login_not_required
def public_entry(request, slug: str):
    entry = selectors.public_entry_get(slug)
    return render(request, "bestpractices/public/entry.html", _public_context(request, entry))


@login_not_required
def public_entry_print(request, slug: str):
    entry = selectors.public_entry_get(slug)
    return render(request, "bestpractices/public/entry_print.html", _public_context(request, entry))


@login_not_required
def public_entry_pdf(request, slug: str):
    entry = selectors.public_entry_get(slug)
    document = pdf.render_pdf(
        "bestpractices/public/entry_print.html", _public_context(request, entry)
    )
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{entry.slug}.pdf"'
    return response


@login_not_required
def public_task_matrix(request):
    context = {"areas": selectors.task_matrix(public=True), "public": True}
    return render(request, "bestpractices/task_matrix.html", context)


@login_not_required
def public_feed(request):
    return feeds.PublicEntriesFeed()(request)
