"""The prepared month report (signalering.report)."""

from __future__ import annotations

from datetime import date

import pytest
from django.template.loader import render_to_string

from signalering.report import MonthReport, month_report
from tests.accounts.factories import LocationFactory

pytestmark = pytest.mark.django_db


def test_an_empty_month_reports_zeros_as_small_and_round_trips():
    location = LocationFactory()
    report = month_report(locations=[location], month=date(2026, 3, 1))
    assert MonthReport.from_json(report.to_json()) == report
    html = render_to_string("signalering/_month_report.html", {"report": report})
    assert "&lt;5" in html
