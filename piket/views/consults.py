"""Pages of a booked consult (detail, cancel, move, held, no-show, not reached), the personal
calendar feed and the waitlist."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts import access
from accounts.forms import add_service_error
from cases import selectors as case_selectors
from cases.forms.secondline import AdviceForm, advice_formset
from piket import ics, selectors
from piket.forms.consults import CancelForm, MoveForm, WaitlistJoinForm
from piket.models import Consult
from piket.services import advice, changes, notifications, waitlist

PIKET_ROLES = ("piket.book", "piket.serve", "piket.manage")


@never_cache
@access.requires_any(*PIKET_ROLES)
def consult_detail(request, pk: int):
    consult = selectors.consult_get_for_user(request.user, pk)
    return render(request, "piket/consults/detail.html", _detail_context(request.user, consult))


def _detail_context(user, consult: Consult) -> dict:
    actions = selectors.consult_actions(user, consult)
    return {
        "consult": consult,
        "is_advocaat": actions.is_advocaat,
        "can_change": actions.can_change,
        "cutoff": selectors.consult_cutoff(consult),
        "can_mark_after": actions.can_mark_after,
        "can_mark_not_reached": actions.can_mark_not_reached,
        "is_booker": actions.is_booker,
        "can_record_advice": actions.is_advocaat and consult.status == Consult.Status.HELD,
        "has_advice": selectors.consult_has_advice(consult),
        "not_reached_from": selectors.not_reached_from(consult),
        "referral_rule": selectors.referral_rule_applies(consult.case, consult.advocaat),
    }


@never_cache
@access.requires_any(*PIKET_ROLES)
def consult_cancel(request, pk: int):
    consult = selectors.consult_get_for_user(request.user, pk, for_change=True)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            changes.consult_cancel(
                user=request.user, consult=consult, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Het consult is geannuleerd; beide krijgen bericht."))
            return redirect("piket:consult", consult.pk)
    context = {"consult": consult, "form": form, **_change_context(request.user, consult)}
    return render(request, "piket/consults/cancel.html", context)


def _change_context(user, consult: Consult) -> dict:
    return {"can_change": selectors.can_change_consult(user, consult)}


@never_cache
@access.requires_any(*PIKET_ROLES)
def consult_move(request, pk: int):
    consult = selectors.consult_get_for_user(request.user, pk, for_change=True)
    slots = selectors.free_slots(legal_area=consult.legal_area, location=consult.case.location)
    form = MoveForm(request.POST or None, slots=slots)
    if request.method == "POST" and form.is_valid():
        try:
            new = changes.consult_move(
                user=request.user,
                consult=consult,
                slot_key=form.cleaned_data["slot"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Het consult is verplaatst. Beide kanten krijgen bericht."))
            return redirect("piket:consult", new.pk)
    context = {
        "consult": consult,
        "form": form,
        "slots": slots,
        **_change_context(request.user, consult),
    }
    return render(request, "piket/consults/move.html", context)


@require_POST
@access.requires_any(*PIKET_ROLES)
def consult_held(request, pk: int):
    consult = selectors.consult_get_for_user(request.user, pk, for_change="advocaat")
    try:
        changes.consult_mark_held(user=request.user, consult=consult)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("piket:consult", consult.pk)
    messages.success(request, _("Vastgelegd: het consult is gehouden. Leg nu uw advies vast."))
    return redirect("piket:consult_advice", consult.pk)


@never_cache
@access.requires_any(*PIKET_ROLES)
def consult_advice(request, pk: int):
    """The advice of a held consult, one form per sub-problem it was about."""
    consult = selectors.consult_get_for_user(request.user, pk, for_change="advice")
    subproblems = selectors.consult_subproblems(consult)
    formset = advice_formset(len(subproblems))(
        request.POST or None,
        prefix="advies",
        initial=[AdviceForm.initial_from(sub.consult_advice) for sub in subproblems],
        form_kwargs={"social_map": list(case_selectors.advice_social_map(consult.case))},
    )
    error = None
    if request.method == "POST" and formset.is_valid():
        pairs = [(sub, form.to_data()) for sub, form in zip(subproblems, formset, strict=True)]
        try:
            advice.consult_advice_record(user=request.user, consult=consult, advice=pairs)
        except ValidationError as exc:
            error = exc
        else:
            messages.success(request, _("Uw advies bij dit consult is vastgelegd."))
            return redirect("piket:consult", consult.pk)
    context = {
        "consult": consult,
        "case": consult.case,
        "formset": formset,
        "rows": list(zip(subproblems, formset, strict=False)),
        "error": error,
        "is_held": consult.status == Consult.Status.HELD,
    }
    return render(request, "piket/consults/advice.html", context)


@require_POST
@access.requires_any(*PIKET_ROLES)
def consult_no_show(request, pk: int):
    consult = selectors.consult_get_for_user(request.user, pk, for_change="advocaat")
    try:
        changes.consult_mark_no_show(user=request.user, consult=consult)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Vastgelegd: het consult is niet doorgegaan."))
    return redirect("piket:consult", consult.pk)


@require_POST
@access.requires_any(*PIKET_ROLES)
def consult_not_reached(request, pk: int):
    consult = selectors.consult_get_for_user(request.user, pk, for_change="booker")
    try:
        replacement = changes.consult_mark_not_reached(user=request.user, consult=consult)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("piket:consult", consult.pk)
    messages.success(request, _("Vastgelegd: de advocaat was niet bereikbaar."))
    return redirect("piket:consult", (replacement or consult).pk)


@never_cache
@access.requires("piket.book")
def my_consults(request):
    """The worker's own consults: still to come (with their actions) and past ones."""
    upcoming, past = selectors.my_consults(request.user)
    page = Paginator(past, 25).get_page(request.GET.get("pagina"))
    rows = selectors.consult_rows(request.user, page.object_list)
    context = {"upcoming": upcoming, "page": page, "past": rows}
    return render(request, "piket/consults/my_consults.html", context)


# ---------------------------------------------------------------- calendar feed


@never_cache
@access.requires_any("piket.book", "piket.serve")
def calendar(request):
    """A new feed link is shown in the answer to the POST that made it, once: only its hash is
    kept (not in the session either), and the page is never cached."""
    token = None
    if request.method == "POST":
        token = notifications.calendar_feed_renew(user=request.user)
    context = {
        "has_feed": selectors.has_calendar_feed(request.user),
        "feed_url": token and settings.SITE_URL + reverse("piket:feed", args=[token]),
    }
    return render(request, "piket/consults/calendar.html", context)


@login_not_required
@never_cache
def feed(request, token: str):
    """The user's shifts and consults as iCalendar: time, legal area, location and a link."""
    owner_id = selectors.calendar_feed_owner(token)
    if owner_id is None:
        raise Http404
    body = ics.feed_ics(**selectors.calendar_items(owner_id))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="piket.ics"'
    return response


# ---------------------------------------------------------------- waitlist


@never_cache
@access.requires("piket.book")
def waitlist_page(request):
    context = {"entries": selectors.waitlist_of(request.user), "now": timezone.now()}
    return render(request, "piket/consults/waitlist.html", context)


@never_cache
@access.requires("piket.book")
def waitlist_join(request, number: str):
    case = case_selectors.case_get_for_user(request.user, number, for_change="book")
    areas = selectors.case_legal_areas(case)
    form = WaitlistJoinForm(request.POST or None, legal_areas=areas)
    if request.method == "POST" and form.is_valid():
        try:
            waitlist.waitlist_join(user=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request, _("U staat op de wachtlijst. Komt er een plek vrij, dan mailen we u.")
            )
            return redirect("piket:waitlist")
    return render(request, "piket/consults/waitlist_join.html", {"case": case, "form": form})


@require_POST
@access.requires("piket.book")
def waitlist_accept(request, pk: int):
    entry = selectors.waitlist_entry_get_for_user(request.user, pk, for_change=True)
    try:
        consult = waitlist.waitlist_accept(user=request.user, entry=entry)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("piket:waitlist")
    messages.success(request, _("Het consult is geboekt. Beide kanten krijgen een bevestiging."))
    return redirect("piket:consult", consult.pk)


@require_POST
@access.requires("piket.book")
def waitlist_leave(request, pk: int):
    entry = selectors.waitlist_entry_get_for_user(request.user, pk, for_change=True)
    try:
        waitlist.waitlist_leave(user=request.user, entry=entry)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("U staat niet meer op de wachtlijst."))
    return redirect("piket:waitlist")
