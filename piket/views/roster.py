"""Rosters, duty, the week view, the capacity overview and the monthly statements."""

from __future__ import annotations

import csv
from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access
from accounts.forms import add_service_error
from piket import selectors
from piket.forms.roster import (
    AdvocaatProfileForm,
    AssignForm,
    MonthForm,
    RosterExceptionForm,
    RosterForm,
    SwapOfferForm,
)
from piket.models import Shift
from piket.services import duty
from piket.services import roster as services

MANAGE = "piket.manage"


def _error(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# ---------------------------------------------------------------- rosters


@access.requires(MANAGE)
def roster_list(request):
    context = {
        "rosters": selectors.rosters_for(request.user),
        "locations": selectors.manageable_locations(request.user),
        "can_change_rules": selectors.can_change_piket_rules(request.user),
    }
    return render(request, "piket/roster/list.html", context)


def _roster_form(request, roster=None):
    locations = selectors.manageable_locations(request.user)
    form = RosterForm(request.POST or None, locations=locations, roster=roster)
    if request.method == "POST" and form.is_valid():
        try:
            if roster is None:
                roster = services.roster_create(user=request.user, data=form.cleaned_data)
            else:
                roster = services.roster_update(
                    user=request.user, roster=roster, data=form.cleaned_data
                )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Het piketmoment is opgeslagen; de diensten staan klaar."))
            return redirect("piket:rosters")
    return render(request, "piket/roster/form.html", {"form": form, "roster": roster})


@access.requires(MANAGE)
def roster_new(request):
    return _roster_form(request)


@access.requires(MANAGE)
def roster_edit(request, pk: int):
    return _roster_form(request, selectors.roster_get_for_user(request.user, pk, for_change=True))


@require_POST
@access.requires(MANAGE)
def roster_deactivate(request, pk: int):
    roster = selectors.roster_get_for_user(request.user, pk, for_change=True)
    try:
        services.roster_deactivate(user=request.user, roster=roster)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Het piketmoment is gedeactiveerd."))
    return redirect("piket:rosters")


@access.requires(MANAGE)
def exception_new(request):
    rosters = selectors.rosters_for(request.user)
    form = RosterExceptionForm(
        request.POST or None,
        locations=selectors.manageable_locations(request.user),
        rosters=rosters,
        initial={"roster": request.GET.get("rooster")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.roster_exception_create(user=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request, _("De uitzondering is vastgelegd en verwerkt in de diensten.")
            )
            return redirect("piket:rosters")
    return render(request, "piket/roster/exception_form.html", {"form": form})


# ---------------------------------------------------------------- duty


@access.requires(MANAGE)
def shift_detail(request, pk: int):
    shift = selectors.shift_get_for_user(request.user, pk, for_change=True)
    form = AssignForm(request.POST or None, location=shift.location)
    if request.method == "POST" and form.is_valid():
        try:
            duty.assignment_create(
                user=request.user, shift=shift, advocaat=form.cleaned_data["advocaat"]
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("De advocaat is ingedeeld."))
            return redirect("piket:shift", pk=shift.pk)
    context = {"shift": shift, "form": form, **selectors.shift_duty(shift)}
    return render(request, "piket/roster/shift.html", context)


@require_POST
@access.requires("piket.serve")
def shift_sign_up(request, pk: int):
    shift = selectors.shift_get_for_user(request.user, pk, for_change="sign_up")
    try:
        duty.shift_sign_up(user=request.user, shift=shift)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("U bent aangemeld voor deze piketdienst."))
    return redirect(_week_url(shift))


@require_POST
@access.requires_any("piket.serve", MANAGE)
def assignment_remove(request, pk: int):
    assignment = selectors.assignment_get_for_user(request.user, pk, for_change=True)
    try:
        duty.assignment_remove(user=request.user, assignment=assignment)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("De advocaat is van de dienst gehaald."))
    if selectors.can_manage_shift(request.user, assignment.shift):
        return redirect("piket:shift", pk=assignment.shift_id)
    return redirect("piket:profile")


@access.requires("piket.serve")
def swap_offer(request, pk: int):
    assignment = selectors.assignment_get_for_user(request.user, pk, for_change="swap")
    form = SwapOfferForm(
        request.POST or None, user=request.user, location=assignment.shift.location
    )
    if request.method == "POST" and form.is_valid():
        try:
            duty.swap_offer(
                user=request.user,
                assignment=assignment,
                to_advocaat=form.cleaned_data["to_advocaat"],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Uw collega krijgt de dienst aangeboden, ook per e-mail."))
            return redirect("piket:profile")
    return render(request, "piket/roster/swap_offer.html", {"form": form, "assignment": assignment})


@require_POST
@access.requires("piket.serve")
def swap_answer(request, pk: int, answer: str):
    if answer not in ("accepteren", "afwijzen"):
        raise Http404
    swap = selectors.swap_get_for_user(request.user, pk, for_change=True)
    try:
        if answer == "accepteren":
            duty.swap_accept(user=request.user, swap=swap)
            messages.success(request, _("U heeft de dienst overgenomen."))
        else:
            duty.swap_decline(user=request.user, swap=swap)
            messages.success(request, _("U heeft het aanbod afgewezen."))
    except ValidationError as exc:
        _error(request, exc)
    return redirect("piket:profile")


# ---------------------------------------------------------------- profiles


@access.requires("piket.serve")
def profile(request):
    return render(request, "piket/roster/profile.html", selectors.advocaat_piket(request.user))


@access.requires(MANAGE)
def profile_list(request):
    advocaten = selectors.advocaten_visible_to(request.user).select_related("piket_profile")
    return render(request, "piket/roster/profiles.html", {"advocaten": advocaten})


@access.requires(MANAGE)
def profile_edit(request, user_id: int):
    advocaat = selectors.advocaat_get_for_user(request.user, user_id, for_change=True)
    form = AdvocaatProfileForm(request.POST or None, profile=selectors.piket_profile_of(advocaat))
    if request.method == "POST" and form.is_valid():
        try:
            duty.advocaat_profile_save(user=request.user, advocaat=advocaat, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Het piketprofiel is opgeslagen."))
            return redirect("piket:profiles")
    return render(request, "piket/roster/profile_form.html", {"form": form, "advocaat": advocaat})


# ---------------------------------------------------------------- week view


def _week_url(shift: Shift) -> str:
    year, week, _day = shift.date.isocalendar()
    return f"{reverse('piket:week')}?locatie={shift.location_id}&week={year}-W{week:02d}"


def _monday(value: str | None) -> date:
    today = timezone.localdate()
    if value:
        try:
            year, week = value.upper().split("-W")
            return date.fromisocalendar(int(year), int(week), 1)
        except ValueError:
            pass
    return today - timedelta(days=today.weekday())


@access.requires_any("piket.book", "piket.serve", MANAGE)
def week(request):
    locations = selectors.week_locations(request.user)
    location = selectors.week_location_get_for_user(request.user, request.GET.get("locatie"))
    asked = request.GET.get("week")
    monday = _monday(asked) if asked else selectors.week_to_open(location)

    def iso(day: date) -> str:
        year, number, _day = day.isocalendar()
        return f"{year}-W{number:02d}"

    context = {
        "locations": locations,
        "location": location,
        "monday": monday,
        "sunday": monday + timedelta(days=6),
        "week": iso(monday),
        "previous": iso(monday - timedelta(days=7)),
        "next": iso(monday + timedelta(days=7)),
        "rows": selectors.week_rows(request.user, location, monday),
        "may_manage": selectors.can_manage_location(request.user, location),
    }
    template = "piket/roster/_week_table.html" if request.htmx else "piket/roster/week.html"
    return render(request, template, context)


# ---------------------------------------------------------------- capacity and statements


@access.requires(MANAGE)
def capacity(request):
    month_form = MonthForm(request.GET or None)
    year, month = month_form.month()
    context = {
        "month_form": month_form,
        "month": date(year, month, 1),
        "overview": selectors.capacity_overview(request.user, year, month),
    }
    return render(request, "piket/roster/capacity.html", context)


def _months(count: int = 12) -> list[date]:
    first = timezone.localdate().replace(day=1)
    months = []
    for _i in range(count):
        months.append(first)
        first = (first - timedelta(days=1)).replace(day=1)
    return months


@access.requires(MANAGE)
def statements(request):
    context = {
        "months": _months(),
        "personal": False,
        "commitments": selectors.commitments(selectors.advocaten_visible_to(request.user)),
    }
    return render(request, "piket/roster/statements.html", context)


@access.requires("piket.serve")
def my_statements(request):
    context = {
        "months": _months(),
        "personal": True,
        "commitments": selectors.commitments([request.user]),
    }
    return render(request, "piket/roster/statements.html", context)


def _csv(rows, year: int, month: int, name: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-{year}-{month:02d}.csv"'
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("Advocaat"),
            _("Dagdelen van dienst"),
            _("Toegezegde dagdelen"),
            _("Consulten gehouden"),
            _("Niet doorgegaan"),
            _("Niet bereikt"),
        ]
    )
    for row in rows:
        writer.writerow(
            [
                row.advocaat.full_name or row.advocaat.email,
                row.half_days_served,
                row.half_days_committed,
                row.held,
                row.no_shows,
                row.not_reached,
            ]
        )
    return response


def _valid_month(year: int, month: int) -> None:
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise Http404


@access.requires(MANAGE)
def statement(request, year: int, month: int):
    _valid_month(year, month)
    rows = selectors.statement_rows(selectors.advocaten_visible_to(request.user), year, month)
    return _csv(rows, year, month, "piketoverzicht")


@access.requires("piket.serve")
def my_statement(request, year: int, month: int):
    _valid_month(year, month)
    rows = selectors.statement_rows([request.user], year, month)
    return _csv(rows, year, month, "mijn-piketoverzicht")
