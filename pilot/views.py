"""The composition root's pages: the home page (cards from every app) and the health check."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache

from accounts import access
from accounts.models import Role
from pilot.navigation import home_cards_for


def home(request):
    return render(request, "pilot/home.html", {"cards": home_cards_for(request.user)})


@never_cache
@login_not_required
def health(request):
    """Whether this instance can serve: the database and Redis answer (200 "ok", else 503 "not
    ok"). Which part fails, and whether a Celery worker listens, only for an administrator or
    monitoring with HEALTH_TOKEN: it maps the installation for an attacker."""
    status = {"database": _check_database(), "redis": _check_redis()}
    healthy = status["database"] == "ok" and status["redis"] in ("ok", "not configured")
    code = 200 if healthy else 503
    if not _may_see_details(request):
        return HttpResponse("ok" if healthy else "not ok", status=code, content_type="text/plain")
    status["worker"] = _check_worker() if status["redis"] == "ok" else status["redis"]
    return JsonResponse({"status": "ok" if healthy else "error", **status}, status=code)


def _may_see_details(request) -> bool:
    token = settings.HEALTH_TOKEN
    sent = request.headers.get("Authorization", "")
    if token and constant_time_compare(sent, f"Bearer {token}"):
        return True
    return request.user.is_authenticated and access.has_role(request.user, Role.ADMINISTRATOR)


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


def _check_worker() -> str:
    """Whether a Celery worker consumes this installation's queue (several installations may
    share one Redis, each with its own queue)."""
    from pilot.celery import app

    try:
        replies = app.control.inspect(timeout=1).active_queues() or {}
    except Exception:
        return "unavailable"
    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    workers = [name for name, queues in replies.items() if any(q["name"] == queue for q in queues)]
    return "ok" if workers else "unavailable"
