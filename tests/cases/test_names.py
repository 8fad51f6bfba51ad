"""Names in free text: found by deduce, a warning the user confirms; every free-text field of
every app is guarded, and every form with such a field asks about names."""

from __future__ import annotations

import contextlib
import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone

from cases.models import Case
from cases.pii import NameCheckMixin, find_names, validate_no_personal_data

PROJECT_APPS = ["accounts", "cases", "piket", "research", "signalering", "bestpractices", "pilot"]

SENTENCE = "Mevrouw Fatima el Amrani uit de Kanaalstraat heeft een huurachterstand."


def test_deduce_finds_the_names_the_pilot_saw_leak():
    found = [SENTENCE[f.start : f.end] for f in find_names(SENTENCE)]
    assert found and found[0].startswith("Mevrouw Fatima el Amrani")
    assert find_names("Dhr. Jansen van het UWV belt terug.")


@pytest.mark.parametrize(
    "text",
    [
        "Huurverhoging te hoog; bezwaar bij de huurcommissie binnen zes weken.",
        "De uitkering is stopgezet door de gemeente Utrecht; bezwaar loopt.",
        "ontslag op staande voet, termijn loopt",
        "",
    ],
)
def test_plain_legal_text_has_no_names(text):
    assert find_names(text) == []


def registration(**overrides) -> dict:
    data = {
        "deel-TOTAL_FORMS": "1",
        "deel-INITIAL_FORMS": "0",
        "deel-MIN_NUM_FORMS": "1",
        "deel-MAX_NUM_FORMS": "10",
        "deel-0-subject": "Huurrecht",
        "deel-0-referral_useful": "weet_niet",
        "casus-first_contact_on": timezone.localdate().isoformat(),
    }
    data.update(overrides)
    return data


def test_a_name_is_questioned_and_saved_once_confirmed(login, anna):
    client = login(anna)
    questioned = client.post("/casussen/nieuw/", registration(**{"deel-0-analysis": SENTENCE}))
    assert questioned.status_code == 200
    assert "Dit lijkt een naam te bevatten" in questioned.text
    assert 'name="deel-0-names_confirmed"' in questioned.text  # the check box to confirm
    assert not Case.objects.exists()

    confirmed = client.post(
        "/casussen/nieuw/",
        registration(**{"deel-0-analysis": SENTENCE, "deel-0-names_confirmed": "on"}),
    )
    assert confirmed.status_code == 302
    assert Case.objects.get().subproblems.get().analysis == SENTENCE


def test_confirming_a_name_never_lets_a_bsn_through(login, anna):
    text = "Advocaat Bart Smit vraagt naar BSN 111222333."
    response = login(anna).post(
        "/casussen/nieuw/",
        registration(**{"deel-0-analysis": text, "deel-0-names_confirmed": "on"}),
    )
    assert response.status_code == 200 and "bevat een BSN" in response.text
    assert not Case.objects.exists()


# Text-like fields that are not free text about a case: each with the reason.
NOT_FREE_TEXT = {
    "accounts.User.password": "a password hash",
    "accounts.User.full_name": "the professional's own name",
    "accounts.User.phone": "the professional's work number",
    "accounts.Location.name": "reference data",
    "accounts.Location.slug": "reference data",
    "accounts.Organisation.name": "reference data",
    "accounts.Invitation.token_hash": "a hash",
    "cases.LegalArea.name": "reference data",
    "cases.LegalArea.slug": "reference data",
    "cases.KindOfCase.name": "reference data",
    "cases.Counterparty.name": "reference data",
    "cases.SocialMapEntry.name": "an organisation's name",
    "cases.SocialMapEntry.contact_route": "an organisation's phone number or website",
    "cases.Case.number": "a random case number",
    "cases.Case.postcode_area": "four digits, checked by a constraint",
    "cases.ClientIdentity.identity_hash": "the vault's keyed hash",
    "cases.ClientIdentity.name_hash": "the vault's keyed hash of the name alone",
    "cases.ClientIdentity.encrypted": "the vault's ciphertext",
    "cases.AuditEntry.object_type": "a code",
    "cases.AuditEntry.object_id": "a code",
    "piket.Consult.callback_number": "the worker's own work number",
    "piket.WaitlistEntry.callback_number": "the worker's own work number",
    "piket.CalendarFeed.token_hash": "a hash",
    "research.Study.code": "a study's code, set by an administrator",
    "research.Study.name": "a study's title, set by an administrator",
    "research.Study.key_token": "the study's encrypted pseudonym key",
    "research.ExportRequest.failure_message": "the export engine's own message",
    "research.ExportRequest.file_name": "a file name the app makes",
    "bestpractices.Entry.slug": "a URL slug, letters, digits and dashes only",
    "bestpractices.Notification.key": "a code the app makes (the event a mail is about)",
}


def free_text_fields() -> list[str]:
    found = []
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        for field in model._meta.concrete_fields:
            if (
                isinstance(field, (models.TextField, models.CharField))
                and not field.choices
                and not isinstance(field, models.EmailField)
            ):
                found.append(f"{model._meta.label}.{field.name}")
    return found


def test_every_free_text_field_of_every_app_is_guarded():
    """A new model's text field must refuse personal data, or be named above with a reason."""
    unguarded = [
        label
        for label in free_text_fields()
        if label not in NOT_FREE_TEXT
        and validate_no_personal_data
        not in apps.get_model(label.rsplit(".", 1)[0])
        ._meta.get_field(label.rsplit(".", 1)[1])
        .validators
    ]
    assert unguarded == []
    assert set(NOT_FREE_TEXT) <= set(free_text_fields())  # no stale exemptions


def project_forms() -> list[type[forms.BaseForm]]:
    classes = []
    for app in PROJECT_APPS:
        names = [f"{app}.forms"]
        try:
            package = importlib.import_module(f"{app}.forms")
        except ModuleNotFoundError:
            continue
        if hasattr(package, "__path__"):
            names += [f"{app}.forms.{m.name}" for m in pkgutil.iter_modules(package.__path__)]
        for name in names:
            module = importlib.import_module(name)
            classes += [
                cls
                for _n, cls in inspect.getmembers(module, inspect.isclass)
                if issubclass(cls, forms.BaseForm) and cls.__module__ == name
            ]
    return classes


def guarded_fields(form_class) -> list[str]:
    fields = form_class.base_fields
    model = getattr(getattr(form_class, "_meta", None), "model", None)
    guarded = []
    for name, field in fields.items():
        validators = list(field.validators)
        if model is not None:
            with contextlib.suppress(FieldDoesNotExist):
                validators += model._meta.get_field(name).validators
        if validate_no_personal_data in validators:
            guarded.append(name)
        elif isinstance(field.widget, forms.Textarea):
            guarded.append(f"UNGUARDED {name}")
    return guarded


def test_every_form_with_free_text_guards_it_and_asks_about_names():
    checked = 0
    for form_class in project_forms():
        fields = guarded_fields(form_class)
        assert not [f for f in fields if f.startswith("UNGUARDED")], (form_class, fields)
        if fields:
            checked += 1
            assert issubclass(form_class, NameCheckMixin), form_class
    assert checked >= 12
