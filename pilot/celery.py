import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pilot.settings")

app = Celery("pilot")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.worker_init.connect
@signals.beat_init.connect
def warn_when_broker_missing(**kwargs) -> None:
    # A worker or beat on the in-memory broker waits forever for tasks nobody can send it.
    from pilot.checks import warn_when_broker_missing

    warn_when_broker_missing()
