"""Keep personal data out of the logs.

`PersonalDataFilter` sits on the log handlers (settings.LOGGING). It redacts what cases.pii
recognises (BSN, e-mail, phone, IBAN, address, birth date) in the message, its arguments, the
traceback and `extra` values, and it replaces values whose key names a field classified DIRECT or
SENSITIVE in the data-class declaration (accounts.privacy), so
`logger.info("saved %s", {"full_name": ...})` logs `{'full_name': '[verwijderd]'}`.

Loaded while settings are read, before the app registry is ready: no models are imported here.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping
from typing import Any

from django.apps import apps

from accounts.privacy import DataClass, fields_of_class
from cases import pii, vault

REMOVED = "[verwijderd]"

# Every field of a vault identity identifies the client directly.
_IDENTITY_KEYS = frozenset(field.name for field in dataclasses.fields(vault.Identity))
# What a LogRecord carries itself; anything else came in through `extra`.
_RECORD_ATTRIBUTES = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {
    "message",
    "asctime",
    "taskName",
}
_MAX_DEPTH = 5
_formatter = logging.Formatter()
_personal_keys: frozenset[str] | None = None


def personal_data_keys() -> frozenset[str]:
    """Field names classified DIRECT or SENSITIVE in any installed model, and the identity's.

    Read once, when the models are loaded; until then only the identity's field names.
    """
    global _personal_keys
    if _personal_keys is not None:
        return _personal_keys
    if not apps.models_ready:
        return _IDENTITY_KEYS
    names = set(_IDENTITY_KEYS)
    for model in apps.get_models(include_auto_created=False):
        names.update(fields_of_class(model, DataClass.DIRECT, DataClass.SENSITIVE))
    _personal_keys = frozenset(name.lower() for name in names)
    return _personal_keys


def scrub(value: Any, keys: frozenset[str], depth: int = 0) -> Any:
    """`value` with personal data redacted: in strings, and by key in mappings (nested too)."""
    if isinstance(value, str):
        return pii.redact(value)
    if depth >= _MAX_DEPTH:
        return value
    if isinstance(value, Mapping):
        return {
            key: REMOVED if str(key).lower() in keys else scrub(item, keys, depth + 1)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple | set | frozenset):
        return type(value)(scrub(item, keys, depth + 1) for item in value)
    return value


class PersonalDataFilter(logging.Filter):
    """Redacts personal data from every record; never drops one."""

    def filter(self, record: logging.LogRecord) -> bool:
        keys = personal_data_keys()
        if isinstance(record.args, Mapping):  # logger.info("%(name)s", {"name": ...})
            record.args = scrub(record.args, keys)
        elif record.args:
            record.args = tuple(scrub(arg, keys) for arg in record.args)
        for name, value in list(vars(record).items()):
            if name not in _RECORD_ATTRIBUTES:
                setattr(record, name, REMOVED if name.lower() in keys else scrub(value, keys))
        try:
            message = record.getMessage()
        except (TypeError, ValueError, KeyError):
            # Arguments that don't fit the message: the handler would print them unredacted.
            message = str(record.msg)
        record.msg, record.args = pii.redact(message), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = _formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = pii.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = pii.redact(record.stack_info)
        return True
