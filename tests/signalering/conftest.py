"""The signaleringsoverleg's world: Utrecht's series with Carla (coordinator) as chair, Anna as
participant and a guest of the sociale kaart; a meeting last month, ready to be minuted."""

from __future__ import annotations

import pytest

from signalering import services
from signalering.models import SeriesMember
from tests.signalering.factories import GuestFactory, at, month_start


@pytest.fixture
def series(carla, anna, utrecht):
    series = services.series_create(
        user=carla,
        data=services.SeriesData(name="Signaleringsoverleg Utrecht", location=utrecht),
    )
    services.series_member_add(user=carla, series=series, member_user=anna)
    return series


@pytest.fixture
def guest(series) -> SeriesMember:
    return GuestFactory(
        series=series,
        guest_name="Gijs Buurtteam",
        guest_email="gijs@buurtteam.example.org",
        guest_organisation="Buurtteam Utrecht-Noord",
    )


@pytest.fixture
def meeting(series, carla, guest):
    """Last month's meeting, on the 10th (past: its minutes can be approved)."""
    return services.meeting_plan(
        user=carla, series=series, starts_at=at(month_start(2).replace(day=10)), place="Zaal 2"
    )
