import os

from django.core.asgi import get_asgi_application

from pilot.checks import warn_when_broker_missing

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pilot.settings")
application = get_asgi_application()
# ASGI servers run no system checks: the operator reads this in the server's log instead.
warn_when_broker_missing()
