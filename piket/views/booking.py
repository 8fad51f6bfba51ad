"""Booking a piket consult from a case, its confirmation, and the advocaat's day."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from accounts import access
from accounts.forms import add_service_error
from cases import related
from cases import selectors as case_selectors
from cases.content import names_cases_only
from piket import selectors
from piket.forms.booking import BookingForm
from piket.services.booking import SlotTaken, consult_book


@never_cache
@access.requires("piket.book")
def book(request, number: str):
    case = case_selectors.case_get_for_user(request.user, number, for_change="book")
    areas = selectors.case_legal_areas(case)
    initial = {"callback_number": request.user.phone}
    form = BookingForm(request.POST or None, legal_areas=areas, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.booking_data()
        subproblem = selectors.first_subproblem_in(case, data["legal_area"])
        try:
            consult = consult_book(user=request.user, case=case, subproblem=subproblem, **data)
        except SlotTaken as exc:
            # Lost a race: many may lose it at once, so the answer is quick and the page loads
            # the next free times afterwards (booking_slots), keeping what was typed.
            form.add_error("slot", exc)
            context = {"case": case, "form": form, "options": None}
            return render(request, "piket/booking/book.html", context, status=409)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            return redirect("piket:booked", consult.pk)
    options = selectors.booking_options(case, legal_areas=areas)
    context = {"case": case, "form": form, "options": options}
    return render(request, "piket/booking/book.html", context)


@names_cases_only  # free times only: nothing of the case is shown
@never_cache
@access.requires("piket.book")
def booking_slots(request, number: str):
    """htmx: the free times of the booking page, after a slot was taken a moment ago."""
    case = case_selectors.case_get_for_user(request.user, number, for_change="book")
    options = selectors.booking_options(case)
    return render(request, "piket/booking/_slots.html", {"case": case, "options": options})


@never_cache
@access.requires("piket.book")
def booked(request, pk: int):
    consult = selectors.consult_get_for_user(request.user, pk)
    return render(request, "piket/booking/booked.html", {"consult": consult})


def _day_from(user, value: str | None) -> tuple[date, bool, bool]:
    """The requested local day (?dag=2026-11-24); without one, today or, when today has
    nothing, the advocaat's next day with a shift or consult. Also whether the value was valid,
    and whether the page skipped to that next day."""
    today = timezone.localdate()
    if value:
        try:
            return date.fromisoformat(value), True, False
        except ValueError:
            return today, False, False
    shown = selectors.next_piket_day(user, today) or today
    return shown, True, shown != today


@never_cache
@access.requires("piket.serve")
def day(request):
    """The advocaat's shifts of one day and a preparation card per consult."""
    shown, valid, skipped = _day_from(request.user, request.GET.get("dag"))
    context = {
        "day": shown,
        "bad_day": not valid,
        "skipped_to_next": skipped,
        "today": timezone.localdate(),
        "now": timezone.now(),
        "previous": shown - timedelta(days=1),
        "next": shown + timedelta(days=1),
        "shifts": selectors.shifts_of_advocaat(request.user, shown),
        "consults": list(selectors.consults_of_advocaat(request.user, shown)),
    }
    related.attach(request.user, [consult.case for consult in context["consults"]])
    return render(request, "piket/booking/day.html", context)
