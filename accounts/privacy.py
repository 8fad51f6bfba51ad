"""What kind of data every model field holds: the one declaration that privacy code reads.

Each model of this project declares `data_classes = {field_name: DataClass...}` next to its
fields; models of third-party apps are declared here in THIRD_PARTY. A test fails when any field
of any installed model has no class. The research export, the audit of identity reveals and the
log scrubbing read this declaration.
"""

from __future__ import annotations

from enum import StrEnum

from django.apps import apps
from django.db import models


class DataClass(StrEnum):
    DIRECT = "direct"  # identifies a person on its own: name, e-mail, phone, address, birth date
    QUASI = "quasi"  # identifies in combination: age band, postcode area, dates, location
    SENSITIVE = "sensitive"  # special or confidential content: legal analysis, notes, secrets
    SAFE = "safe"  # keys, codes, flags, reference data


DIRECT, QUASI, SENSITIVE, SAFE = (
    DataClass.DIRECT,
    DataClass.QUASI,
    DataClass.SENSITIVE,
    DataClass.SAFE,
)
D, Q, S, X = DIRECT, QUASI, SENSITIVE, SAFE  # short names for the table below

# Models of other apps, keyed "app_label.ModelName".
THIRD_PARTY: dict[str, dict[str, DataClass]] = {
    "admin.LogEntry": {
        "id": X,
        "action_time": Q,
        "user": Q,
        "content_type": X,
        "object_id": X,
        "object_repr": S,
        "action_flag": X,
        "change_message": S,
    },
    "auth.Permission": {"id": X, "name": X, "content_type": X, "codename": X},
    "auth.Group": {"id": X, "name": X, "permissions": X},
    "contenttypes.ContentType": {"id": X, "app_label": X, "model": X},
    "sessions.Session": {"session_key": S, "session_data": S, "expire_date": Q},
    "sites.Site": {"id": X, "domain": X, "name": X},
    "account.EmailAddress": {"id": X, "user": X, "email": D, "verified": X, "primary": X},
    "account.EmailConfirmation": {"id": X, "email_address": X, "created": Q, "sent": Q, "key": S},
    "mfa.Authenticator": {
        "id": X,
        "user": X,
        "type": X,
        "data": S,
        "created_at": Q,
        "last_used_at": Q,
    },
    "guardian.UserObjectPermission": {
        "id": X,
        "permission": X,
        "content_type": X,
        "object_pk": X,
        "user": X,
    },
    "guardian.GroupObjectPermission": {
        "id": X,
        "permission": X,
        "content_type": X,
        "object_pk": X,
        "group": X,
    },
}


def declared(model: type[models.Model]) -> dict[str, DataClass]:
    own = getattr(model, "data_classes", None)
    if own is not None:
        return own
    return THIRD_PARTY.get(model._meta.label, {})


def field_names(model: type[models.Model]) -> list[str]:
    """The model's own fields and forward relations (reverse relations belong to the other side)."""
    return [
        f.name
        for f in model._meta.get_fields()
        if f.concrete or (f.many_to_many and not f.auto_created)
    ]


def undeclared_fields() -> list[str]:
    """'app.Model.field' for every field of any installed model that has no data class."""
    missing = []
    for model in apps.get_models(include_auto_created=False):
        classes = declared(model)
        missing += [
            f"{model._meta.label}.{name}" for name in field_names(model) if name not in classes
        ]
    return missing


def fields_of_class(model: type[models.Model], *classes: DataClass) -> list[str]:
    return [name for name, cls in declared(model).items() if cls in classes]
