"""A decision on the meeting page leads the location's coordinator to the register in one click."""

from __future__ import annotations

from django.urls import reverse

from signalering import services


def test_the_coordinator_sees_make_a_recommendation_beside_a_decision(client, carla, meeting):
    item = services.agenda_item_add(user=carla, meeting=meeting, title="Bereikbaarheid UWV")
    decision = services.decision_add(user=carla, item=item, text="Vaste contactpersoon vragen")
    client.force_login(carla)
    page = client.get(reverse("signalering:meeting", args=[meeting.pk])).content.decode()
    assert reverse("signalering:recommendation_from_decision", args=[decision.pk]) in page


def test_a_participant_who_is_no_coordinator_sees_no_such_link(client, carla, anna, meeting):
    item = services.agenda_item_add(user=carla, meeting=meeting, title="Bereikbaarheid UWV")
    decision = services.decision_add(user=carla, item=item, text="Vaste contactpersoon vragen")
    client.force_login(anna)
    page = client.get(reverse("signalering:meeting", args=[meeting.pk])).content.decode()
    assert reverse("signalering:recommendation_from_decision", args=[decision.pk]) not in page
