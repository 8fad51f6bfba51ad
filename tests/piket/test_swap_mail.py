"""A shift offered to a colleague reaches them by mail: once, while the offer is open, with the
shift and a link to where they answer it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from piket import tasks
from piket.models import Swap
from piket.services import duty
from tests.piket.factories import (
    AdvocaatProfileFactory,
    AssignmentFactory,
    RosterFactory,
    ShiftFactory,
    advocaat_at,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def bram(utrecht, orgs_utrecht):
    advocaat = advocaat_at(utrecht, email="bram@example.org", full_name="Bram Vis")
    AdvocaatProfileFactory(advocaat=advocaat, legal_areas=["huurrecht"])
    return advocaat


@pytest.fixture
def duty_of_bart(bart, utrecht):
    AdvocaatProfileFactory(advocaat=bart, legal_areas=["huurrecht"])
    shift = ShiftFactory(roster=RosterFactory(location=utrecht, legal_areas=["huurrecht"]))
    return AssignmentFactory(shift=shift, advocaat=bart)


def test_the_colleague_gets_a_mail_when_a_shift_is_offered(
    login, bart, bram, duty_of_bart, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://pilot.example.org"
    client = login(bart)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("piket:swap_offer", args=[duty_of_bart.pk]), {"to_advocaat": bram.pk}
        )

    assert response.status_code == 302
    (mail,) = mailoutbox
    assert mail.to == ["bram@example.org"]
    assert mail.subject.startswith("Piketdienst aangeboden:")
    assert "Bart Smit biedt u een piketdienst aan." in mail.body
    assert "09:00–12:00" in mail.body and "Utrecht" in mail.body and "Huurrecht" in mail.body
    assert "https://pilot.example.org/piket/profiel/" in mail.body
    assert "https://pilot.example.org/piket/profiel/" in mail.alternatives[0][0]
    assert Swap.objects.get().offer_mailed_at is not None


def test_a_retried_task_mails_nothing_twice(bart, bram, duty_of_bart, mailoutbox):
    swap = duty.swap_offer(user=bart, assignment=duty_of_bart, to_advocaat=bram)

    tasks.send_swap_offer.delay(swap.pk)
    tasks.send_swap_offer.delay(swap.pk)
    tasks.send_swap_offer(swap.pk)

    assert len(mailoutbox) == 1


def test_an_offer_no_longer_open_is_not_mailed(bart, bram, duty_of_bart, mailoutbox):
    swap = Swap.objects.create(assignment=duty_of_bart, to_advocaat=bram)
    duty.swap_decline(user=bram, swap=swap)

    tasks.send_swap_offer(swap.pk)

    assert mailoutbox == []
    assert Swap.objects.get().offer_mailed_at is None


def test_a_failed_offer_mails_nobody(
    login, bart, bram, duty_of_bart, mailoutbox, django_capture_on_commit_callbacks
):
    Swap.objects.create(assignment=duty_of_bart, to_advocaat=bram)  # an offer is already open
    client = login(bart)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            reverse("piket:swap_offer", args=[duty_of_bart.pk]), {"to_advocaat": bram.pk}
        )

    assert response.status_code == 200 and "wacht op het antwoord" in response.text
    assert callbacks == [] and mailoutbox == []
