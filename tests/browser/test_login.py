"""Login with password and TOTP in a real browser, with an axe scan of each page on the way."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import PASSWORD, TOTP_SECRET, UserFactory
from tests.accounts.totp import totp_code
from tests.browser.support import assert_accessible, assert_no_console_errors

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def fill_password(page, email, password=PASSWORD):
    page.goto("/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()


def test_login_with_password_and_code(page, anna):
    page.goto("/")
    assert "/accounts/login/" in page.url
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")
    assert_accessible(page)

    fill_password(page, anna.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Code uit uw authenticator-app")
    assert_accessible(page)

    page.get_by_label("Code").fill(totp_code(TOTP_SECRET))
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welkom, Anna")
    assert page.url.endswith("/")
    assert_accessible(page)
    assert_no_console_errors(page)


def test_wrong_password_is_rejected_with_a_clear_message(page, anna):
    fill_password(page, anna.email, "niet-mijn-wachtwoord")
    expect(
        page.get_by_text("e-mailadres en/of wachtwoord dat u hebt ingevuld, is niet juist")
    ).to_be_visible()
    assert "/accounts/login/" in page.url
    assert_accessible(page)


def test_wrong_code_is_rejected_with_a_clear_message(page, anna):
    fill_password(page, anna.email)
    wrong = f"{(int(totp_code(TOTP_SECRET)) + 1) % 1_000_000:06d}"
    page.get_by_label("Code").fill(wrong)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_text("Ongeldige code")).to_be_visible()
    assert "/accounts/2fa/authenticate/" in page.url
    assert_accessible(page)


def test_repeated_failures_lock_the_login(page, anna):
    for _ in range(5):
        fill_password(page, anna.email, "niet-mijn-wachtwoord")
    fill_password(page, anna.email)
    expect(page.get_by_text("Te veel inlogpogingen")).to_be_visible()
    assert "/accounts/login/" in page.url


def test_first_login_sets_up_two_factor_authentication(page, db):
    user = UserFactory(totp=False, full_name="Nieuwe Collega")
    fill_password(page, user.email)
    assert "/accounts/2fa/totp/activate/" in page.url
    assert_accessible(page)
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Code").fill(totp_code(secret))
    page.get_by_role("button", name="Activeren").click()
    assert "/accounts/2fa/recovery-codes/" in page.url or page.url.endswith("/")
    assert_accessible(page)
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welkom, Nieuwe")
