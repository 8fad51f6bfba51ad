from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from accounts.adapters import has_totp

LOGIN_AT = "pilot_login_at"
SEEN_AT = "pilot_seen_at"
MFA_DONE = "pilot_mfa_done"


class SessionLifetimeMiddleware:
    """Ends a session 12 hours after login, however active it was; and keeps the 30-minute idle
    timeout (the session's own expiry) by refreshing an activity stamp at most once a minute:
    changing the session saves it with a new expiry. So a signed-in request writes to the
    database once a minute, not every time."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = timezone.now().timestamp()
            session = request.session
            started = session.setdefault(LOGIN_AT, now)
            if now - started > settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds():
                logout(request)
                messages.info(request, _("Uw sessie is verlopen. Log opnieuw in."))
                return redirect(f"{reverse('account_login')}?next={request.path}")
            if now - session.get(SEEN_AT, 0) >= settings.SESSION_ACTIVITY_SECONDS:
                session[SEEN_AT] = now
        return self.get_response(request)


# Paths a signed-in user without two-factor authentication may still reach.
MFA_SETUP_PATHS = (
    "/accounts/2fa/totp/activate/",
    "/accounts/logout/",
    "/i18n/",
    "/static/",
    "/health/",
)


class RequireMFAMiddleware:
    """Every user sets up TOTP before anything else: allauth offers MFA, this makes it required."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and request.session.get(MFA_DONE) != user.pk:
            if has_totp(user):
                # once set up, TOTP can't be removed (MFAAdapter): no query on every request
                request.session[MFA_DONE] = user.pk
            elif not request.path.startswith(MFA_SETUP_PATHS):
                return redirect("mfa_activate_totp")
        return self.get_response(request)


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Every page needs a login unless its view is marked `login_not_required`."""


class DutchFirstLocaleMiddleware:
    """Dutch unless the user chose another language with the switch (the language cookie).

    Unlike Django's LocaleMiddleware the browser's Accept-Language is ignored: many Dutch
    professionals run an English browser, and the product is Dutch first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = (
            chosen if translation.check_for_language(chosen or "") else settings.LANGUAGE_CODE
        )
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ["Cookie"])
        response.headers.setdefault("Content-Language", language)
        return response
