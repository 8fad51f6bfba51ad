"""Every concrete model of the project's own apps has a factory in tests/<app>/factories.py, and
every factory makes a valid saved row: it passes `full_clean` as it comes from the database.

The apps are found through django.apps (those whose code lives in this repository), so a new
app or model without a factory fails here."""

from __future__ import annotations

import importlib
from pathlib import Path

import factory
import pytest
from django.apps import AppConfig, apps
from django.conf import settings

ROOT = Path(settings.BASE_DIR).resolve()


def _is_own(config: AppConfig) -> bool:
    path = Path(config.path).resolve()
    return path.is_relative_to(ROOT) and "site-packages" not in path.parts


OWN_APPS = [config for config in apps.get_app_configs() if _is_own(config)]
MODELS = [
    model
    for config in OWN_APPS
    for model in config.get_models(include_auto_created=False)
    if not model._meta.abstract and not model._meta.proxy
]


def factories_of(model) -> list[type[factory.django.DjangoModelFactory]]:
    """The factories for `model` defined in tests/<app label>/factories.py itself."""
    try:
        module = importlib.import_module(f"tests.{model._meta.app_label}.factories")
    except ModuleNotFoundError:
        return []
    return [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, factory.django.DjangoModelFactory)
        and value.__module__ == module.__name__
        and value._meta.model is model
    ]


def test_the_project_apps_are_found():
    labels = {config.label for config in OWN_APPS}
    assert {"accounts", "cases", "piket", "signalering", "bestpractices"} <= labels
    assert not any(config.name.startswith("django.") for config in OWN_APPS)
    assert len(MODELS) >= 25


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_every_model_has_a_factory(model):
    label = model._meta.app_label
    assert factories_of(model), f"no factory for {model._meta.label} in tests/{label}/factories.py"


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_the_factory_makes_a_valid_saved_row(db, model):
    for model_factory in factories_of(model):
        made = model_factory()
        saved = model.objects.get(pk=made.pk)
        saved.full_clean()
