import os

from django.core.wsgi import get_wsgi_application

from pilot.checks import warn_when_broker_missing

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pilot.settings")
application = get_wsgi_application()
# The server (gunicorn) runs no system checks: the operator reads this in its log instead.
warn_when_broker_missing()
