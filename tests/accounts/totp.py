"""Compute TOTP codes the way an authenticator app does (RFC 6238)."""

from __future__ import annotations

import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value


def totp_code(secret: str, at: float | None = None, period: int = 30) -> str:
    counter = int((time.time() if at is None else at) // period)
    return format_hotp_value(hotp_value(secret, counter))
