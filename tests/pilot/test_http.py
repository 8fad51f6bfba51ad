"""Headers on every answer (pilot/http.py), the language cookie's flags and /health/.

That every URL of the product answers with `no-store` for every role is checked by the access
policy walk (tests/test_access_policy.py, `_cache_problem`); here the rule itself."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from pilot.http import HeadersMiddleware, public_page


def _answer(request):
    response = HttpResponse("Samenwerken in de eerstelijn")
    response["Cache-Control"] = "public, max-age=3600"  # what a careless view might say
    return response


@public_page(max_age=120)
def _library_page(request):
    return HttpResponse("Een openbare pagina")


@public_page
def _sets_a_cookie(request):
    response = HttpResponse("Een openbare pagina met een formulier")
    response.set_cookie("csrftoken", "x")
    return response


def _through_middleware(view, user):
    request = RequestFactory().get("/")
    request.user = user
    return HeadersMiddleware(view)(request)


def _directives(response) -> set[str]:
    return {d.strip() for d in response["Cache-Control"].split(",")}


@pytest.fixture
def anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def test_an_ordinary_answer_is_never_stored_even_when_the_view_says_public(anonymous, anna):
    for user in (anonymous, anna):
        directives = _directives(_through_middleware(_answer, user))
        assert {"no-store", "no-cache", "private", "max-age=0"} <= directives
        assert "public" not in directives and "max-age=3600" not in directives


def test_a_public_page_may_be_cached_for_anonymous_visitors_only(anonymous, anna):
    assert _directives(_through_middleware(_library_page, anonymous)) == {"public", "max-age=120"}
    signed_in = _directives(_through_middleware(_library_page, anna))
    assert {"no-store", "private"} <= signed_in, "the layout shows the user's name and menu"
    assert "public" not in signed_in


def test_a_public_page_that_sets_a_cookie_is_not_shared(anonymous):
    assert {"no-store", "private"} <= _directives(_through_middleware(_sets_a_cookie, anonymous))


def test_every_answer_switches_off_browser_features(anonymous):
    policy = _through_middleware(_answer, anonymous)["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "interest-cohort"):
        assert f"{feature}=()" in policy


@pytest.mark.parametrize(
    "url", ["/", "/accounts/login/", "/casussen/", "/casussen/nieuw/", "/beheer/"]
)
def test_real_pages_are_never_stored(login, anna, bea, url):
    for client in (login(anna), login(bea)):
        response = client.get(url, follow=True)
        assert {"no-store", "private"} <= _directives(response), url
        assert "camera=()" in response["Permissions-Policy"]


def test_the_registration_forms_error_page_is_never_stored(login, anna):
    """It echoes the client's name and phone number back."""
    response = login(anna).post("/casussen/nieuw/", {"full_name": "Gerarda Geheimnaam"})
    assert response.status_code in (200, 400)
    assert {"no-store", "private"} <= _directives(response)


def test_static_files_are_served_before_the_rule_and_stay_cacheable():
    """WhiteNoise answers /static/ itself, outside HeadersMiddleware (long caching, hashed
    names); everything a view answers passes through it."""
    from django.conf import settings

    middleware = settings.MIDDLEWARE
    whitenoise = middleware.index("whitenoise.middleware.WhiteNoiseMiddleware")
    # right inside WhiteNoise, outside the rest: their answers (redirects, 403s) get it too
    assert middleware[whitenoise + 1] == "pilot.http.HeadersMiddleware"


# ---------------------------------------------------------------- the language cookie


def test_the_language_cookie_follows_the_secure_switch(client, db, settings):
    settings.LANGUAGE_COOKIE_SECURE = True
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    assert cookie["secure"] and cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_the_language_cookie_is_as_secure_as_the_session_cookie():
    from django.conf import settings

    assert settings.LANGUAGE_COOKIE_SECURE == settings.SESSION_COOKIE_SECURE == settings.SECURE
    assert settings.LANGUAGE_COOKIE_HTTPONLY and settings.LANGUAGE_COOKIE_SAMESITE == "Lax"


# ---------------------------------------------------------------- /health/


def test_health_tells_an_anonymous_caller_only_ok(client, db, settings):
    settings.REDIS_URL = ""
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")


def test_health_tells_an_anonymous_caller_only_not_ok(client, db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.content == b"not ok", "which part fails is not for anyone to know"


def test_health_details_for_the_monitoring_token(client, db, settings):
    settings.REDIS_URL, settings.HEALTH_TOKEN = "redis://127.0.0.1:1/0", "monitor-geheim"
    response = client.get("/health/", headers={"Authorization": "Bearer monitor-geheim"})
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": "ok",
        "redis": "unavailable",
        "worker": "unavailable",
    }


@pytest.mark.parametrize("sent", ["Bearer fout", "monitor-geheim", "Bearer ", ""])
def test_health_gives_no_details_for_a_wrong_token(client, db, settings, sent):
    settings.REDIS_URL, settings.HEALTH_TOKEN = "", "monitor-geheim"
    response = client.get("/health/", headers={"Authorization": sent})
    assert response.content == b"ok"


def test_health_gives_no_details_when_no_token_is_configured(client, db, settings):
    settings.REDIS_URL, settings.HEALTH_TOKEN = "", ""
    assert client.get("/health/", headers={"Authorization": "Bearer "}).content == b"ok"


def test_health_details_for_a_signed_in_administrator_only(login, anna, bea, settings):
    settings.REDIS_URL = ""
    assert login(anna).get("/health/").content == b"ok"
    details = login(bea).get("/health/").json()
    assert details == {
        "status": "ok",
        "database": "ok",
        "redis": "not configured",
        "worker": "not configured",
    }
