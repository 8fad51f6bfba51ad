"""A real Celery worker and beat against Redis and the test database.

The worker and beat are started as separate processes with their own connections; they listen
on a queue of their own so a developer's worker on the same Redis is not disturbed.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.models import Role
from tests.integration.support import wait_for

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_worker_sends_the_invitation_mail(celery, login, carla, orgs_utrecht):
    start, tmp = celery
    start("worker", "--pool=solo", "--without-gossip", "--without-mingle")
    response = login(carla).post(
        "/accounts/uitnodigingen/",
        {
            "full_name": "Wim Werker",
            "email": "wim@example.org",
            "organisation": orgs_utrecht["loket"].pk,
            "role": Role.FIRST_LINE,
        },
    )
    assert response.status_code == 302
    mail_dir = tmp / "mail"
    assert wait_for(lambda: mail_dir.exists() and any(mail_dir.iterdir())), (
        tmp / "worker.log"
    ).read_text()
    text = "".join(p.read_text() for p in mail_dir.iterdir())
    assert "wim@example.org" in text
    assert "/accounts/uitnodiging/" in text


def test_beat_schedules_session_cleanup_that_the_worker_runs(celery):
    start, tmp = celery
    Session.objects.create(
        session_key="x" * 32, session_data="", expire_date=timezone.now() - timedelta(days=1)
    )
    start("worker", "--pool=solo", "--without-gossip", "--without-mingle")
    start("beat", f"--schedule={tmp / 'beat-schedule'}", "--max-interval=1")
    assert wait_for(lambda: not Session.objects.filter(session_key="x" * 32).exists()), (
        tmp / "beat.log"
    ).read_text() + (tmp / "worker.log").read_text()
