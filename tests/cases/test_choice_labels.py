"""get_FOO_display() of the models with ChoiceLabels answers as Django's own, in either language."""

from __future__ import annotations

import pytest
from django.db import models
from django.utils.translation import override

from accounts.choices import ChoiceLabels
from cases.models import Case, CaseStatusChange, Handover, SecondLineAdvice, SubProblem
from piket.models import Consult

MODELS = [Case, CaseStatusChange, SubProblem, SecondLineAdvice, Handover, Consult]


def _choice_fields():
    for model in MODELS:
        assert issubclass(model, ChoiceLabels)
        for field in model._meta.concrete_fields:
            if field.choices:
                yield pytest.param(model, field, id=f"{model.__name__}.{field.name}")


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize(("model", "field"), list(_choice_fields()))
def test_display_is_djangos(model, field, language):
    values = [value for value, _label in field.flatchoices] + ["onbekend", None]
    with override(language):
        for value in values:
            instance = model()
            setattr(instance, field.attname, value)
            expected = models.Model._get_FIELD_display(instance, field)
            shown = getattr(instance, f"get_{field.name}_display")()
            assert shown == expected
            assert type(shown) is type(expected)
