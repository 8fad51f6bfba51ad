"""Warm handover, followed up: the receivers get a mail, confirm contact with the client
("opgepakt"), and a handover nobody confirmed within the working days is flagged to the sending
team and the location's coordinators; the receiver can print a referral letter."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from cases import tasks
from cases.models import AuditEntry, Handover, HandoverNotification, LegalArea
from cases.services import notifications
from cases.services import secondline as services
from cases.workdays import working_days_after
from tests.accounts.factories import member
from tests.cases.factories import (
    CaseFactory,
    ClientIdentityFactory,
    HandoverFactory,
    SecondLineAdviceFactory,
    SubProblemFactory,
)

pytestmark = pytest.mark.django_db

LOCAL = ZoneInfo("Europe/Amsterdam")
CONTEXT = "Bezwaar moet binnen twee weken de deur uit; stukken liggen klaar."


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LOCAL)


@pytest.fixture
def case(anna, orgs_utrecht):
    case = CaseFactory(organisation=orgs_utrecht["loket"], registered_by=anna)
    SubProblemFactory(
        case=case,
        legal_area=LegalArea.objects.get(slug="huurrecht"),
        analysis="Huurverhoging boven het maximum; bezwaar kan nog.",
    )
    ClientIdentityFactory(case=case)  # Piet Jansen
    return case


def handover_data(organisation, **extra) -> dict:
    return {"to_organisation": organisation.pk, "context": CONTEXT, "client_consent": "on", **extra}


def hand_over(case, to, *, created_at=None, **fields) -> Handover:
    return HandoverFactory(
        case=case,
        to_organisation=to,
        context=CONTEXT,
        created_at=created_at or timezone.now(),
        **fields,
    )


def pick_up_url(handover) -> str:
    return reverse("cases:handover_pick_up", args=[handover.pk])


def letter_url(handover) -> str:
    return reverse("cases:handover_letter", args=[handover.pk])


# ---------------------------------------------------------------- the receivers get a mail


def test_the_receiving_team_gets_a_mail_without_client_data(
    login,
    anna,
    ravi,
    carla,
    case,
    orgs_utrecht,
    mailoutbox,
    django_capture_on_commit_callbacks,
    settings,
):
    settings.SITE_URL = "https://pilot.example.org"
    member(Role.COORDINATOR, orgs_utrecht["raadslieden"])  # no receiver of cases

    with django_capture_on_commit_callbacks(execute=True):
        response = login(anna).post(
            reverse("cases:handover", args=[case.number]),
            handover_data(orgs_utrecht["raadslieden"]),
        )

    assert response.status_code == 302
    (mail,) = mailoutbox
    assert mail.to == [ravi.email]
    assert case.number in mail.subject and "Het Juridisch Loket Utrecht" in mail.subject
    assert "https://pilot.example.org/casussen/overdrachten/" in mail.body
    for text in (mail.body, mail.alternatives[0][0]):
        assert "Piet" not in text and "Jansen" not in text
        assert CONTEXT not in text and case.question not in text
        assert "Huurverhoging" not in text


def test_a_handover_to_one_advocaat_mails_only_that_advocaat(
    login, anna, bart, case, orgs_utrecht, mailoutbox, django_capture_on_commit_callbacks
):
    member(Role.ADVOCAAT, orgs_utrecht["advocatuur"], email="collega@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        login(anna).post(
            reverse("cases:handover", args=[case.number]),
            handover_data(orgs_utrecht["advocatuur"], to_advocaat=bart.pk),
        )

    assert [mail.to for mail in mailoutbox] == [[bart.email]]
    assert "draagt casus" in mailoutbox[0].body and "aan u over" in mailoutbox[0].body


def test_a_handover_to_a_sociale_advocatuur_mails_its_advocaten(
    bart, case, orgs_utrecht, mailoutbox
):
    colleague = member(Role.ADVOCAAT, orgs_utrecht["advocatuur"], email="collega@example.org")
    handover = hand_over(case, orgs_utrecht["advocatuur"])

    notifications.send_handover_new(handover_id=handover.pk)

    assert sorted(mail.to[0] for mail in mailoutbox) == sorted([bart.email, colleague.email])


def test_the_new_handover_mail_is_sent_once_and_only_while_it_waits(
    ravi, case, orgs_utrecht, mailoutbox
):
    handover = hand_over(case, orgs_utrecht["raadslieden"])

    tasks.send_handover_new.delay(handover.pk)
    tasks.send_handover_new.delay(handover.pk)
    assert len(mailoutbox) == 1
    assert HandoverNotification.objects.get().recipient == ravi

    answered = hand_over(
        case, orgs_utrecht["advocatuur"], status=Handover.Status.DECLINED, decline_reason="Vol."
    )
    tasks.send_handover_new(answered.pk)
    assert len(mailoutbox) == 1


# ---------------------------------------------------------------- "opgepakt"


def test_the_receiver_confirms_contact_after_accepting(login, ravi, case, orgs_utrecht):
    handover = hand_over(case, orgs_utrecht["raadslieden"])
    services.handover_accept(user=ravi, handover=handover)
    client = login(ravi)
    page = client.get(reverse("cases:detail", args=[case.number]))
    assert "Warme overdracht: contact bevestigen" in page.text
    assert pick_up_url(handover) in page.text
    assert pick_up_url(handover) in client.get(reverse("cases:handovers")).text

    response = client.post(pick_up_url(handover), {"terug": "overdrachten"})

    assert response.status_code == 302 and response.url == reverse("cases:handovers")
    handover.refresh_from_db()
    assert handover.picked_up_by == ravi and handover.picked_up_at is not None
    entry = AuditEntry.objects.filter(action="handover", object_id=str(handover.pk)).latest("at")
    assert entry.actor == ravi and entry.detail == {"status": "opgepakt"}
    assert pick_up_url(handover) not in client.get(reverse("cases:handovers")).text
    assert (
        "Opgepakt op"
        in login(case.registered_by).get(reverse("cases:detail", args=[case.number])).text
    )


def test_confirming_twice_or_before_accepting_changes_nothing(login, ravi, case, orgs_utrecht):
    handover = hand_over(case, orgs_utrecht["raadslieden"])
    client = login(ravi)

    response = client.post(pick_up_url(handover), follow=True)
    assert "Accepteer de overdracht eerst" in response.text
    handover.refresh_from_db()
    assert handover.picked_up_at is None

    services.handover_accept(user=ravi, handover=handover)
    client.post(pick_up_url(handover))
    handover.refresh_from_db()
    first = handover.picked_up_at
    response = client.post(pick_up_url(handover), follow=True)
    assert "al bevestigd" in response.text
    handover.refresh_from_db()
    assert handover.picked_up_at == first


@pytest.mark.parametrize(
    ("persona", "status"),
    [("ravi", 302), ("anna", 403), ("carla", 403), ("bart", 404), ("eva", 404), ("olga", 403)],
)
def test_only_the_receiver_confirms_contact(personas, login, case, orgs_utrecht, persona, status):
    handover = hand_over(case, orgs_utrecht["raadslieden"])
    services.handover_accept(user=personas["ravi"], handover=handover)

    assert login(personas[persona]).post(pick_up_url(handover)).status_code == status
    handover.refresh_from_db()
    assert (handover.picked_up_at is not None) == (persona == "ravi")


def test_postgresql_refuses_contact_confirmed_on_an_unaccepted_handover(ravi, case, orgs_utrecht):
    with pytest.raises(IntegrityError, match="handover_picked_up_after_accepting"):
        hand_over(case, orgs_utrecht["raadslieden"], picked_up_by=ravi, picked_up_at=timezone.now())


# ---------------------------------------------------------------- not picked up in time


def test_working_days_skip_weekends_and_dutch_public_holidays():
    assert working_days_after(local("2026-12-04T09:00").date(), 3).isoformat() == "2026-12-09"
    # Christmas (25 December) on a Friday, then the weekend
    assert working_days_after(local("2026-12-24T09:00").date(), 3).isoformat() == "2026-12-30"
    # King's Day 2027 is a Tuesday
    assert working_days_after(local("2027-04-26T09:00").date(), 1).isoformat() == "2027-04-28"


def test_a_handover_not_picked_up_in_time_is_flagged_to_the_team_and_the_coordinator(
    login, anna, ravi, carla, cor, case, orgs_utrecht, mailoutbox
):
    friday = local("2026-12-04T09:00")  # due: Wednesday 9 December (3 working days)
    handover = hand_over(case, orgs_utrecht["raadslieden"], created_at=friday)
    services.handover_accept(user=ravi, handover=handover)

    assert notifications.handovers_flag_not_picked_up(now=local("2026-12-09T23:59")) == 0
    assert mailoutbox == []

    flagged = notifications.handovers_flag_not_picked_up(now=local("2026-12-10T07:13"))

    assert flagged == 1
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted([anna.email, carla.email])
    mail = mailoutbox[0]
    assert case.number in mail.subject and "niet opgepakt" in mail.subject
    assert f"/casussen/{case.number}/" in mail.body
    assert "Piet" not in mail.body and CONTEXT not in mail.body
    handover.refresh_from_db()
    assert handover.not_picked_up_flagged_at == local("2026-12-10T07:13")
    for user in (anna, carla):
        inbox = login(user).get(reverse("cases:handovers")).text
        assert "Niet opgepakt binnen 3 werkdagen" in inbox and case.number in inbox
        assert (
            "Niet op tijd opgepakt"
            in login(user).get(reverse("cases:detail", args=[case.number])).text
        )
    assert "Niet opgepakt binnen" not in login(cor).get(reverse("cases:handovers")).text
    assert "Niet op tijd opgepakt" in login(ravi).get(reverse("cases:handovers")).text


def test_flagging_again_flags_and_mails_nothing_twice(carla, case, orgs_utrecht, mailoutbox):
    hand_over(case, orgs_utrecht["raadslieden"], created_at=local("2026-12-04T09:00"))
    notifications.handovers_flag_not_picked_up(now=local("2026-12-10T07:13"))
    sent = len(mailoutbox)

    assert notifications.handovers_flag_not_picked_up(now=local("2026-12-11T07:13")) == 0
    assert len(mailoutbox) == sent == 2  # anna (the sending team) and carla (coordinator)
    assert Handover.objects.get().not_picked_up_flagged_at == local("2026-12-10T07:13")


def test_a_mail_that_failed_is_retried_without_mailing_anyone_twice(
    anna, carla, case, orgs_utrecht, mailoutbox
):
    handover = hand_over(case, orgs_utrecht["raadslieden"], created_at=local("2026-12-04T09:00"))
    HandoverNotification.objects.create(kind="niet_opgepakt", handover=handover, recipient=anna)

    notifications.handovers_flag_not_picked_up(now=local("2026-12-10T07:13"))

    assert [mail.to for mail in mailoutbox] == [[carla.email]]


def test_christmas_is_no_working_day(case, orgs_utrecht, mailoutbox):
    hand_over(case, orgs_utrecht["raadslieden"], created_at=local("2026-12-24T16:00"))

    assert notifications.handovers_flag_not_picked_up(now=local("2026-12-30T18:00")) == 0
    assert notifications.handovers_flag_not_picked_up(now=local("2026-12-31T07:13")) == 1


def test_picked_up_and_declined_handovers_are_never_flagged(ravi, case, orgs_utrecht, mailoutbox):
    friday = local("2026-12-04T09:00")
    picked = hand_over(case, orgs_utrecht["raadslieden"], created_at=friday)
    services.handover_accept(user=ravi, handover=picked)
    services.handover_pick_up(user=ravi, handover=picked)
    hand_over(
        case,
        orgs_utrecht["advocatuur"],
        created_at=friday,
        status=Handover.Status.DECLINED,
        decline_reason="Geen plek.",
    )

    assert notifications.handovers_flag_not_picked_up(now=local("2026-12-21T07:13")) == 0
    assert mailoutbox == []


def test_the_number_of_working_days_is_a_setting(case, orgs_utrecht, settings):
    settings.HANDOVER_PICK_UP_WORKING_DAYS = 1
    hand_over(case, orgs_utrecht["raadslieden"], created_at=local("2026-12-04T09:00"))

    assert notifications.handovers_flag_not_picked_up(now=local("2026-12-08T07:13")) == 1


def test_the_daily_task_flags_with_the_clock(carla, case, orgs_utrecht, mailoutbox, settings):
    assert "cases.tasks.flag_handovers_not_picked_up" in {
        entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }
    hand_over(case, orgs_utrecht["raadslieden"], created_at=local("2026-12-04T09:00"))

    with time_machine.travel(local("2026-12-09T12:00"), tick=False):
        assert tasks.flag_handovers_not_picked_up.delay().get() == 0
    with time_machine.travel(local("2026-12-10T07:13"), tick=False):
        assert tasks.flag_handovers_not_picked_up.delay().get() == 1
    assert len(mailoutbox) == 2


# ---------------------------------------------------------------- the referral letter


def test_the_receiver_prints_a_referral_letter_with_the_identity_they_may_see(
    login, ravi, bart, case, orgs_utrecht
):
    SecondLineAdviceFactory(
        subproblem=case.subproblems.get(), advocaat=bart, analysis="Procedure bij de huurcommissie."
    )
    handover = hand_over(case, orgs_utrecht["raadslieden"], identity_consent=True)
    services.handover_accept(user=ravi, handover=handover)

    page = login(ravi).get(letter_url(handover))

    assert page.status_code == 200
    text = page.text
    assert "Verwijsbrief" in text and CONTEXT in text
    assert "bezwaar kan nog" in text and "Procedure bij de huurcommissie." in text
    assert "Piet Jansen" in text
    reveal = AuditEntry.objects.get(action="reveal", actor=ravi)
    assert reveal.case == case and reveal.reason == services.REFERRAL_LETTER_REASON
    assert AuditEntry.objects.filter(action="view", actor=ravi, case=case).exists()


def test_without_consent_the_letter_has_no_identity_and_reveals_nothing(
    login, anna, ravi, case, orgs_utrecht
):
    handover = hand_over(case, orgs_utrecht["raadslieden"])
    services.handover_accept(user=ravi, handover=handover)

    for user in (ravi, anna):
        text = login(user).get(letter_url(handover)).text
        assert "Piet" not in text and "Zonder identiteit" in text
    assert not AuditEntry.objects.filter(action="reveal").exists()


@pytest.mark.parametrize(
    ("persona", "pending", "accepted"),
    [
        ("anna", 200, 200),
        ("ravi", 403, 200),
        ("carla", 403, 403),
        ("bart", 404, 404),
        ("eva", 404, 404),
        ("olga", 403, 403),
    ],
)
def test_access_to_the_referral_letter(
    personas, login, case, orgs_utrecht, persona, pending, accepted
):
    handover = hand_over(case, orgs_utrecht["raadslieden"])
    client = login(personas[persona])
    assert client.get(letter_url(handover)).status_code == pending

    services.handover_accept(user=personas["ravi"], handover=handover)
    assert client.get(letter_url(handover)).status_code == accepted
