"""Pages of a booked consult (detail, cancel, move, held, no-show, not reached), the personal
calendar feed and the waitlist."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts import access
from cases import selectors as case_selectors
from cases.models import LegalArea
from piket import ics, selectors
from piket.forms.consults import CancelForm, MoveForm, WaitlistJoinForm
from piket.models import CalendarFeed, Consult, WaitlistEntry
from piket.services import changes, notifications, waitlist

FEED_TOKEN_KEY = "piket_feed_token"


def _show_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _get_consult_for_user(user, pk: int) -> Consult:
    """The consult for the booker's team or its advocaat; 404 for anyone else."""
    consult = get_object_or_404(
        Consult.objects.select_related(
            "case__location", "legal_area", "shift__location", "advocaat", "booked_by"
        ),
        pk=pk,
    )
    if not (changes.is_advocaat_side(user, consult) or changes.is_booker_side(user, consult)):
        raise Http404
    return consult


@never_cache
def consult_detail(request, pk: int):
    consult = _get_consult_for_user(request.user, pk)
    user, now = request.user, timezone.now()
    is_advocaat = changes.is_advocaat_side(user, consult)
    booked = consult.status == Consult.Status.BOOKED
    context = {
        "consult": consult,
        "is_advocaat": is_advocaat,
        "can_change": changes.can_change(user, consult, now),
        "cutoff": changes.cutoff(consult),
        "can_mark_after": is_advocaat and booked and now >= consult.starts_at,
        "can_mark_not_reached": changes.is_booker_side(user, consult)
        and booked
        and now >= changes.not_reached_from(consult),
        "not_reached_from": changes.not_reached_from(consult),
        "referral_rule": changes.referral_rule_applies(consult.case, consult.advocaat),
    }
    return render(request, "piket/consults/detail.html", context)


def _change(request, pk: int, form_class, **form_kwargs):
    consult = _get_consult_for_user(request.user, pk)
    if not changes.can_change(request.user, consult):
        messages.error(request, _("Dit consult kan niet meer worden gewijzigd."))
        return redirect("piket:consult", consult.pk), None, None
    return None, consult, form_class(request.POST or None, **form_kwargs)


@never_cache
def consult_cancel(request, pk: int):
    done, consult, form = _change(request, pk, CancelForm)
    if done:
        return done
    if request.method == "POST" and form.is_valid():
        try:
            changes.consult_cancel(
                user=request.user, consult=consult, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            _show_errors(form, exc)
        else:
            messages.success(request, _("Het consult is geannuleerd; beide krijgen bericht."))
            return redirect("piket:consult", consult.pk)
    return render(request, "piket/consults/cancel.html", {"consult": consult, "form": form})


@never_cache
def consult_move(request, pk: int):
    consult = _get_consult_for_user(request.user, pk)
    slots = selectors.free_slots(legal_area=consult.legal_area, location=consult.case.location)
    done, consult, form = _change(request, pk, MoveForm, slots=slots)
    if done:
        return done
    if request.method == "POST" and form.is_valid():
        try:
            new = changes.consult_move(
                user=request.user,
                consult=consult,
                slot_key=form.cleaned_data["slot"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            _show_errors(form, exc)
        else:
            messages.success(request, _("Het consult is verplaatst. Beide kanten krijgen bericht."))
            return redirect("piket:consult", new.pk)
    context = {"consult": consult, "form": form, "slots": slots}
    return render(request, "piket/consults/move.html", context)


def _mark(service, success: str):
    @require_POST
    def view(request, pk: int):
        consult = _get_consult_for_user(request.user, pk)
        try:
            result = service(user=request.user, consult=consult)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, success)
            if isinstance(result, Consult) and result.pk != consult.pk:
                return redirect("piket:consult", result.pk)
        return redirect("piket:consult", consult.pk)

    return view


consult_held = _mark(
    changes.consult_mark_held, gettext_lazy("Vastgelegd: het consult is gehouden.")
)
consult_no_show = _mark(
    changes.consult_mark_no_show, gettext_lazy("Vastgelegd: het consult is niet doorgegaan.")
)
consult_not_reached = _mark(
    changes.consult_mark_not_reached,
    gettext_lazy("Vastgelegd: de advocaat was niet bereikbaar."),
)


# ---------------------------------------------------------------- calendar feed


@never_cache
def calendar(request):
    if request.method == "POST":
        request.session[FEED_TOKEN_KEY] = notifications.calendar_feed_renew(user=request.user)
        return redirect("piket:calendar")
    token = request.session.pop(FEED_TOKEN_KEY, None)
    context = {
        "has_feed": CalendarFeed.objects.filter(user=request.user).exists(),
        "feed_url": token and settings.SITE_URL + reverse("piket:feed", args=[token]),
    }
    return render(request, "piket/consults/calendar.html", context)


@login_not_required
@never_cache
def feed(request, token: str):
    """The user's shifts and consults as iCalendar: time, legal area, location and a link."""
    found = CalendarFeed.objects.filter(
        token_hash=CalendarFeed.hash_of(token),
        user__is_active=True,  # a deactivated account's feed stops
    ).first()
    if found is None:
        raise Http404
    body = ics.feed_ics(**selectors.calendar_items(found.user_id))
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
    case = case_selectors.case_get_for_user(request.user, number)
    if not case_selectors.can_edit_case(request.user, case):
        raise PermissionDenied
    areas = LegalArea.objects.filter(pk__in=case.subproblems.values("legal_area"))
    form = WaitlistJoinForm(request.POST or None, legal_areas=areas)
    if request.method == "POST" and form.is_valid():
        try:
            waitlist.waitlist_join(user=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            _show_errors(form, exc)
        else:
            messages.success(
                request, _("U staat op de wachtlijst. Komt er een plek vrij, dan mailen we u.")
            )
            return redirect("piket:waitlist")
    return render(request, "piket/consults/waitlist_join.html", {"case": case, "form": form})


def _waitlist_action(service, success: str):
    @require_POST
    @access.requires("piket.book")
    def view(request, pk: int):
        entry = get_object_or_404(WaitlistEntry, pk=pk, requested_by=request.user)
        try:
            result = service(user=request.user, entry=entry)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("piket:waitlist")
        messages.success(request, success)
        if isinstance(result, Consult):
            return redirect("piket:consult", result.pk)
        return redirect("piket:waitlist")

    return view


waitlist_accept = _waitlist_action(
    waitlist.waitlist_accept,
    gettext_lazy("Het consult is geboekt. Beide kanten krijgen een bevestiging."),
)
waitlist_leave = _waitlist_action(
    waitlist.waitlist_leave, gettext_lazy("U staat niet meer op de wachtlijst.")
)
