"""The registry of case content (cases.content), generated from the model registry: every model
of any app that links to a case and holds text about the client is in it, and erasure,
retention and the art. 15 export cover every such field. A new model or field that is missed
makes these tests fail."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models

from accounts.privacy import DataClass, declared
from cases import content
from cases.models import Case, Handover
from cases.services import privacy
from tests.cases.factories import (
    PIET,
    CaseFactory,
    ClientIdentityFactory,
    HandoverFactory,
    NoteFactory,
    SecondLineAdviceFactory,
    SubProblemFactory,
)
from tests.piket.factories import ConsultFactory, WaitlistEntryFactory

MODELS = apps.get_models()
REGISTERED = content.content_models()
# Free text that is no case content although its model is: the random, pseudonymous number.
PSEUDONYMOUS = {"cases.Case.number"}


def path_to_case(model: type[models.Model], seen=()) -> list[str] | None:
    """The forward foreign keys from the model to Case, if any (breadth first, depth 3)."""
    if model is Case:
        return []
    if len(seen) >= 3:
        return None
    for field in model._meta.get_fields():
        if (field.many_to_one or field.one_to_one) and field.concrete:
            rest = path_to_case(field.related_model, (*seen, model))
            if rest is not None and field.related_model not in seen:
                return [field.name, *rest]
    return None


def free_text(model: type[models.Model]) -> list[str]:
    return [
        f.name
        for f in model._meta.get_fields()
        if isinstance(f, models.CharField | models.TextField) and f.concrete and not f.choices
    ]


def test_the_registry_holds_the_piket_too():
    labels = {model._meta.label for model in REGISTERED}
    assert {"cases.Case", "cases.Note", "piket.Consult", "piket.WaitlistEntry"} <= labels


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_every_model_linked_to_a_case_that_holds_client_text_is_in_the_registry(model):
    if path_to_case(model) is None or not content.content_fields(model):
        return
    assert model in REGISTERED or model in privacy.NOT_IN_THE_REGISTRY, (
        f"{model._meta.label} links to a case and holds text about the client "
        f"({', '.join(content.content_fields(model))}): inherit cases.content.CaseContent and "
        "declare its case_path, so erasure, retention, the export and the read audit cover it"
    )


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_the_case_path_of_a_registered_model_leads_to_its_case(model):
    if model is Case:
        return
    target = model
    for name in model.case_path.split("__"):
        target = target._meta.get_field(name).related_model
    assert target is Case


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_free_text_of_a_registered_model_is_declared_as_content(model):
    """A text field declared SAFE would escape erasure: only the case number may."""
    safe_text = {
        f"{model._meta.label}.{name}"
        for name in free_text(model)
        if declared(model).get(name) == DataClass.SAFE
    }
    assert safe_text <= PSEUDONYMOUS


# ---------------------------------------------------------------- erase, export, retention

TEXT = "Vrije tekst van {model}.{field} over de rechtzoekende"


@pytest.fixture
def full_case(anna, orgs_utrecht):
    """A case with a row of every registered model, every text field filled in."""
    case = CaseFactory(organisation=orgs_utrecht["loket"], registered_by=anna)
    sub = SubProblemFactory(case=case)
    SecondLineAdviceFactory(subproblem=sub)
    NoteFactory(case=case)
    HandoverFactory(case=case, status=Handover.Status.DECLINED, decline_reason="Vol.")
    ConsultFactory(case=case, change_reason="Verzet")
    WaitlistEntryFactory(case=case)
    ClientIdentityFactory(case=case, identity=PIET)
    for model in REGISTERED:
        rows = content.rows_of(model, [case.pk])
        assert rows.exists(), f"give the full case a row of {model._meta.label}"
        for name in content.content_fields(model):
            if name == "postcode_area":
                rows.update(postcode_area="3511")
            else:
                rows.update(**{name: TEXT.format(model=model._meta.label, field=name)[:30]})
    return Case.objects.get(pk=case.pk)


def _content_left(case: Case) -> dict[str, list]:
    left = {}
    for model in REGISTERED:
        for name in content.content_fields(model):
            values = content.rows_of(model, [case.pk]).values_list(name, flat=True)
            kept = [v for v in values if v not in ("", privacy.ANONYMISED)]
            if kept:
                left[f"{model._meta.label}.{name}"] = kept
    return left


def test_the_full_case_has_text_in_every_content_field(full_case):
    expected = {
        f"{model._meta.label}.{name}"
        for model in REGISTERED
        for name in content.content_fields(model)
    }
    assert set(_content_left(full_case)) == expected


def test_erasure_blanks_every_content_field_of_every_app(bea, full_case):
    assert privacy.dsr_erase(
        user=bea,
        full_name=PIET.full_name,
        birth_date=PIET.birth_date,
        reason="Verzoek per brief",
    )
    assert _content_left(full_case) == {}


def test_retention_blanks_every_content_field_of_every_app(full_case, settings):
    Case.objects.filter(pk=full_case.pk).update(
        status=Case.Status.CLOSED, first_contact_on="2015-01-01", closed_on="2015-02-01"
    )
    privacy.retention_apply()
    assert _content_left(full_case) == {}


def test_the_export_holds_every_content_field_of_every_app(bea, full_case):
    data = privacy.dsr_export(
        user=bea,
        full_name=PIET.full_name,
        birth_date=PIET.birth_date,
        reason="Brief van 3 maart",
    )
    [exported] = data["cases"]
    for model in REGISTERED:
        rows = [exported["case"]] if model is Case else exported["records"][model._meta.label_lower]
        colleague = set(getattr(model, "colleague_fields", ()))
        for name in content.content_fields(model):
            original = content.rows_of(model, [full_case.pk]).values_list(name, flat=True)[0]
            if name in colleague:  # a colleague's data, not the client's (art. 15(4))
                assert all(name not in row for row in rows), (model, name)
            else:
                assert rows[0][name] == original, (model, name)
