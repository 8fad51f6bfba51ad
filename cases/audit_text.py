"""The audit log in words: each entry's object and details as short sentences, in the user's
language, for the administrators' audit page.

The services write codes (`object_type` "piket.Consult", `detail` {"piket": "geboekt"},
{"identity": False, "subproblems": 1}); this module turns the known ones into sentences and
anything else into "Key: value", so a code nobody described yet is still readable. Names of
organisations and advocaten are read for a whole page at once (two queries at most).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import Organisation, User
from cases.models import AuditEntry, Case, CaseStatusChange

# `detail["piket"]` and `detail["ruil"]`: what happened on the piket (written by piket's services)
PIKET_EVENTS = {
    "geboekt": gettext_lazy("Consult geboekt."),
    "geannuleerd": gettext_lazy("Consult geannuleerd."),
    "geannuleerd door coördinator": gettext_lazy("Consult geannuleerd door de coördinator."),
    "verplaatst": gettext_lazy("Consult verplaatst."),
    "gehouden": gettext_lazy("Consult gehouden."),
    "niet_verschenen": gettext_lazy("Consult niet doorgegaan."),
    "niet_bereikt": gettext_lazy("Advocaat niet bereikt."),
    "geboekt na niet bereikt": gettext_lazy(
        "Consult opnieuw geboekt nadat de advocaat niet bereikt werd."
    ),
    "wachtlijst": gettext_lazy("Op de wachtlijst gezet."),
    "wachtlijst aangeboden": gettext_lazy("Plek van de wachtlijst aangeboden."),
    "geboekt via wachtlijst": gettext_lazy("Consult geboekt via de wachtlijst."),
    "wachtlijst verlaten": gettext_lazy("Wachtlijst verlaten."),
    "aanbod ingetrokken, weer wachtend": gettext_lazy(
        "Aanbod ingetrokken; staat weer op de wachtlijst."
    ),
    "aanbod verlopen": gettext_lazy("Aanbod van de wachtlijst verlopen."),
    "ingedeeld": gettext_lazy("Advocaat ingedeeld op de dienst."),
    "aangemeld": gettext_lazy("Advocaat heeft zich aangemeld voor de dienst."),
    "afgemeld": gettext_lazy("Advocaat van de dienst gehaald."),
}
SWAP_EVENTS = {
    "aangeboden": gettext_lazy("Dienst aangeboden aan een collega."),
    "geaccepteerd": gettext_lazy("Ruil van dienst geaccepteerd."),
    "afgewezen": gettext_lazy("Ruil van dienst afgewezen."),
}
# `detail["export"]`: a research export request's step (written by research's services)
EXPORT_EVENTS = {
    "aangevraagd": gettext_lazy("Export aangevraagd."),
    "goedgekeurd": gettext_lazy("Export goedgekeurd."),
    "afgewezen": gettext_lazy("Export afgewezen."),
    "gemaakt": gettext_lazy("Export gemaakt."),
    "gemaakt via de opdrachtregel": gettext_lazy("Export gemaakt via de opdrachtregel."),
    "niet vrijgegeven": gettext_lazy("Export niet vrijgegeven."),
    "gedownload": gettext_lazy("Export gedownload."),
    "verlopen": gettext_lazy("Export verlopen; het bestand is verwijderd."),
}
STEPS = {
    "identity_destroyed": gettext_lazy("Identiteit in de kluis vernietigd."),
    "case_anonymised": gettext_lazy("Casus geanonimiseerd."),
}
REQUESTS = {"avg_art_15": gettext_lazy("Verzoek om inzage (AVG art. 15).")}
# field names in `detail["fields"]` that are no model field
FIELD_NAMES = {
    "identity": gettext_lazy("identiteit"),
    "subproblems": gettext_lazy("deelproblemen"),
    "grants": gettext_lazy("rechten op de casus"),
    "notes": gettext_lazy("notities"),
}


def describe_entries(entries: Iterable[AuditEntry]) -> list[AuditEntry]:
    """The entries, each with `description`: a list of sentences. Two queries at most."""
    entries = list(entries)
    organisation_ids, user_ids = set(), set()
    for entry in entries:
        detail = entry.detail if isinstance(entry.detail, dict) else {}
        organisation_ids |= {v for k, v in detail.items() if k == "to_organisation"}
        user_ids |= {v for k, v in detail.items() if k in ("to_advocaat", "consult")}
    names = {
        "organisation": _names(Organisation.objects, organisation_ids, "name"),
        "user": _names(User.objects, user_ids, "full_name"),
    }
    for entry in entries:
        entry.description = describe(entry, names)
    return entries


def _names(manager, ids: set, field: str) -> dict[int, str]:
    ids = {i for i in ids if isinstance(i, int)}
    if not ids:
        return {}
    return dict(manager.filter(pk__in=ids).values_list("pk", field))


def describe(entry: AuditEntry, names: dict[str, dict[int, str]] | None = None) -> list[str]:
    """One entry's object and details as sentences, in the active language."""
    names = names or {"organisation": {}, "user": {}}
    model = _model(entry.object_type)
    sentences = []
    if entry.object_type:
        what = capfirst(model._meta.verbose_name) if model else entry.object_type
        sentences.append(f"{what} {entry.object_id}".strip())
    detail = entry.detail if isinstance(entry.detail, dict) else {"": entry.detail}
    if "from" in detail and "to" in detail and not isinstance(detail["from"], dict):
        sentences.append(
            _("Status van %(from)s naar %(to)s.")
            % {
                "from": _choice(Case.Status, detail["from"]),
                "to": _choice(Case.Status, detail["to"]),
            }
        )
        detail = {k: v for k, v in detail.items() if k not in ("from", "to")}
    for key, value in sorted(detail.items(), key=lambda item: (ORDER.get(item[0], 99), item[0])):
        sentence = _sentence(key, value, model, names)
        if sentence:
            sentences.append(sentence)
    return sentences


def _sentence(key: str, value: Any, model: type[models.Model] | None, names: dict) -> str:
    describer = DESCRIBERS.get(key)
    if describer is not None:
        return describer(value, model, names)
    if isinstance(value, dict) and {"from", "to"} <= set(value):
        # a setting that changed, e.g. {"no_toevoeging_after_consult": {"from": True, "to": False}}
        return _("%(field)s: %(from)s → %(to)s.") % {
            "field": capfirst(_field_name(key, model)),
            "from": _value(value["from"]),
            "to": _value(value["to"]),
        }
    return _fallback(key, value, model)


def _fallback(key: str, value: Any, model: type[models.Model] | None) -> str:
    label = capfirst(_field_name(key, model)) if key else _("Details")
    return f"{label}: {_value(value)}"


def _value(value: Any) -> str:
    if value is True:
        return _("ja")
    if value is False:
        return _("nee")
    if value is None or value == "":
        return "—"
    if isinstance(value, (list, tuple)):
        return ", ".join(_value(v) for v in value) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{_field_name(k, None)}: {_value(v)}" for k, v in value.items())
    return str(value).replace("_", " ")


def _choice(choices: type[models.TextChoices], value: Any) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return _value(value)


@cache
def _models_by_name() -> dict[str, type[models.Model]]:
    return {model.__name__: model for model in apps.get_models()}


def _model(label: str) -> type[models.Model] | None:
    if not label or label.count(".") != 1:
        return None
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def _field_name(name: str, model: type[models.Model] | None) -> str:
    """A field's verbose name: "question" of a case, "Case.question", or a known pseudo field."""
    if "." in name:
        model_name, name = name.split(".", 1)
        model = _models_by_name().get(model_name)
    if name in FIELD_NAMES:
        return str(FIELD_NAMES[name])
    for candidate in (model, Case):
        if candidate is None:
            continue
        try:
            return str(candidate._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:
            continue
    return name.replace("_", " ")


def _code(table: dict, value: Any) -> str:
    if value in table:
        return str(table[value])
    return capfirst(_value(value)) + "."


def _fields(value, model, names) -> str:
    fields = value if isinstance(value, (list, tuple)) else [value]
    return _("Gewijzigd: %(fields)s.") % {
        "fields": ", ".join(_field_name(str(f), model) for f in fields) or "—"
    }


def _status(value, model, names) -> str:
    choices = {}
    if model is not None:
        with contextlib.suppress(FieldDoesNotExist):
            choices = dict(model._meta.get_field("status").flatchoices)
    return _("Status: %(status)s.") % {"status": choices.get(value) or _value(value)}


def _subproblems(value, model, names) -> str:
    if not isinstance(value, int):
        return _fallback("subproblems", value, model)
    return ngettext("%(n)d deelprobleem.", "%(n)d deelproblemen.", value) % {"n": value}


def _identity(value, model, names) -> str:
    return _("Identiteit in de kluis vastgelegd.") if value else _("Zonder identiteit.")


def _found(value, model, names) -> str:
    return _("Identiteit gevonden in de kluis.") if value else _("Geen identiteit in de kluis.")


def _identity_consent(value, model, names) -> str:
    if value:
        return _("De rechtzoekende stemt in met het delen van de identiteit.")
    return _("Zonder toestemming om de identiteit te delen.")


def _subproblem(value, model, names) -> str:
    return _("Deelprobleem %(n)s.") % {"n": value}


def _created(value, model, names) -> str:
    return _("Voor het eerst vastgelegd.") if value else _("Bijgewerkt.")


def _advocaat(value, model, names) -> str:
    if value is None:
        return ""
    name = names["user"].get(value, f"#{value}")
    return _("Advocaat: %(name)s.") % {"name": name}


def _organisation(value, model, names) -> str:
    name = names["organisation"].get(value, f"#{value}")
    return _("Naar organisatie: %(name)s.") % {"name": name}


def _note(value, model, names) -> str:
    return _("Met notitie %(id)s.") % {"id": value}


def _permissions(value, model, names) -> str:
    labels = dict(Case._meta.permissions)
    codes = value if isinstance(value, (list, tuple)) else [value]
    return _("Rechten: %(permissions)s.") % {
        "permissions": "; ".join(str(labels.get(code, code)) for code in codes)
    }


def _reason(value, model, names) -> str:
    return _("Aanleiding: %(reason)s.") % {"reason": _choice(CaseStatusChange.Reason, value)}


def _cases(value, model, names) -> str:
    count = len(value) if isinstance(value, (list, tuple)) else value
    if not isinstance(count, int):
        return _fallback("cases", value, model)
    if count == 0:
        return _("Geen casussen gevonden.")
    return ngettext("%(n)d casus.", "%(n)d casussen.", count) % {"n": count}


def _active(value, model, names) -> str:
    return _("Geactiveerd.") if value else _("Gedeactiveerd.")


def _calendar(value, model, names) -> str:
    return _("Nieuwe agenda-link gemaakt; de oude werkt niet meer.")


def _new_consult(value, model, names) -> str:
    return _("Nieuw consult: %(id)s.") % {"id": value}


def _replaces(value, model, names) -> str:
    return _("Vervangt consult %(id)s.") % {"id": value}


def _rows(value, model, names) -> str:
    if not isinstance(value, int):
        return _fallback("rows", value, model)
    return ngettext("%(n)d rij.", "%(n)d rijen.", value) % {"n": value}


# in the order the sentences are shown (PostgreSQL's jsonb keeps no order of its own)
DESCRIBERS: dict[str, Callable[[Any, Any, dict], str]] = {
    "piket": lambda value, model, names: _code(PIKET_EVENTS, value),
    "ruil": lambda value, model, names: _code(SWAP_EVENTS, value),
    "export": lambda value, model, names: _code(EXPORT_EVENTS, value),
    "study": lambda value, model, names: _("Onderzoek: %(code)s.") % {"code": value},
    "rows": _rows,
    "format": lambda value, model, names: _("Formaat: %(format)s.") % {"format": value},
    "step": lambda value, model, names: _code(STEPS, value),
    "request": lambda value, model, names: _code(REQUESTS, value),
    "nieuw": _new_consult,
    "vervangt": _replaces,
    "fields": _fields,
    "status": _status,
    "reason": _reason,
    "subproblems": _subproblems,
    "identity": _identity,
    "found": _found,
    "subproblem": _subproblem,
    "created": _created,
    "to_organisation": _organisation,
    "to_advocaat": _advocaat,
    "consult": _advocaat,
    "identity_consent": _identity_consent,
    "permissions": _permissions,
    "note": _note,
    "cases": _cases,
    "actief": _active,
    "agenda": _calendar,
}
ORDER = {key: index for index, key in enumerate(DESCRIBERS)}
