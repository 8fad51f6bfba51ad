"""A real Celery worker and beat against Redis and the test database.

The worker and beat are started as separate processes with their own connections; they listen
on a queue of their own so a developer's worker on the same Redis is not disturbed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone

from accounts.models import Role
from pilot.celery import app

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_URL")
    if not url:
        if os.environ.get("CI", "").lower() in ("1", "true"):
            pytest.fail("CI must run the Celery integration tests: REDIS_URL is not set")
        pytest.skip("REDIS_URL not set")
    return url


@pytest.fixture
def celery(redis_url, tmp_path):
    """Start `celery worker` (and optionally beat) as real processes; stop them afterwards."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "REDIS_URL": redis_url,
        "CELERY_QUEUE": queue,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
        "SESSION_PURGE_SECONDS": "1",
    }
    processes = []

    def start(*args):
        log = open(tmp_path / f"{args[0]}.log", "w")  # noqa: SIM115
        processes.append(
            subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "pilot", *args, "--loglevel=INFO"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )

    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    app.conf.broker_url = redis_url
    yield start, tmp_path
    app.conf.task_default_queue = settings.CELERY_TASK_DEFAULT_QUEUE
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def wait_for(condition, seconds=45):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.3)
    return False


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
