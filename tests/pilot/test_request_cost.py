"""The fixed cost of a signed-in request: reading the session and the user, nothing more. No
session write on every request (the idle timeout is refreshed at most once a minute), no query
to check two-factor login on every request, and database connections that stay open."""

from __future__ import annotations

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.middleware import MFA_DONE, SEEN_AT

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.pilot.bare_urls")]


def statements(client, url="/kaal/") -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


def test_a_bare_signed_in_request_reads_the_session_and_the_user_only(login, anna):
    client = login(anna)
    client.get("/kaal/")  # the first request notes the two-factor check and the activity
    done = statements(client)
    assert len(done) == 2, done
    assert "django_session" in done[0] and "accounts_user" in done[1]


def test_the_idle_timeout_is_refreshed_once_a_minute_not_on_every_request(login, anna):
    client = login(anna)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.get("/kaal/")
        key = client.session.session_key
        expiry = Session.objects.get(session_key=key).expire_date
        clock.shift(30)
        assert not any("UPDATE" in sql for sql in statements(client))
        assert Session.objects.get(session_key=key).expire_date == expiry
        clock.shift(settings.SESSION_ACTIVITY_SECONDS)
        assert any("UPDATE" in sql and "django_session" in sql for sql in statements(client))
        later = Session.objects.get(session_key=key).expire_date
    assert later - expiry >= timezone.timedelta(seconds=settings.SESSION_ACTIVITY_SECONDS)


def test_an_idle_session_ends_after_the_idle_timeout(login, anna):
    client = login(anna)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.get("/kaal/")
        clock.shift(settings.SESSION_IDLE_TIMEOUT.total_seconds() + 5)
        response = client.get("/kaal/")
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_the_two_factor_check_is_noted_once_per_session(login, anna):
    client = login(anna)
    client.get("/kaal/")
    assert client.session[MFA_DONE] == anna.pk
    assert not any("mfa_authenticator" in sql for sql in statements(client))
    assert SEEN_AT in client.session


def test_a_user_without_totp_is_still_sent_to_set_it_up(login, anna):
    anna.authenticator_set.all().delete()
    response = login(anna).get("/kaal/")
    assert response.status_code == 302 and "/2fa/totp/activate/" in response.url


def test_totp_can_not_be_removed_once_set_up(anna):
    from allauth.mfa.adapter import get_adapter
    from allauth.mfa.models import Authenticator

    totp = Authenticator.objects.get(user=anna, type=Authenticator.Type.TOTP)
    assert not get_adapter().can_delete_authenticator(totp)


def test_database_connections_stay_open_and_are_checked():
    database = settings.DATABASES["default"]
    assert database["CONN_MAX_AGE"] >= 60
    assert database["CONN_HEALTH_CHECKS"] is True
