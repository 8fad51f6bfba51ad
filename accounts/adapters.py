"""allauth customisation: no open sign-up, and TOTP secrets encrypted at rest."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # Administrators and coordinators invite users; nobody signs up.
        return False

    def login(self, request, user) -> None:
        super().login(request, user)
        if not has_totp(user):
            # The password was given a moment ago: setting up the required TOTP right after the
            # first login should not ask for it a second time.
            record_authentication(request, user, method="password", reauthenticated=True)


def _fernet() -> MultiFernet:
    try:
        return MultiFernet([Fernet(key) for key in settings.MFA_ENCRYPTION_KEYS])
    except ValueError as exc:
        raise ImproperlyConfigured("MFA_ENCRYPTION_KEYS holds an invalid Fernet key") from exc


class MFAAdapter(DefaultMFAAdapter):
    """Encrypts TOTP secrets with MFA_ENCRYPTION_KEYS (newest first; older keys still decrypt)."""

    def encrypt(self, text: str) -> str:
        return _fernet().encrypt(text.encode()).decode()

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        # Two-factor login is required of everyone: TOTP stays once set up (a lost phone: the
        # recovery codes, or an administrator resets it and ends the user's sessions).
        return authenticator.type != Authenticator.Type.TOTP

    def decrypt(self, encrypted_text: str) -> str:
        try:
            return _fernet().decrypt(encrypted_text.encode()).decode()
        except InvalidToken as exc:
            raise ImproperlyConfigured(
                "a TOTP secret can't be decrypted with MFA_ENCRYPTION_KEYS"
            ) from exc


def has_totp(user) -> bool:
    cached = getattr(user, "_pilot_has_totp", None)
    if cached is None:
        cached = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        user._pilot_has_totp = cached
    return cached
