"""Signing in as a browser posts it: first the password, then the TOTP code (at MFA)."""

from __future__ import annotations

from tests.accounts.factories import PASSWORD

LOGIN = "/accounts/login/"
MFA = "/accounts/2fa/authenticate/"


def password_step(client, email, password=PASSWORD):
    return client.post(LOGIN, {"login": email, "password": password})
