"""The HTTP benchmark's URL configuration (bench/settings.py): the product's URLs plus two
reference views that exist only here, never in the product.

- `/bench/kaal-anoniem/`: a bare view without login, Django's ceiling on this machine: every
  middleware runs, but no session, no user, no query.
- `/bench/kaal/`: the same view behind login: what every signed-in request costs before a page
  does anything (session, user, two-factor check; tests/pilot/test_request_cost.py counts it).
"""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import include, path


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/kaal-anoniem/", login_not_required(bare), name="bench_bare_anonymous"),
    path("bench/kaal/", bare, name="bench_bare"),
    path("", include("pilot.urls")),
]
