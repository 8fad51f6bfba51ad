"""The research dashboards: the pilot's figures as charts, tables and CSV, suppressed for
researchers (research.figures, research.suppression)."""

from __future__ import annotations

import csv

from django.http import Http404, HttpResponse
from django.shortcuts import render

from accounts import access
from research import figures
from research.forms.dashboards import DashboardFilterForm


def _board(request) -> tuple[DashboardFilterForm, figures.Dashboard]:
    options = figures.options_for(request.user)
    form = DashboardFilterForm(request.GET or None, options=options)
    return form, figures.dashboard(options, form.filters())


@access.requires(figures.CAPABILITY)
def dashboard(request):
    form, board = _board(request)
    return render(request, "research/dashboard.html", {"form": form, "dashboard": board})


@access.requires(figures.CAPABILITY)
def dashboard_csv(request):
    """One table (`?tabel=<slug>`) or all of them, as the page shows them: suppressed alike."""
    _form, board = _board(request)
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
