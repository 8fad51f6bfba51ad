"""Encryption primitives of the client identity vault (AVG/GDPR).

A client's identity (name, date of birth, phone, e-mail, address) is kept apart from the case
data, encrypted at rest with Fernet. Two independent secrets are used:

* ``IDENTITY_ENCRYPTION_KEYS``: a list of url-safe base64 Fernet keys, newest first. New writes
  use the newest key; older keys still decrypt, so keys can be rotated with :func:`reencrypt`.
* ``IDENTITY_HASH_KEY``: the HMAC-SHA256 key of :func:`identity_hash`, a keyed hash of the
  normalised name and date of birth. Equal hashes tell a worker "this client has earlier cases"
  without decrypting anything; without the key the hash can't be brute-forced from public data.
  The same key, in a domain of its own, makes :func:`name_hash` of the name alone: it finds a
  client's records for a data subject request when no date of birth is known.

Exception messages never contain plaintext identity data or key material.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import hashlib
import hmac
import json
import unicodedata
from collections.abc import Mapping
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

__all__ = [
    "Identity",
    "VaultError",
    "decrypt_identity",
    "encrypt_identity",
    "identity_hash",
    "name_hash",
    "normalise_name",
    "reencrypt",
]

ENCRYPTION_KEYS_SETTING = "IDENTITY_ENCRYPTION_KEYS"
HASH_KEY_SETTING = "IDENTITY_HASH_KEY"

# Bumped if the normalisation or the hashed message ever changes: old and new hashes then can't
# be mistaken for each other.
_HASH_VERSION = "identity-v1"
_NAME_HASH_VERSION = "name-v1"  # another domain: a name hash never equals an identity hash
_SEPARATOR = "\x1f"  # never part of a normalised name (letters and single spaces only)

# Letters that NFKD does not decompose into a base letter plus accent.
_FOLD_LETTERS = str.maketrans(
    {
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "ł": "l",
        "ħ": "h",
        "ı": "i",
        "ŧ": "t",
        "æ": "ae",
        "œ": "oe",
        "þ": "th",
    }
)
# Removed rather than treated as a separator: "D'Souza" == "DSouza".
_APOSTROPHES = frozenset("'’‘`´ʼ")


class VaultError(Exception):
    """A token can't be decrypted or doesn't hold an identity record.

    The message never contains the token's plaintext.
    """


# ---------------------------------------------------------------- settings


def _encryption_keys() -> tuple[str, ...]:
    keys = getattr(settings, ENCRYPTION_KEYS_SETTING, None)
    if isinstance(keys, str | bytes):
        # Tolerate a comma-separated string, as in the environment variable.
        keys = keys.decode() if isinstance(keys, bytes) else keys
        keys = [key.strip() for key in keys.split(",") if key.strip()]
    if not isinstance(keys, list | tuple) or not keys:
        raise ImproperlyConfigured(
            f"{ENCRYPTION_KEYS_SETTING} must be a non-empty list of Fernet keys, newest first"
        )
    if not all(isinstance(key, str | bytes) for key in keys):
        raise ImproperlyConfigured(f"{ENCRYPTION_KEYS_SETTING} must hold Fernet keys as strings")
    return tuple(key.decode() if isinstance(key, bytes) else key for key in keys)


@functools.lru_cache(maxsize=8)
def _multifernet(keys: tuple[str, ...]) -> MultiFernet:
    fernets = []
    for position, key in enumerate(keys, start=1):
        try:
            fernets.append(Fernet(key))
        except (ValueError, TypeError):
            # `from None`: the underlying error must not drag key material into a traceback.
            raise ImproperlyConfigured(
                f"{ENCRYPTION_KEYS_SETTING} holds an invalid Fernet key "
                f"(entry {position} of {len(keys)}); expected 32 url-safe base64-encoded bytes"
            ) from None
    return MultiFernet(fernets)


def _fernet() -> MultiFernet:
    return _multifernet(_encryption_keys())


def _hash_key() -> bytes:
    key = getattr(settings, HASH_KEY_SETTING, None)
    if not isinstance(key, str) or not key.strip():
        raise ImproperlyConfigured(f"{HASH_KEY_SETTING} must be a non-empty string")
    encryption_keys = getattr(settings, ENCRYPTION_KEYS_SETTING, None) or ()
    if isinstance(encryption_keys, list | tuple) and key in encryption_keys:
        raise ImproperlyConfigured(
            f"{HASH_KEY_SETTING} must be its own secret, not one of {ENCRYPTION_KEYS_SETTING}"
        )
    return key.encode()


# ---------------------------------------------------------------- encryption


def encrypt_identity(data: dict[str, str]) -> str:
    """Encrypt an identity record with the newest key of IDENTITY_ENCRYPTION_KEYS.

    ``data`` maps field names to strings (see :meth:`Identity.to_dict`). It is serialised as JSON
    with sorted keys and encrypted with Fernet; the returned token is an ASCII string. Two calls
    with the same data give different tokens (random IV, timestamp).

    Raises TypeError when ``data`` is not a dict of strings (the message names no values) and
    ImproperlyConfigured when the setting is missing or holds a malformed key.
    """
    _check_record(data, error=TypeError)
    plaintext = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return _fernet().encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt_identity(token: str) -> dict[str, str]:
    """Decrypt a token from :func:`encrypt_identity` with any key of IDENTITY_ENCRYPTION_KEYS.

    Raises VaultError when the token is malformed, tampered with, encrypted with a key that is
    no longer configured, or doesn't hold a dict of strings. Raises ImproperlyConfigured when the
    setting is missing or holds a malformed key.
    """
    plaintext = _decrypt(token)
    try:
        data = json.loads(plaintext.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        # These exceptions carry the plaintext in their attributes: raise outside the except
        # block, so the VaultError's __context__ doesn't hold on to them either.
        data = _NOT_A_RECORD
    if data is _NOT_A_RECORD:
        raise VaultError("identity token does not hold an identity record")
    _check_record(data, error=VaultError)
    return data


_NOT_A_RECORD = object()


def reencrypt(token: str) -> str:
    """Re-encrypt a token with the newest key of IDENTITY_ENCRYPTION_KEYS (key rotation).

    Uses ``MultiFernet.rotate``: the token is decrypted with any configured key and encrypted
    again with the first one. After every stored token has been re-encrypted, the old keys can
    be removed from the setting. Raises VaultError when the token can't be decrypted.
    """
    fernet = _fernet()
    _check_token_type(token)
    try:
        return fernet.rotate(token.encode("ascii")).decode("ascii")
    except (InvalidToken, UnicodeEncodeError):
        raise VaultError(_UNDECRYPTABLE) from None


_UNDECRYPTABLE = (
    "identity token can't be decrypted: it is malformed, was tampered with, "
    f"or was encrypted with a key that is no longer in {ENCRYPTION_KEYS_SETTING}"
)


def _check_token_type(token: object) -> None:
    if not isinstance(token, str):
        raise VaultError(f"identity token must be a str, not {type(token).__name__}")


def _decrypt(token: str) -> bytes:
    fernet = _fernet()
    _check_token_type(token)
    try:
        return fernet.decrypt(token.encode("ascii"))
    except (InvalidToken, UnicodeEncodeError):
        raise VaultError(_UNDECRYPTABLE) from None


def _check_record(data: object, *, error: type[Exception]) -> None:
    if not isinstance(data, dict):
        raise error(f"an identity record must be a dict, not {type(data).__name__}")
    for key, value in data.items():
        if not isinstance(key, str):
            raise error("identity record keys must be str")
        if not isinstance(value, str):
            # Values are personal data and never named. Field names are named only for the
            # caller's own input, not for the (decrypted) contents of a token.
            field = f" {key!r}" if error is not VaultError else ""
            raise error(f"identity record field{field} must be a str, not {type(value).__name__}")


# ---------------------------------------------------------------- keyed hash


def normalise_name(name: str) -> str:
    """Normalise a name for :func:`identity_hash`.

    Unicode NFKD, accents stripped (é→e), casefolded, a few letters without decomposition folded
    (ø→o, æ→ae, ł→l, ...), apostrophes removed, every other non-letter treated as a space, and
    the name parts sorted and joined by single spaces. So "Jansen, Piet", "piet jansen" and
    "Piet  Jánsen" all give "jansen piet". Returns "" when no letters remain.
    """

    def strip_accents(text: str) -> str:
        decomposed = unicodedata.normalize("NFKD", text)
        return "".join(char for char in decomposed if not unicodedata.combining(char))

    # Casefolding can produce new combining marks ("ǰ" → "j" + caron), hence twice.
    text = strip_accents(strip_accents(name).casefold()).translate(_FOLD_LETTERS)
    text = "".join(char if char.isalpha() else " " for char in text if char not in _APOSTROPHES)
    return " ".join(sorted(text.split()))


def identity_hash(*, name: str, birth_date: datetime.date | None) -> str:
    """Return the keyed hash (HMAC-SHA256, hex) of a normalised name and date of birth.

    The key is IDENTITY_HASH_KEY, a secret of its own (not an encryption key). The name is
    normalised with :func:`normalise_name`; the date of birth is included as an ISO date, or as
    "" when unknown. Returns "" when the name normalises to nothing: an empty identity has no
    hash and must never match other empty identities. Raises ImproperlyConfigured when
    IDENTITY_HASH_KEY is missing or empty.
    """
    key = _hash_key()
    normalised = normalise_name(name)
    if not normalised:
        return ""
    if isinstance(birth_date, datetime.datetime):
        birth_date = birth_date.date()
    if birth_date is not None and not isinstance(birth_date, datetime.date):
        raise TypeError(f"birth_date must be a date or None, not {type(birth_date).__name__}")
    date = birth_date.isoformat() if birth_date is not None else ""
    message = _SEPARATOR.join((_HASH_VERSION, normalised, date)).encode("utf-8")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def name_hash(name: str) -> str:
    """Return the keyed hash (HMAC-SHA256, hex) of the normalised name alone.

    For the data subject request (AVG art. 15) of a client who gives no date of birth, or whose
    records hold none. It matches everyone of that name (namesakes too), so what it finds is a
    candidate until confirmed per case. A name is easier to guess than a name with a date of
    birth: should IDENTITY_HASH_KEY leak, these hashes reveal more than :func:`identity_hash`;
    without the key they reveal nothing. Returns "" when the name normalises to nothing.
    """
    key = _hash_key()
    normalised = normalise_name(name)
    if not normalised:
        return ""
    message = _SEPARATOR.join((_NAME_HASH_VERSION, normalised)).encode("utf-8")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


# ---------------------------------------------------------------- value object


@dataclasses.dataclass(frozen=True)
class Identity:
    """A client's identity as stored in the vault; all text fields default to ""."""

    full_name: str = ""
    birth_date: datetime.date | None = None
    phone: str = ""
    email: str = ""
    street_address: str = ""
    postcode: str = ""
    city: str = ""

    def to_dict(self) -> dict[str, str]:
        """Return the fields as a dict of strings; birth_date as ISO date, "" when unknown."""
        data = {field.name: getattr(self, field.name) for field in dataclasses.fields(self)}
        data["birth_date"] = self.birth_date.isoformat() if self.birth_date is not None else ""
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Identity:
        """Build an Identity from :meth:`to_dict` output (e.g. :func:`decrypt_identity`).

        Missing fields get their default; unknown fields raise ValueError, a birth_date that is
        not an ISO date raises ValueError, and non-string values raise TypeError. Messages name
        fields, never values.
        """
        names = {field.name for field in dataclasses.fields(cls)}
        unknown = sorted(str(key) for key in data if key not in names)
        if unknown:
            raise ValueError(f"unknown identity fields: {', '.join(unknown)}")
        values: dict[str, Any] = {}
        for key, value in data.items():
            if not isinstance(value, str):
                raise TypeError(f"identity field {key!r} must be a str, not {type(value).__name__}")
            values[key] = value
        raw_date = values.pop("birth_date", "").strip()
        birth_date = None
        if raw_date:
            try:
                birth_date = datetime.date.fromisoformat(raw_date)
            except ValueError:
                raise ValueError("identity field 'birth_date' is not an ISO date") from None
        return cls(birth_date=birth_date, **values)

    def is_empty(self) -> bool:
        """True when no field holds anything (blank strings count as empty)."""
        return self.birth_date is None and not any(
            getattr(self, field.name).strip()
            for field in dataclasses.fields(self)
            if field.name != "birth_date"
        )
