"""Every task on the beat schedule exists, and takes no arguments (so no personal data); without
a broker outside debug the checks and the Celery processes say that nothing on it would run."""

from __future__ import annotations

import inspect
import logging

import pytest
from celery import signals
from django.conf import settings
from django.core import checks

from pilot.celery import app


@pytest.mark.parametrize("name", sorted(settings.CELERY_BEAT_SCHEDULE))
def test_beat_schedule_names_a_registered_task(name):
    app.loader.import_default_modules()
    entry = settings.CELERY_BEAT_SCHEDULE[name]
    assert entry["task"] in app.tasks, entry["task"]
    assert not entry.get("args") and not entry.get("kwargs")


def test_beat_runs_the_piket_generation_and_the_retention():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    expected = {"piket.tasks.generate_shifts", "piket.tasks.tick", "cases.tasks.apply_retention"}
    assert expected <= tasks


def test_queued_tasks_take_ids_only():
    app.loader.import_default_modules()
    for name, task in app.tasks.items():
        if name.startswith(("accounts.", "cases.", "piket.")):
            params = inspect.signature(task.run).parameters
            assert all(p.endswith("_id") for p in params), (name, list(params))


def broker_warnings() -> list[checks.CheckMessage]:
    return [message for message in checks.run_checks() if message.id == "pilot.W001"]


def test_the_system_check_warns_only_in_production_without_broker(settings):
    settings.DEBUG, settings.REDIS_URL = False, ""
    (warning,) = broker_warnings()
    assert warning.level == checks.WARNING
    assert "Retention" in warning.msg and "never run" in warning.msg
    settings.REDIS_URL = "redis://redis.example.org:6379/0"
    assert broker_warnings() == []
    settings.DEBUG, settings.REDIS_URL = True, ""
    assert broker_warnings() == []


class StandInWorker:
    """A worker of an app that is not ours: Celery's Django fixup leaves it alone instead of
    setting itself up for a worker in this test process."""

    app = object()


@pytest.mark.parametrize("signal", [signals.worker_init, signals.beat_init])
def test_a_celery_worker_or_beat_without_broker_logs_the_warning(settings, caplog, signal):
    sender = StandInWorker()
    settings.DEBUG, settings.REDIS_URL = False, ""
    with caplog.at_level(logging.WARNING, logger="pilot.checks"):
        signal.send(sender=sender)
        assert "pilot.W001" in caplog.text
        caplog.clear()
        settings.REDIS_URL = "redis://redis.example.org:6379/0"
        signal.send(sender=sender)
        assert "pilot.W001" not in caplog.text
