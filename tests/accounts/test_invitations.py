from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.utils import timezone

from accounts.models import Invitation, Membership, Role, User
from accounts.services import invitation_send

INVITE_URL = "/accounts/uitnodigingen/"


def _link(message) -> str:
    return re.search(r"http://[^\s]+/accounts/uitnodiging/([^/\s]+)/", message.body).group(0)


def _path(link: str) -> str:
    return link.split("8000", 1)[-1] if "8000" in link else "/" + link.split("/", 3)[3]


@pytest.fixture
def invite(login, carla, orgs_utrecht):
    def _invite(**overrides):
        data = {
            "full_name": "Nina Nieuw",
            "email": "nina@example.org",
            "organisation": orgs_utrecht["loket"].pk,
            "role": Role.FIRST_LINE,
            **overrides,
        }
        return login(carla).post(INVITE_URL, data)

    return _invite


def test_coordinator_invites_a_colleague_who_gets_a_one_time_link(
    invite, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite()
    assert response.status_code == 302
    user = User.objects.get(email="nina@example.org")
    assert not user.is_active and not user.has_usable_password()
    assert Membership.objects.filter(user=user, role=Role.FIRST_LINE).exists()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nina@example.org"]
    assert "Uitnodiging" in message.subject
    link = _link(message)
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert Invitation.objects.get(user=user).token_hash != token  # only the hash is stored

    client.logout()
    page = client.get(_path(link))
    assert page.status_code == 200
    assert "Nina Nieuw" in page.text
    response = client.post(
        _path(link),
        {"new_password1": "Zeer-geheim-wachtwoord-9", "new_password2": "Zeer-geheim-wachtwoord-9"},
    )
    assert response.status_code == 302
    assert response.url == "/accounts/2fa/totp/activate/"
    assert client.get(response.url).status_code == 200  # no second password prompt
    user.refresh_from_db()
    assert user.is_active and user.check_password("Zeer-geheim-wachtwoord-9")
    assert EmailAddress.objects.get(user=user).verified

    # The link works once.
    client.logout()
    again = client.get(_path(link))
    assert again.status_code == 410
    assert "niet (meer) geldig" in again.text


def test_sending_the_invitation_twice_mails_once(invite, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invite()
    invitation = Invitation.objects.get()
    assert invitation_send(invitation_id=invitation.pk) is False
    assert len(mail.outbox) == 1


def test_expired_invitation_is_refused_and_changes_nothing(
    invite, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite()
    link = _path(_link(mail.outbox[0]))
    client.logout()
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        response = client.post(
            link,
            {
                "new_password1": "Zeer-geheim-wachtwoord-9",
                "new_password2": "Zeer-geheim-wachtwoord-9",
            },
        )
    assert response.status_code == 410
    assert "verlopen" in response.text
    assert not User.objects.get(email="nina@example.org").is_active


def test_resending_makes_the_old_link_stop_working(
    invite, login, carla, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite()
    old = _path(_link(mail.outbox[0]))
    invitation = Invitation.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        login(carla).post(f"{INVITE_URL}{invitation.pk}/opnieuw/")
    assert len(mail.outbox) == 2
    new = _path(_link(mail.outbox[1]))
    client.logout()
    assert client.get(old).status_code == 410
    assert client.get(new).status_code == 200


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": "geen-adres"}, "email", "geldig e-mailadres"),
        ({"email": "carla@example.org"}, "email", "bestaat al een account"),
        ({"full_name": "x" * 151}, "full_name", "niet meer dan 150 tekens"),
        ({"role": Role.ADMINISTRATOR}, "role", "Deze rol mag u niet toekennen"),
        ({"role": "keizer"}, "role", "Deze rol mag u niet toekennen"),
    ],
)
def test_bad_invitation_gets_a_dutch_message_and_saves_nothing(invite, overrides, field, message):
    users_before = User.objects.count()
    response = invite(**overrides)
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    assert User.objects.count() == users_before
    assert not Invitation.objects.exists()
    assert len(mail.outbox) == 0


def test_tampered_organisation_of_another_location_is_refused(invite, orgs_amsterdam):
    response = invite(organisation=orgs_amsterdam["loket"].pk)
    assert response.status_code == 200
    assert "Kies een organisatie" in str(response.context["form"].errors["organisation"])
    assert not User.objects.filter(email="nina@example.org").exists()


def test_weak_password_is_refused_with_a_dutch_message(
    invite, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite()
    link = _path(_link(mail.outbox[0]))
    client.logout()
    response = client.post(link, {"new_password1": "kort", "new_password2": "kort"})
    assert response.status_code == 200
    assert "te kort" in str(response.context["form"].errors)
    assert not User.objects.get(email="nina@example.org").is_active


@pytest.mark.parametrize("persona", ["anna", "bart", "olga"])
def test_only_coordinators_and_administrators_may_invite(personas, login, persona):
    assert login(personas[persona]).get(INVITE_URL).status_code == 403


def test_coordinator_sees_only_invitations_of_own_location(
    login, carla, cor, orgs_utrecht, orgs_amsterdam, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        login(cor).post(
            INVITE_URL,
            {
                "full_name": "Amsterdammer",
                "email": "adam@example.org",
                "organisation": orgs_amsterdam["loket"].pk,
                "role": Role.FIRST_LINE,
            },
        )
    assert Invitation.objects.count() == 1
    page = login(carla).get(INVITE_URL)
    assert "adam@example.org" not in page.text
    invitation = Invitation.objects.get()
    assert login(carla).post(f"{INVITE_URL}{invitation.pk}/opnieuw/").status_code == 404
