import os

from django.core.wsgi import get_wsgi_application

from pilot.checks import warn_when_broker_missing

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pilot.settings")
application = get_wsgi_application()

from cases.pii import load_name_finder  # noqa: E402 - needs the settings

# The server (gunicorn) runs no system checks: the operator reads this in its log instead.
warn_when_broker_missing()
# deduce (names in free text) takes seconds to load: at start-up, not in someone's request
load_name_finder()
