"""The second line: consult an advocaat, record the advice, warm handover and its inbox."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts import access
from accounts.forms import add_service_error
from cases import selectors
from cases.forms.secondline import (
    AdviceForm,
    ConsultForm,
    DeclineForm,
    HandoverForm,
    advice_formset,
)
from cases.services import secondline as services


@never_cache
@access.requires("cases.view")
def consult(request, number: str):
    case = selectors.case_get_for_user(request.user, number, for_change=True)
    advocaten = selectors.consult_advocaten_for(case)
    form = ConsultForm(request.POST or None, advocaten=advocaten)
    if request.method == "POST" and form.is_valid():
        try:
            services.consult_request(user=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            name = form.cleaned_data["advocaat"].full_name
            messages.success(request, _("%(name)s kan de casus nu inzien.") % {"name": name})
            return redirect("cases:detail", case.number)
    consulted = selectors.consulted_advocaten(case)
    context = {"case": case, "form": form, "consulted": consulted}
    return render(request, "cases/secondline/consult.html", context)


@never_cache
@access.requires("cases.view")
def advice(request, number: str, position: int):
    subproblem = selectors.subproblem_get_for_user(
        request.user, number, position, for_change="advise"
    )
    case = subproblem.case
    social_map = list(selectors.advice_social_map(case))
    initial = AdviceForm.initial_from(selectors.own_advice(request.user, subproblem))
    form = AdviceForm(request.POST or None, initial=initial, social_map=social_map)
    if request.method == "POST" and form.is_valid():
        try:
            services.advice_record(user=request.user, subproblem=subproblem, data=form.to_data())
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Uw advies is vastgelegd."))
            return redirect("cases:detail", case.number)
    context = {"case": case, "sub": subproblem, "form": form}
    return render(request, "cases/secondline/advice.html", context)


@never_cache
@access.requires("cases.view")
def advice_all(request, number: str):
    """One form for the advice on every sub-problem, e.g. right after a piket call."""
    case = selectors.case_get_for_user(request.user, number, for_change="advise")
    subproblems = selectors.subproblems_with_own_advice(request.user, case)
    social_map = list(selectors.advice_social_map(case))
    formset = advice_formset(len(subproblems))(
        request.POST or None,
        prefix="advies",
        initial=[AdviceForm.initial_from(sub.own_advice) for sub in subproblems],
        form_kwargs={"social_map": social_map},
    )
    error = None
    if request.method == "POST" and formset.is_valid():
        pairs = [(sub, form.to_data()) for sub, form in zip(subproblems, formset, strict=True)]
        try:
            services.advice_record_all(user=request.user, case=case, advice=pairs)
        except ValidationError as exc:
            error = exc
        else:
            messages.success(request, _("Uw advies is vastgelegd."))
            return redirect("cases:detail", case.number)
    rows = list(zip(subproblems, formset, strict=False))
    context = {"case": case, "formset": formset, "rows": rows, "error": error}
    return render(request, "cases/secondline/advice_all.html", context)


@never_cache
@access.requires("cases.view")
def handover(request, number: str):
    case = selectors.case_get_for_user(request.user, number, for_change="hand_over")
    form = HandoverForm(
        request.POST or None,
        receivers=selectors.handover_receivers_for(case),
        advocaten=selectors.handover_advocaten(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.handover_create(user=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("De overdracht is verstuurd."))
            return redirect("cases:detail", case.number)
    return render(request, "cases/secondline/handover.html", {"case": case, "form": form})


@never_cache
@access.requires("cases.view")
def handover_inbox(request):
    return render(request, "cases/secondline/handovers.html", _inbox_context(request))


def _inbox_context(request, failed=None, decline_form=None) -> dict:
    return {
        "pending": list(selectors.pending_handovers_for(request.user).order_by("created_at")),
        "to_pick_up": list(selectors.handovers_to_pick_up(request.user)),
        "not_picked_up": list(selectors.handovers_not_picked_up(request.user)),
        "sent": list(selectors.handovers_sent_by(request.user)[:50]),
        "working_days": settings.HANDOVER_PICK_UP_WORKING_DAYS,
        "failed": failed,
        "decline_form": decline_form,
    }


@require_POST
@access.requires("cases.view")
def handover_decide(request, pk: int):
    handover = selectors.handover_get_for_user(request.user, pk, for_change=True)
    if request.POST.get("decision") == "accept":
        try:
            services.handover_accept(user=request.user, handover=handover)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("cases:handovers")
        messages.success(request, _("U heeft de overdracht geaccepteerd."))
        return redirect("cases:detail", handover.case.number)
    form = DeclineForm(request.POST)
    if form.is_valid():
        reason = form.cleaned_data["decline_reason"]
        try:
            services.handover_decline(user=request.user, handover=handover, reason=reason)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("U heeft de overdracht afgewezen."))
            return redirect("cases:handovers")
    context = _inbox_context(request, failed=handover, decline_form=form)
    return render(request, "cases/secondline/handovers.html", context, status=400)


@require_POST
@access.requires("cases.view")
def handover_pick_up(request, pk: int):
    """The receiver confirms contact with the client ("opgepakt")."""
    handover = selectors.handover_get_for_user(request.user, pk, for_change="pick_up")
    try:
        services.handover_pick_up(user=request.user, handover=handover)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Vastgelegd: u heeft contact met de rechtzoekende."))
    if request.POST.get("terug") == "overdrachten":
        return redirect("cases:handovers")
    return redirect("cases:detail", handover.case.number)


@never_cache
@access.requires("cases.view")
def handover_letter(request, pk: int):
    """The printable referral letter ("verwijsbrief"): what was found, advised and asked; the
    client's identity only when they consented to sharing it (the read is audited)."""
    handover = selectors.handover_get_for_user(request.user, pk, for_change="letter")
    identity = services.referral_letter_read(user=request.user, handover=handover)
    context = {
        "handover": handover,
        "case": handover.case,
        "subproblems": selectors.subproblems_with_advice(handover.case),
        "identity": identity,
    }
    return render(request, "cases/secondline/referral_letter.html", context)
