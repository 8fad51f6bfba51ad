"""Every URL of the project sends an anonymous visitor to the login page.

The list is generated from the URL resolver; only the views marked `login_not_required`
(login, password reset, invitation acceptance, health, language switch) are public.
"""

from __future__ import annotations

import pytest

from tests.routes import ALL_ROUTES

# Public on purpose: a visitor must be able to sign in, reset a password, accept an invitation,
# pick a language, and monitoring must reach /health/.
PUBLIC_PREFIXES = (
    "accounts/login/",
    "accounts/logout/",
    "accounts/signup/",
    "accounts/password/reset/",
    "accounts/2fa/authenticate/",
    "accounts/2fa/reauthenticate/",
    "accounts/reauthenticate/",
    "accounts/confirm-email/",
    "accounts/uitnodiging/",
    "accounts/login/code/",
    "accounts/inactive/",
    "accounts/3rdparty/",
    "health/",
    "i18n/",
    "piket/agenda/feed/",
    "praktijk/",  # the library's public entries, task matrix and feed
    "signalering/antwoord/",  # a meeting invitation's yes/no/maybe link (a token, for guests too)
)


PROTECTED = [path for path in ALL_ROUTES if not path.lstrip("/").startswith(PUBLIC_PREFIXES)]


def test_the_route_list_is_not_empty():
    assert "/" in PROTECTED
    assert "/accounts/uitnodigingen/" in PROTECTED
    assert len(PROTECTED) > 20


@pytest.mark.parametrize("path", PROTECTED)
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitor_is_sent_to_login(client, path, method):
    response = getattr(client, method)(path, follow=True)
    assert response.redirect_chain, path
    final_url, _status = response.redirect_chain[-1]
    assert final_url.startswith("/accounts/login/?next="), (path, final_url)
    assert response.status_code == 200


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/password/reset/", "/health/"])
def test_public_pages_answer_without_login(client, path):
    assert client.get(path).status_code == 200
