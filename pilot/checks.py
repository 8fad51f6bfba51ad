"""Start-up warnings about the deployment that `check --deploy` alone would not give.

Without a Celery broker nothing on the beat schedule runs. That is fine on a development machine
(tasks run in-process) but in production it silently breaks the retention of personal data and
the piket. `manage.py check`, `migrate` and `runserver` show check pilot.W001; gunicorn and
Celery run no system checks, so the WSGI/ASGI application and Celery log the same warning.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core import checks

logger = logging.getLogger(__name__)

BROKER_MISSING = (
    "REDIS_URL is not set and DJANGO_DEBUG is not 1: there is no Celery broker, so no worker or "
    "beat runs. Retention (destroying client identities, anonymising closed cases), piket "
    "reminders and the generation of piket shifts would never run."
)
BROKER_HINT = (
    "Set REDIS_URL and run a Celery worker and beat beside the web server (see docker-compose.yml)."
)


def broker_missing() -> bool:
    return not settings.DEBUG and not settings.REDIS_URL


@checks.register("pilot")
def check_broker(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    if broker_missing():
        return [checks.Warning(BROKER_MISSING, hint=BROKER_HINT, id="pilot.W001")]
    return []


def warn_when_broker_missing() -> None:
    """For processes that run no system checks: say it in the log once, at start-up."""
    if broker_missing():
        logger.warning("%s %s (pilot.W001)", BROKER_MISSING, BROKER_HINT)
