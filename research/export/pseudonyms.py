"""Per-study pseudonyms: HMAC-SHA256 under the study's own key.

The same case (or advocaat) gets the same pseudonym in every export of one study, so the
study's files link; under another study's key it gets an unrelated one, and without the key
nothing leads back to the case. PostgreSQL computes it (`sha256()` is built in since version 11;
no extension needed) as the textbook HMAC: H((K ^ opad) || H((K ^ ipad) || message)), so the
rows never travel to Python to be pseudonymised. `pseudonym()` is the Python twin (tests).
"""

from __future__ import annotations

import hashlib
import hmac

BLOCK = 64  # SHA-256 block size in bytes
LENGTH = 20  # hex characters kept: 80 bits, no collision among millions of cases


def pads(key: bytes) -> tuple[bytes, bytes]:
    """(K ^ ipad, K ^ opad) of a key, as RFC 2104 prepares it."""
    if not key:
        raise ValueError("a study key is required")
    if len(key) > BLOCK:
        key = hashlib.sha256(key).digest()
    key = key.ljust(BLOCK, b"\0")
    return bytes(b ^ 0x36 for b in key), bytes(b ^ 0x5C for b in key)


def pseudonym(key: bytes, message: str) -> str:
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()[:LENGTH]


def pseudonym_sql(message_sql: str, ipad_param: str, opad_param: str) -> str:
    """SQL for the pseudonym of `message_sql` (text); the pads are bytea parameters."""
    return (
        f"left(encode(sha256({opad_param} || sha256({ipad_param} || "
        f"convert_to({message_sql}, 'UTF8'))), 'hex'), {LENGTH})"
    )


def new_study_key() -> bytes:
    """A fresh random key for a new study (32 bytes)."""
    import secrets

    return secrets.token_bytes(32)
