"""The studies' pseudonym keys: 32 random bytes per study, stored Fernet-encrypted under
RESEARCH_ENCRYPTION_KEYS (newest first; older keys still decrypt), never shown to anyone.

Only the export engine receives a study's key, to compute the case pseudonyms (a keyed HMAC).
Exception messages never contain key material."""

from __future__ import annotations

import functools
import secrets

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@functools.lru_cache(maxsize=4)
def _multifernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except (ValueError, TypeError):
        raise ImproperlyConfigured("RESEARCH_ENCRYPTION_KEYS holds an invalid Fernet key") from None


def _fernet() -> MultiFernet:
    keys = tuple(settings.RESEARCH_ENCRYPTION_KEYS)
    if not keys:
        raise ImproperlyConfigured("RESEARCH_ENCRYPTION_KEYS must hold at least one Fernet key")
    return _multifernet(keys)


def new_study_key_token() -> str:
    """A fresh study key, encrypted: what `Study.key_token` stores."""
    return _fernet().encrypt(secrets.token_bytes(32)).decode()


def study_key(token: str) -> bytes:
    """The study's secret, for the export engine only."""
    try:
        return _fernet().decrypt(token.encode())
    except InvalidToken:
        raise ImproperlyConfigured(
            "a study key can't be decrypted with the configured keys"
        ) from None
