"""Every task on the beat schedule exists, and takes no arguments (so no personal data)."""

from __future__ import annotations

import inspect

import pytest
from django.conf import settings

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
