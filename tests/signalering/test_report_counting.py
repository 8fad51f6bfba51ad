"""The beat task that keeps the month reports' counts warm: preparing a meeting reads them from
the cache instead of counting (seconds per location at 1M cases)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from signalering.report import month_report
from signalering.tasks import count_month_reports
from tests.signalering.factories import SeriesFactory


def _last_month():
    return (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)


def test_the_task_counts_every_active_series_once(utrecht, amsterdam):
    SeriesFactory(location=utrecht)
    SeriesFactory(location=utrecht, name="Tweede overleg Utrecht")  # the same scope: counted once
    SeriesFactory(location=amsterdam, is_active=False)
    assert count_month_reports() == 1


def test_after_the_task_last_months_report_comes_from_the_cache(
    utrecht, amsterdam, django_assert_num_queries
):
    SeriesFactory(location=utrecht)
    SeriesFactory(location=amsterdam)
    count_month_reports()
    for location in (utrecht, amsterdam):
        with django_assert_num_queries(2):  # the location's counts and the national ones
            month_report(locations=[location], month=_last_month())
