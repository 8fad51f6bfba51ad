"""Who sees what of the signaleringsoverleg, per location and per relation to the series; and
the meeting page and action list in a fixed number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from signalering import selectors, services
from tests.signalering.factories import at, month_start

pytestmark = pytest.mark.django_db

SECRET = "Vertrouwelijk punt over de samenwerking"
PUBLIC = "Openbaar punt over wachttijden"


@pytest.fixture
def approved(meeting, carla, anna):
    services.agenda_item_add(user=carla, meeting=meeting, title=SECRET, is_confidential=True)
    item = services.agenda_item_add(user=carla, meeting=meeting, title=PUBLIC)
    services.agenda_item_minute(
        user=carla,
        item=item,
        minutes="Besproken met iedereen.",
        is_confidential=False,
        is_done=True,
    )
    services.minutes_approve(user=carla, meeting=meeting)
    return meeting


def test_members_of_the_location_see_approved_minutes_without_confidential_items(
    login, approved, bart
):
    page = login(bart).get(reverse("signalering:meeting", args=[approved.pk])).content.decode()
    assert PUBLIC in page and "Besproken met iedereen." in page
    assert SECRET not in page


def test_participants_see_the_confidential_items(login, approved, anna):
    page = login(anna).get(reverse("signalering:meeting", args=[approved.pk])).content.decode()
    assert SECRET in page and PUBLIC in page


def test_draft_minutes_are_for_participants_only(login, meeting, carla, anna, bart):
    item = services.agenda_item_add(user=carla, meeting=meeting, title=PUBLIC)
    services.agenda_item_minute(
        user=carla,
        item=item,
        minutes="Concepttekst van het verslag.",
        is_confidential=False,
        is_done=False,
    )
    url = reverse("signalering:meeting", args=[meeting.pk])
    assert "Concepttekst van het verslag." in login(anna).get(url).content.decode()
    page = login(bart).get(url).content.decode()
    assert "Concepttekst van het verslag." not in page
    assert "Het verslag is te lezen zodra de voorzitter het heeft vastgesteld." in page
    assert login(bart).get(reverse("signalering:minutes_pdf", args=[meeting.pk])).status_code == 404
    assert login(bart).get(reverse("signalering:item", args=[item.pk])).status_code == 403


def test_another_locations_members_get_404_and_researchers_403(
    login, approved, cor, eva, olga, bea
):
    url = reverse("signalering:meeting", args=[approved.pk])
    assert login(cor).get(url).status_code == 404
    assert login(eva).get(url).status_code == 404
    assert login(olga).get(url).status_code == 403
    assert login(bea).get(url).status_code == 403
    assert selectors.meetings_visible_to(olga).count() == 0


def test_a_confidential_item_is_404_for_a_non_participant(login, approved, bart, anna):
    secret = approved.items.get(title=SECRET)
    assert login(bart).get(reverse("signalering:item", args=[secret.pk])).status_code == 404
    assert login(anna).get(reverse("signalering:item", args=[secret.pk])).status_code == 200


def test_only_coordinators_of_the_location_manage_the_series(login, series, anna, cor, carla):
    url = reverse("signalering:meeting_new", args=[series.pk])
    assert login(anna).get(url).status_code == 403
    assert login(cor).get(url).status_code == 404
    assert login(carla).get(url).status_code == 200


def test_a_participant_from_elsewhere_sees_the_series(login, series, carla, cor):
    services.series_member_add(user=carla, series=series, member_user=cor)
    assert login(cor).get(reverse("signalering:series", args=[series.pk])).status_code == 200


def _fill(meeting, user, count):
    owner = meeting.series.members.get(user=user)
    for n in range(count):
        item = services.agenda_item_add(user=user, meeting=meeting, title=f"Punt {n}")
        services.decision_add(user=user, item=item, text=f"Besluit {n}")
        services.action_add(
            user=user,
            item=item,
            description=f"Actie {n}",
            owner=owner,
            due_date=meeting.date + datetime.timedelta(days=n),
        )


def test_the_meeting_page_and_action_list_take_a_fixed_number_of_queries(
    login, series, meeting, carla, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(carla)
    later = services.meeting_plan(
        user=carla, series=series, starts_at=at(month_start(1).replace(day=9))
    )
    _fill(meeting, carla, 2)
    _fill(later, carla, 2)
    counts = {}
    for url in (
        reverse("signalering:meeting", args=[later.pk]),
        reverse("signalering:actions"),
        reverse("signalering:actions") + "?alle=1",
    ):
        with CaptureQueriesContext(connection) as few:
            assert client.get(url).status_code == 200
        counts[url] = len(few)
    _fill(meeting, carla, 8)
    _fill(later, carla, 8)
    for url, count in counts.items():
        with django_assert_max_num_queries(count):
            assert client.get(url).status_code == 200
