"""Booking a piket consult from a case, its confirmation, and the advocaat's day."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from accounts import access
from cases import selectors as case_selectors
from piket import selectors
from piket.forms.booking import BookingForm
from piket.services.booking import SlotTaken, consult_book


def _show_errors(form, exc: ValidationError) -> None:
    """A service's error on the form: on its field when the form has one, else on top."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@never_cache
@access.requires("piket.book")
def book(request, number: str):
    case = case_selectors.case_get_for_user(request.user, number)
    if not case_selectors.can_edit_case(request.user, case):
        raise PermissionDenied
    areas = selectors.case_legal_areas(case)
    initial = {"callback_number": request.user.phone}
    form = BookingForm(request.POST or None, legal_areas=areas, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.booking_data()
        subproblem = case.subproblems.filter(legal_area=data["legal_area"]).order_by("position")
        try:
            consult = consult_book(
                user=request.user, case=case, subproblem=subproblem.first(), **data
            )
        except SlotTaken as exc:
            form.add_error("slot", exc)
            status = 409
        except ValidationError as exc:
            _show_errors(form, exc)
        else:
            return redirect("piket:booked", consult.pk)
    options = selectors.booking_options(case, legal_areas=areas)
    context = {"case": case, "form": form, "options": options}
    return render(request, "piket/booking/book.html", context, status=status)


@never_cache
@access.requires("piket.book")
def booked(request, pk: int):
    consult = selectors.consult_get_for_booker(request.user, pk)
    return render(request, "piket/booking/booked.html", {"consult": consult})


def _day_from(value: str | None) -> tuple[date, bool]:
    """The requested local day (?dag=2026-11-24), or today; and whether the value was valid."""
    if value:
        try:
            return date.fromisoformat(value), True
        except ValueError:
            return timezone.localdate(), False
    return timezone.localdate(), True


@never_cache
@access.requires("piket.serve")
def day(request):
    """The advocaat's shifts of one day and a preparation card per consult."""
    shown, valid = _day_from(request.GET.get("dag"))
    context = {
        "day": shown,
        "bad_day": not valid,
        "today": timezone.localdate(),
        "previous": shown - timedelta(days=1),
        "next": shown + timedelta(days=1),
        "shifts": selectors.shifts_of_advocaat(request.user, shown),
        "consults": selectors.consults_of_advocaat(request.user, shown),
    }
    return render(request, "piket/booking/day.html", context)
