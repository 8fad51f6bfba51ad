"""The composition root's pages: the home page (cards from every app) and the health check."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from pilot.navigation import home_cards_for


def home(request):
    return render(request, "pilot/home.html", {"cards": home_cards_for(request.user)})


@never_cache
@login_not_required
def health(request):
    """Database and Redis status for monitoring; no personal data."""
    status = {"database": _check_database(), "redis": _check_redis()}
    healthy = status["database"] == "ok" and status["redis"] in ("ok", "not configured")
    return JsonResponse(
        {"status": "ok" if healthy else "error", **status}, status=200 if healthy else 503
    )


def _check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception:
        return "unavailable"


def _check_redis() -> str:
    if not settings.REDIS_URL:
        return "not configured"
    import redis

    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1).ping()
        return "ok"
    except redis.RedisError:
        return "unavailable"
