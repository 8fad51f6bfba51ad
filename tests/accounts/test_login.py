"""Login with password and TOTP through allauth, as a browser would post it."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator
from cryptography.fernet import Fernet
from django.utils import timezone

from tests.accounts.factories import TOTP_SECRET, UserFactory
from tests.accounts.signin import LOGIN, MFA, password_step
from tests.accounts.totp import totp_code


def test_password_then_code_logs_in(client, anna):
    response = password_step(client, anna.email)
    assert response.status_code == 302 and response.url == MFA
    assert "_auth_user_id" not in client.session  # not logged in before the second step
    response = client.post(MFA, {"code": totp_code(TOTP_SECRET)})
    assert response.status_code == 302 and response.url == "/"
    assert client.get("/").status_code == 200


def test_wrong_password_is_rejected_with_a_dutch_message(client, anna):
    response = password_step(client, anna.email, "fout-wachtwoord")
    assert response.status_code == 200
    assert "e-mailadres en/of wachtwoord dat u hebt ingevuld, is niet juist" in response.text
    assert "_auth_user_id" not in client.session


def test_wrong_code_is_rejected_with_a_dutch_message(client, anna):
    password_step(client, anna.email)
    wrong = f"{(int(totp_code(TOTP_SECRET)) + 1) % 1_000_000:06d}"
    response = client.post(MFA, {"code": wrong})
    assert response.status_code == 200
    assert "Ongeldige code" in response.text
    assert "_auth_user_id" not in client.session


def test_a_code_can_not_be_used_twice(client, anna):
    code = totp_code(TOTP_SECRET)
    password_step(client, anna.email)
    assert client.post(MFA, {"code": code}).status_code == 302
    client.post("/accounts/logout/")
    password_step(client, anna.email)
    response = client.post(MFA, {"code": code})
    assert response.status_code == 200
    assert "Ongeldige code" in response.text
    assert "_auth_user_id" not in client.session


def test_repeated_failures_lock_the_account_out(client, anna):
    for _ in range(5):
        password_step(client, anna.email, "fout-wachtwoord")
    response = password_step(client, anna.email)  # even the right password is refused now
    assert response.status_code == 200
    assert "Te veel inlogpogingen" in response.text
    assert "_auth_user_id" not in client.session


def test_a_hundred_colleagues_log_in_from_one_office_address_within_a_minute(db):
    """Successful logins are not throttled per address (an office behind one address at nine);
    the failed ones still are, per account and per address."""
    from django.test import Client

    users = [UserFactory(email=f"collega{n}@example.org") for n in range(100)]
    code = totp_code(TOTP_SECRET)
    with time_machine.travel(timezone.now(), tick=False):
        for user in users:
            client = Client(REMOTE_ADDR="10.1.2.3")
            assert password_step(client, user.email).url == MFA, user.email
            assert client.post(MFA, {"code": code}).url == "/", user.email
            assert client.get("/").status_code == 200


def test_failed_logins_from_one_address_are_still_limited(db, client):
    user = UserFactory(email="raden@example.org")
    for n in range(20):
        password_step(client, f"onbekend{n}@example.org", "fout-wachtwoord")
    response = password_step(client, user.email)  # the address is blocked for a while now
    assert response.status_code != 302 or response.url != MFA


def test_user_without_authenticator_must_set_one_up_first(client, db):
    user = UserFactory(totp=False)
    response = password_step(client, user.email)
    assert response.status_code == 302 and response.url == "/"  # no second step without TOTP
    for path in ["/", "/accounts/uitnodigingen/", "/beheer/"]:
        response = client.get(path)
        assert response.status_code == 302 and response.url == "/accounts/2fa/totp/activate/", path
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = page.context["form"].secret
    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists()
    assert client.get("/").status_code == 200


def test_totp_secret_is_stored_encrypted(anna):
    stored = Authenticator.objects.get(user=anna, type=Authenticator.Type.TOTP).data["secret"]
    assert TOTP_SECRET not in stored
    assert get_adapter().decrypt(stored) == TOTP_SECRET


def test_old_keys_still_decrypt_after_rotation(anna, settings):
    stored = Authenticator.objects.get(user=anna, type=Authenticator.Type.TOTP).data["secret"]
    settings.MFA_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *settings.MFA_ENCRYPTION_KEYS]
    assert get_adapter().decrypt(stored) == TOTP_SECRET
    fresh = get_adapter().encrypt("NEWSECRET")
    settings.MFA_ENCRYPTION_KEYS = settings.MFA_ENCRYPTION_KEYS[:1]
    assert get_adapter().decrypt(fresh) == "NEWSECRET"  # new writes use the newest key


def test_recovery_code_logs_in_once(client, anna):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    code = RecoveryCodes.activate(anna).get_unused_codes()[0]
    password_step(client, anna.email)
    assert client.post(MFA, {"code": code}).status_code == 302
    client.post("/accounts/logout/")
    password_step(client, anna.email)
    assert client.post(MFA, {"code": code}).status_code == 200


class TestSessions:
    def test_sessions_are_stored_in_the_database(self, settings):
        assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"

    def test_idle_session_ends_after_30_minutes(self, login, anna):
        client = login(anna)
        assert client.get("/").status_code == 200
        assert client.session.get_expiry_age() == 30 * 60
        with time_machine.travel(timezone.now() + timedelta(minutes=31)):
            response = client.get("/")
        assert response.status_code == 302 and response.url.startswith(LOGIN)

    def test_active_session_ends_after_12_hours(self, login, anna):
        client = login(anna)
        start = timezone.now()
        client.get("/")
        for minutes in range(25, 12 * 60, 25):  # active every 25 minutes: never idle
            with time_machine.travel(start + timedelta(minutes=minutes)):
                assert client.get("/").status_code == 200
        with time_machine.travel(start + timedelta(hours=12, minutes=5)):
            response = client.get("/")
        assert response.status_code == 302 and response.url.startswith(LOGIN)


class TestAdmin:
    def test_administrator_uses_the_admin(self, login, bea):
        assert login(bea).get("/beheer/").status_code == 200
        assert login(bea).get("/beheer/accounts/user/").status_code == 200

    @pytest.mark.parametrize("persona", ["anna", "bart", "carla", "olga"])
    def test_other_roles_are_refused(self, personas, login, persona):
        assert login(personas[persona]).get("/beheer/", follow=True).status_code == 403

    def test_admin_login_goes_through_the_one_login(self, client, db):
        response = client.get("/beheer/login/")
        assert response.status_code == 302 and response.url.startswith(LOGIN)


def test_password_reset_mails_a_link_in_dutch(client, anna, mailoutbox):
    response = client.post("/accounts/password/reset/", {"email": anna.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [anna.email]
    assert "/accounts/password/reset/key/" in mailoutbox[0].body


def test_password_reset_for_an_unknown_address_reveals_nothing(client, db, mailoutbox):
    response = client.post("/accounts/password/reset/", {"email": "niemand@example.org"})
    assert response.status_code == 302  # same answer as for a known address
    assert all("/accounts/password/reset/key/" not in m.body for m in mailoutbox)
