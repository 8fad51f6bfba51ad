"""Pages of the library: the list with filters, an entry with its history and diff, the editor
and the rows of a task division, the workflow's actions (htmx, each a plain form without
JavaScript), the reviewer's dashboard and the reader's subscriptions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts import access
from accounts.forms import add_service_error
from bestpractices import feeds, pdf, selectors, services
from bestpractices.forms import (
    CommentForm,
    EndorseForm,
    EntryForm,
    FeedbackForm,
    FollowForm,
    LibraryFilterForm,
    PreviewForm,
    RestoreForm,
    ReviewForm,
    SubscriptionsForm,
    SynonymForm,
    TaskRowFormSet,
    TransitionForm,
    VariantForm,
    default_review_by,
    task_row_initial,
)
from bestpractices.markdown import render_markdown
from bestpractices.models import Entry, Status
from signalering import selectors as signalering

READ = "bestpractices.read"
TAKE_PART = "bestpractices.take_part"
REVIEW = "bestpractices.review"


def _refused(request, exc: ValidationError, entry: Entry):
    messages.error(request, " ".join(exc.messages))
    return redirect("bestpractices:entry", entry.slug)


@access.requires(READ)
def library(request):
    takes_part = access.can(request.user, TAKE_PART)
    form = LibraryFilterForm(request.GET or None, statuses=takes_part)
    criteria = form.cleaned_data if form.is_valid() else {}
    filters = selectors.LibraryFilters(
        kind=criteria.get("kind", ""),
        legal_area=getattr(criteria.get("legal_area"), "pk", None),
        audience=criteria.get("audience", ""),
        status=criteria.get("status", ""),
        location=getattr(criteria.get("location"), "pk", None),
    )
    entries = selectors.library_entries(request.user, filters)
    entries = selectors.entries_searched(entries, criteria.get("q"))
    page = Paginator(entries, 25).get_page(request.GET.get("pagina"))
    context = {
        "form": form,
        "page": page,
        "filtered": any(criteria.values()),
        "takes_part": takes_part,
    }
    return render(request, "bestpractices/library.html", context)


@access.requires(TAKE_PART)
def propose(request):
    form = EntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.entry_propose(user=request.user, data=form.data_for_service())
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request, _("Uw idee staat in de bibliotheek. Werk het uit tot een concept.")
            )
            return redirect("bestpractices:entry", entry.slug)
    return render(request, "bestpractices/edit.html", {"form": form, "entry": None})


@require_POST
@access.requires(TAKE_PART)
def propose_from_recommendation(request, pk: int):
    recommendation = signalering.recommendation_get_for_user(request.user, pk)
    entry = services.entry_propose_from_recommendation(
        user=request.user, recommendation=recommendation
    )
    messages.success(request, _("De aanbeveling staat als idee in de bibliotheek. Werk het uit."))
    return redirect("bestpractices:entry", entry.slug)


def _entry_context(request, entry: Entry) -> dict:
    user = request.user
    shown = selectors.shown_revision(entry)
    context = {
        "entry": entry,
        "shown": shown,
        "body_html": render_markdown(shown.body if shown else entry.body),
        "pending": selectors.pending_revision(entry),
        "takes_part": access.can(user, TAKE_PART),
        "can_edit": selectors.can_edit_entry(user, entry),
        "can_comment": selectors.can_comment_entry(user, entry),
        "can_review": selectors.can_review_entry(user, entry),
        "can_publish": access.can(user, REVIEW) and entry.status == Status.ADOPTED,
        "can_adopt_pending": access.can(user, REVIEW) and selectors.can_adopt_entry(user, entry),
        "steps": services.allowed_steps(user, entry),
        "endorse_form": EndorseForm(organisations=selectors.endorsing_organisations(user, entry)),
        "comment_form": CommentForm(),
        "review_form": ReviewForm(),
        "transition_form": TransitionForm(
            initial={"review_by": entry.review_by or default_review_by()}
        ),
        "is_following": selectors.is_following(user, entry),
        "own_feedback": selectors.own_feedback(user, entry),
        "variant_form": VariantForm(user=user),
        "today": timezone.localdate(),
        # the signals, meetings and recommendations it came from (the signaleringsoverleg)
        "provenance": selectors.entry_provenance(user, entry),
        **selectors.entry_detail(entry),
    }
    if entry.parent_id:
        parent_text = selectors.shown_revision(entry.parent)
        context["parent_diff"] = selectors.texts_diff(
            selectors.revision_texts(parent_text) if parent_text else {},
            selectors.revision_texts(shown) if shown else {},
            {"summary": _("Samenvatting"), "body": _("Tekst")},
        )
    return context


@access.requires(READ)
def entry_detail(request, slug: str):
    entry = selectors.entry_get_for_user(request.user, slug)
    return render(request, "bestpractices/entry.html", _entry_context(request, entry))


@access.requires(TAKE_PART)
def entry_edit(request, slug: str):
    entry = selectors.entry_get_for_user(request.user, slug, for_change=True)
    form = EntryForm(request.POST or None, entry=entry)
    preview = None
    if request.method == "POST" and "preview" in request.POST:
        preview = render_markdown(request.POST.get("body", ""))
    elif request.method == "POST" and form.is_valid():
        try:
            services.entry_update(user=request.user, entry=entry, data=form.data_for_service())
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("De wijzigingen zijn opgeslagen."))
            return redirect("bestpractices:entry", entry.slug)
    return render(
        request, "bestpractices/edit.html", {"form": form, "entry": entry, "preview": preview}
    )


@require_POST
@access.requires(TAKE_PART)
def preview(request):
    """The editor's preview (htmx): the Markdown as the entry page will show it."""
    form = PreviewForm(request.POST)
    body = form.cleaned_data["body"] if form.is_valid() else ""
    return render(request, "bestpractices/_preview.html", {"preview": render_markdown(body)})


@access.requires(TAKE_PART)
def task_rows(request, slug: str):
    entry = selectors.entry_get_for_user(request.user, slug, for_change=True)
    if entry.kind != Entry.Kind.TASK_DIVISION:
        messages.error(request, _("Alleen een taakverdeling heeft rijen."))
        return redirect("bestpractices:entry", entry.slug)
    initial = task_row_initial(selectors.task_rows(entry))
    formset = TaskRowFormSet(request.POST or None, initial=initial, prefix="rij")
    if request.method == "POST" and formset.is_valid():
        rows = [
            f.data_for_service()
            for f in formset.forms
            if f.has_changed() and f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        try:
            services.task_rows_save(user=request.user, entry=entry, rows=rows)
        except ValidationError as exc:
            formset._non_form_errors = formset.error_class(exc.messages)
        else:
            messages.success(request, _("De taakverdeling is opgeslagen."))
            return redirect("bestpractices:entry", entry.slug)
    return render(request, "bestpractices/task_rows.html", {"entry": entry, "formset": formset})


@require_POST
@access.requires(TAKE_PART)
def entry_transition(request, slug: str):
    entry = selectors.entry_get_for_user(request.user, slug, for_change="transition")
    form = TransitionForm(request.POST, prefix="stap")
    if not form.is_valid():
        errors = [e for errors in form.errors.values() for e in errors]
        return _refused(request, ValidationError(errors or _("Deze stap is niet mogelijk.")), entry)
    try:
        change = services.entry_transition(user=request.user, entry=entry, **form.cleaned_data)
    except ValidationError as exc:
        return _refused(request, exc, entry)
    messages.success(request, _("Status: %(status)s.") % {"status": change.get_to_status_display()})
    return redirect("bestpractices:entry", entry.slug)


@require_POST
@access.requires(REVIEW)
def adopt_pending(request, slug: str):
    entry = selectors.entry_get_for_user(request.user, slug, for_change="transition")
    try:
        services.entry_adopt_pending(
            user=request.user, entry=entry, note=request.POST.get("note", "")[:500]
        )
    except ValidationError as exc:
        return _refused(request, exc, entry)
    messages.success(request, _("De nieuwe versie is vastgesteld."))
    return redirect("bestpractices:entry", entry.slug)


@require_POST
@access.requires(TAKE_PART)
def endorse(request, slug: str):
    entry = selectors.entry_get_for_user(request.user, slug, for_change="endorse")
    form = EndorseForm(
        request.POST, organisations=access.organisations_where(request.user, TAKE_PART)
    )
    try:
        if not form.is_valid():
            raise ValidationError(list(form.errors.values())[0])
        services.entry_endorse(
            user=request.user,
            entry=entry,
            organisation=form.chosen_organisation(),
            note=form.cleaned_data["note"],
        )
    except ValidationError as exc:
        if not request.htmx:
            return _refused(request, exc, entry)
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Dank u: uw steun is vastgelegd."))
    if request.htmx:
        return render(request, "bestpractices/_support.html", _entry_context(request, entry))
    return redirect("bestpractices:entry", entry.slug)


@require_POST
@access.requires(TAKE_PART)
def comment(request, slug: str):
    entry = selectors.entry_get_for_user(request.user, slug, for_change="comment")
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.entry_comment(user=request.user, entry=entry, text=form.cleaned_data["text"])
        except ValidationError as exc:
            return _refused(request, exc, entry)
        messages.success(request, _("Uw reactie is geplaatst."))
        return redirect("bestpractices:entry", entry.slug)
    context = {**_entry_context(request, entry), "comment_form": form}
    return render(request, "bestpractices/entry.html", context, status=400)


@require_POST
@access.requires(READ)
def follow(request, slug: str):
    entry = selectors.entry_get_for_user(request.user, slug)
    form = FollowForm(request.POST)
    following = services.entry_follow(
        user=request.user, entry=entry, follow=form.is_valid() and form.cleaned_data["follow"]
    )
    if request.htmx:
        return render(
            request, "bestpractices/_follow.html", {"entry": entry, "is_following": following}
        )
    messages.success(
        request,
        _("U volgt dit praktijkvoorbeeld.")
        if following
        else _("U volgt dit praktijkvoorbeeld niet meer."),
    )
    return redirect("bestpractices:entry", entry.slug)


@require_POST
@access.requires(TAKE_PART)
def review(request, slug: str):
    entry = selectors.entry_get_for_user(request.user, slug, for_change="review")
    form = ReviewForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        services.entry_review(user=request.user, entry=entry, **form.cleaned_data)
    except ValidationError as exc:
        return _refused(request, exc, entry)
    messages.success(request, _("De herbeoordeling is vastgelegd."))
    return redirect("bestpractices:entry", entry.slug)


@require_POST
@access.requires(READ)
def feedback(request, slug: str):
    entry = selectors.entry_get_for_user(request.user, slug)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        services.entry_feedback(
            user=request.user, entry=entry, helpful=form.cleaned_data["helpful"]
        )
    if request.htmx:
        context = {"entry": entry, "own_feedback": selectors.own_feedback(request.user, entry)}
        return render(request, "bestpractices/_feedback.html", context)
    if form.is_valid():
        messages.success(request, _("Dank u voor uw antwoord."))
    return redirect("bestpractices:entry", entry.slug)


@require_POST
@access.requires(REVIEW)
def publish(request, slug: str):
    entry = selectors.entry_get_for_user(request.user, slug)
    try:
        services.entry_set_public(
            user=request.user, entry=entry, is_public=request.POST.get("is_public") == "on"
        )
    except ValidationError as exc:
        return _refused(request, exc, entry)
    messages.success(request, _("Openbaar.") if entry.is_public else _("Niet meer openbaar."))
    return redirect("bestpractices:entry", entry.slug)


@access.requires(READ)
def diff(request, slug: str):
    entry = selectors.entry_get_for_user(request.user, slug)
    revisions = selectors.entry_detail(entry)["revisions"]
    old = selectors.revision_of(entry, request.GET.get("van"))
    new = selectors.revision_of(entry, request.GET.get("naar"))
    if (old is None or new is None) and len(revisions) >= 2:
        old, new = old or revisions[1], new or revisions[0]
    changes = None
    if old and new:
        changes = selectors.texts_diff(
            selectors.revision_texts(old),
            selectors.revision_texts(new),
            {"title": _("Titel"), "summary": _("Samenvatting"), "body": _("Tekst")},
        )
    context = {
        "entry": entry,
        "revisions": revisions,
        "old": old,
        "new": new,
        "changes": changes,
        "can_edit": selectors.can_edit_entry(request.user, entry),
    }
    return render(request, "bestpractices/diff.html", context)


@require_POST
@access.requires(TAKE_PART)
def restore(request, slug: str):
    entry = selectors.entry_get_for_user(request.user, slug, for_change=True)
    form = RestoreForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        revision = services.revision_restore(
            user=request.user,
            entry=entry,
            revision_id=form.cleaned_data["revision"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as exc:
        return _refused(request, exc, entry)
    messages.success(request, _("Teruggezet als versie %(n)s.") % {"n": revision.number})
    return redirect("bestpractices:entry", entry.slug)


@require_POST
@access.requires(TAKE_PART)
def variant(request, slug: str):
    entry = selectors.entry_get_for_user(request.user, slug, for_change="take_part")
    form = VariantForm(request.POST, user=request.user)
    try:
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        made = services.entry_make_variant(
            user=request.user, entry=entry, location=form.cleaned_data["location"]
        )
    except ValidationError as exc:
        return _refused(request, exc, entry)
    messages.success(request, _("De lokale variant is gemaakt. Pas aan wat bij u anders is."))
    return redirect("bestpractices:edit", made.slug)


@access.requires(REVIEW)
def dashboard(request):
    context = {
        "to_review": selectors.entries_to_review(request.user),
        "past_review": selectors.entries_past_review(request.user),
    }
    return render(request, "bestpractices/dashboard.html", context)


@access.requires(READ)
def subscriptions(request):
    initial = {
        "legal_areas": sorted(selectors.followed_legal_area_ids(request.user)),
        "digest": selectors.digest_opted_in(request.user),
    }
    form = SubscriptionsForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.subscriptions_set(user=request.user, **form.cleaned_data)
        messages.success(request, _("Uw voorkeuren zijn opgeslagen."))
        return redirect("bestpractices:subscriptions")
    return render(request, "bestpractices/subscriptions.html", {"form": form})


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
                request, _("Synoniemen voor “%(term)s” opgeslagen.") % {"term": synonym.term}
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
                request, _("Synoniemen voor “%(term)s” opgeslagen.") % {"term": synonym.term}
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
        request, _("De synoniemen voor “%(term)s” zijn verwijderd.") % {"term": synonym.term}
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


def _print_context(request, entry) -> dict:
    """The library's own print page and PDF of any entry the user may read: the text readers
    see (the adopted version of an adopted entry), quality requirements linked inside."""
    revision = selectors.shown_revision(entry)
    return {
        "entry": entry,
        "address": request.build_absolute_uri(reverse("bestpractices:entry", args=[entry.slug])),
        "revision": revision,
        "body": render_markdown(revision.body if revision else entry.body),
        "support": selectors.entry_support(entry),
        "rows": selectors.task_rows(entry),
        "internal": True,
    }


@access.requires(READ)
def entry_print(request, slug: str):
    entry = selectors.entry_get_for_user(request.user, slug)
    return render(request, "bestpractices/public/entry_print.html", _print_context(request, entry))


@access.requires(READ)
def entry_pdf(request, slug: str):
    entry = selectors.entry_get_for_user(request.user, slug)
    document = pdf.render_pdf(
        "bestpractices/public/entry_print.html", _print_context(request, entry)
    )
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{entry.slug}.pdf"'
    return response


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
