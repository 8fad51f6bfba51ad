"""Pages of accounts that every user meets: security headers, time zone and language."""

from __future__ import annotations


def test_pages_carry_a_strict_content_security_policy(client, db):
    policy = client.get("/accounts/login/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_times_are_shown_in_amsterdam(settings):
    assert settings.TIME_ZONE == "Europe/Amsterdam" and settings.USE_TZ


def test_dutch_is_the_default_even_for_an_english_browser(client, db):
    response = client.get("/accounts/login/", headers={"accept-language": "en-US,en;q=0.9"})
    assert '<html lang="nl">' in response.text
    assert "Inloggen" in response.text


def test_the_language_switch_chooses_english(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    page = client.get("/accounts/login/")
    assert '<html lang="en">' in page.text
    assert page.headers["Content-Language"] == "en"
