"""Registering a case and working on it. Thin views: getter, form, service, redirect or render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from accounts import access
from accounts.forms import add_service_error
from cases import case_page, selectors
from cases.forms.cases import (
    CaseFilterForm,
    CaseForm,
    IdentityForm,
    NoteForm,
    RevealForm,
    StatusForm,
    SubProblemForm,
    SubProblemFormSet,
    subject_choices,
)
from cases.models import CaseStatusChange
from cases.services import cases as services
from cases.services.status import case_status_change

PAGE_SIZE = 25
# Beyond this the list says "more than 250" (ten pages): counting 200,000 visible rows costs
# more than the page itself (bench/README.md).
COUNT_CAP = 250


class CappedPaginator(Paginator):
    @cached_property
    def count(self) -> int:
        # ids only: the list's columns and annotations are computed for the page's rows alone
        return self.object_list.values("pk")[: COUNT_CAP + 1].count()

    @property
    def is_capped(self) -> bool:
        return self.count > COUNT_CAP


def _registration_context(user) -> dict:
    return {
        "organisations": access.organisations_where(user, "cases.register"),
        "subjects": subject_choices(),
        "social_map": selectors.socialmap_for_registration(user),
    }


def _subproblem_formset(data, ctx):
    return SubProblemFormSet(
        data,
        prefix="deel",
        form_kwargs={"subjects": ctx["subjects"], "social_map": ctx["social_map"]},
    )


@access.requires("cases.register")
def case_register(request):
    ctx = _registration_context(request.user)
    data = request.POST.copy() if request.method == "POST" else None
    if (
        data is not None and "add_subproblem" in data
    ):  # without JavaScript: one more row, nothing saved
        total = data.get("deel-TOTAL_FORMS", "1")
        data["deel-TOTAL_FORMS"] = str(int(total) + 1 if total.isdecimal() else 1)
    case_form = CaseForm(data, organisations=ctx["organisations"], prefix="casus")
    formset = _subproblem_formset(data, ctx)
    identity_form = IdentityForm(data, prefix="kluis")
    submitted = data is not None and "add_subproblem" not in data
    if submitted and all([case_form.is_valid(), formset.is_valid(), identity_form.is_valid()]):
        try:
            case = services.case_register(
                user=request.user,
                organisation=case_form.cleaned_data["organisation"],
                data=case_form.cleaned_data,
                subproblems=[f.to_data() for f in formset.forms if f.cleaned_data],
                identity=identity_form.to_identity(),
            )
        except ValidationError as exc:
            add_service_error(case_form, exc)
        else:
            messages.success(
                request, _("Casus %(number)s is geregistreerd.") % {"number": case.number}
            )
            return redirect("cases:detail", case.number)
    return render(
        request,
        "cases/case_register.html",
        {"case_form": case_form, "formset": formset, "identity_form": identity_form, **ctx},
    )


@access.requires("cases.register")
def subproblem_row(request):
    """htmx: one more sub-problem row (and the new form count, out of band)."""
    ctx = _registration_context(request.user)
    try:
        index = max(0, min(int(request.GET.get("deel-TOTAL_FORMS", "1")), 9))
    except ValueError:
        index = 1
    form = SubProblemForm(
        prefix=f"deel-{index}", subjects=ctx["subjects"], social_map=ctx["social_map"]
    )
    return render(
        request,
        "cases/_subproblem_row.html",
        {"form": form, "index": index, "number": index + 1, "oob_total": index + 1},
    )


@never_cache
@sensitive_post_parameters("kluis-full_name", "kluis-birth_date")
@require_POST
@access.requires("cases.register")
def earlier_cases(request):
    """htmx, while the identity block is filled in: the client's earlier cases at the user's
    organisation. POST, so that the name and birth date never appear in a URL or access log."""
    form = IdentityForm(request.POST, prefix="kluis")
    earlier = []
    if form.is_valid() and form.cleaned_data["full_name"] and form.cleaned_data["birth_date"]:
        earlier = selectors.earlier_cases_of_client(
            request.user,
            full_name=form.cleaned_data["full_name"],
            birth_date=form.cleaned_data["birth_date"],
        )
    return render(request, "cases/_earlier_cases.html", {"earlier": earlier})


@access.requires("cases.view")
def case_list(request):
    form = CaseFilterForm(request.GET or None, workers=selectors.case_workers_for(request.user))
    cases = selectors.case_list(request.user, filters=form.filters())
    page = CappedPaginator(cases, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "cases/case_list.html",
        {
            "form": form,
            "page": page,
            "count_cap": COUNT_CAP,
            "may_register": access.can(request.user, "cases.register"),
        },
    )


@never_cache
@access.requires("cases.view")
def case_detail(request, number: str):
    case = selectors.case_get_for_user(request.user, number)
    return render(request, "cases/case_detail.html", _detail_context(request, case))


def _detail_context(request, case, **forms) -> dict:
    user = request.user
    context = {
        "case": case,
        **selectors.case_page(user, case),
        "note_form": forms.get("note_form") or NoteForm(),
        "status_form": forms.get("status_form") or StatusForm(initial={"status": case.status}),
        "reveal_form": forms.get("reveal_form") or RevealForm(),
        "identity": forms.get("identity"),
    }
    # what the apps above cases add (the piket's consults): cases imports none of them
    context["sections"] = case_page.sections_for(user, case)
    context["timeline"] = sorted(
        context["timeline"] + case_page.timeline_entries(context["sections"]),
        key=lambda item: item[1],
    )
    return context


@access.requires("cases.view")
def case_edit(request, number: str):
    case = selectors.case_get_for_user(request.user, number, for_change=True)
    form = CaseForm(request.POST or None, instance=case, prefix="casus")
    if request.method == "POST" and form.is_valid():
        try:
            services.case_update(user=request.user, case=case, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("De casus is bijgewerkt."))
            return redirect("cases:detail", case.number)
    return render(request, "cases/case_edit.html", {"case": case, "form": form})


@access.requires("cases.view")
def subproblem_add(request, number: str):
    case = selectors.case_get_for_user(request.user, number, for_change=True)
    ctx = _registration_context(request.user)
    form = SubProblemForm(
        request.POST or None, subjects=ctx["subjects"], social_map=ctx["social_map"]
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.subproblem_add(user=request.user, case=case, sub=form.to_data())
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Het deelprobleem is toegevoegd."))
            return redirect("cases:detail", case.number)
    return render(request, "cases/subproblem_add.html", {"case": case, "form": form, **ctx})


@require_POST
@access.requires("cases.view")
def case_status(request, number: str):
    case = selectors.case_get_for_user(request.user, number, for_change=True)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            case_status_change(
                case=case,
                to=form.cleaned_data["status"],
                actor=request.user,
                reason=CaseStatusChange.Reason.MANUAL,
                closed_on=form.cleaned_data["closed_on"],
                solution_reached=form.cleaned_data["solution_reached"],
                solution_where=form.cleaned_data["solution_where"],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("De status is bijgewerkt."))
            return redirect("cases:detail", case.number)
    return render(
        request,
        "cases/case_detail.html",
        _detail_context(request, case, status_form=form),
        status=400,
    )


@require_POST
@access.requires("cases.view")
def note_add(request, number: str):
    case = selectors.case_get_for_user(request.user, number, for_change="note")
    form = NoteForm(request.POST)
    if form.is_valid():
        services.note_add(user=request.user, case=case, text=form.cleaned_data["text"])
        messages.success(request, _("De notitie is toegevoegd."))
        return redirect("cases:detail", case.number)
    return render(
        request,
        "cases/case_detail.html",
        _detail_context(request, case, note_form=form),
        status=400,
    )


@never_cache
@require_POST
@access.requires("cases.view")
def identity_reveal(request, number: str):
    case = selectors.case_get_for_user(request.user, number, for_change="reveal")
    form = RevealForm(request.POST)
    identity = None
    if form.is_valid():
        try:
            identity = services.identity_reveal(
                user=request.user, case=case, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            if identity is None:
                messages.info(request, _("Voor deze casus is geen identiteit vastgelegd."))
    status = 200 if form.is_valid() else 400
    return render(
        request,
        "cases/case_detail.html",
        _detail_context(request, case, reveal_form=form, identity=identity),
        status=status,
    )


@never_cache
@access.requires("cases.view")
def identity_edit(request, number: str):
    case = selectors.case_get_for_user(request.user, number, for_change="identity")
    form = IdentityForm(request.POST or None, prefix="kluis")
    if request.method == "POST" and form.is_valid():
        services.identity_set(user=request.user, case=case, identity=form.to_identity())
        messages.success(request, _("De identiteit is versleuteld opgeslagen in de kluis."))
        return redirect("cases:detail", case.number)
    return render(request, "cases/identity_edit.html", {"case": case, "form": form})
