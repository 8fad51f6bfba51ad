"""Every field of every installed model declares what kind of data it holds (accounts.privacy)."""

from __future__ import annotations

import pytest
from django.apps import apps

from accounts.privacy import DataClass, declared, field_names, undeclared_fields

MODELS = apps.get_models(include_auto_created=False)


def test_every_field_of_every_installed_model_has_a_data_class():
    assert undeclared_fields() == []


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_declared_classes_are_valid_data_classes(model):
    invalid = {name: cls for name, cls in declared(model).items() if not isinstance(cls, DataClass)}
    assert invalid == {}


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_declarations_name_only_existing_fields(model):
    """A renamed or removed field leaves no stale entry behind."""
    assert set(declared(model)) - set(field_names(model)) == set()


def test_the_client_identity_is_direct_and_case_text_is_sensitive():
    from cases.models import Case, ClientIdentity

    assert declared(ClientIdentity)["encrypted"] == DataClass.DIRECT
    assert declared(Case)["question"] == DataClass.SENSITIVE
