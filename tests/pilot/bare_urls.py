"""A URL configuration for tests of a request's fixed cost: the product's URLs plus a bare view
behind login that runs no query of its own (tests/pilot/test_request_cost.py)."""

from django.http import HttpResponse
from django.urls import include, path


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("kaal/", bare, name="bare"), path("", include("pilot.urls"))]
