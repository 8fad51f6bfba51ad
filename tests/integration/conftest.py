"""Fixtures of the integration tests: Redis, and real Celery processes against the test database.

The worker and beat are started as separate processes with their own connections; they listen
on a queue of their own so a developer's worker on the same Redis is not disturbed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

from pilot.celery import app

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

    changed = {"task_always_eager": False, "task_default_queue": queue, "broker_url": redis_url}
    before = {name: app.conf[name] for name in changed}
    app.conf.update(changed)
    yield start, tmp_path
    app.conf.update(before)
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
