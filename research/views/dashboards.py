"""The research dashboards: the pilot's figures as charts, tables and CSV, suppressed for
researchers (research.figures, research.suppression).

A request never counts (tens of seconds at the pilot's scale): when the figures of its scope
are not in the cache it asks a worker to count them (research.tasks.count_soon) and answers at
once that they are being counted; the page polls (htmx) and reloads itself when they are in."""

from __future__ import annotations

import csv

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django_htmx.http import HttpResponseClientRefresh

from accounts import access
from research import figures, tasks
from research.forms.dashboards import DashboardFilterForm


def _board(request) -> tuple[DashboardFilterForm, figures.Dashboard]:
    options = figures.options_for(request.user)
    form = DashboardFilterForm(request.GET or None, options=options)
    board = figures.dashboard(options, form.filters())
    if board.pending:
        tasks.count_soon(board.pending)
        board = figures.dashboard(options, form.filters())  # counted already if tasks run eagerly
    return form, board


@access.requires(figures.CAPABILITY)
def dashboard(request):
    form, board = _board(request)
    if request.htmx:  # the poll of a page whose figures were being counted
        return HttpResponse(status=204) if board.pending else HttpResponseClientRefresh()
    return render(request, "research/dashboard.html", {"form": form, "dashboard": board})


@access.requires(figures.CAPABILITY)
def dashboard_csv(request):
    """One table (`?tabel=<slug>`) or all of them, as the page shows them: suppressed alike."""
    _form, board = _board(request)
    if board.pending:
        return render(request, "research/csv_counting.html", {"dashboard": board}, status=202)
    slug = request.GET.get("tabel", "")
    tables = [board.table(slug)] if slug else board.tables()
    if None in tables:
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"onderzoek-{slug or 'cijfers'}-{board.filters.year}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response, delimiter=";")
    for table in tables:
        if not slug:
            writer.writerow([table.title])
        writer.writerow(table.header)
        writer.writerows(table.lines)
        if not slug:
            writer.writerow([])
    return response
