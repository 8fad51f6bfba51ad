"""Case content in every app: the registry of models that hold what a case says about its client,
and the record of which cases a request showed.

A model holds case content when it inherits `CaseContent` and declares `case_path`: how a row
reaches its case ("case", "subproblem__case"; "" for Case itself). The cases app finds these
models through django.apps, never by importing a higher app: the piket declares its consults and
waitlist entries itself. Privacy (cases/services/privacy.py) walks the registry to export,
erase and apply retention; a test walks every model and fails when one that links to a case and
holds free text is not in the registry.

Reading: every row of a registered model that a request loads from the database is recorded
(`CaseContent.from_db`); `cases.middleware.CaseReadAuditMiddleware` turns the record into one
audit entry per response. So no view can forget to audit a read: the rows a page shows were
loaded, whichever selector or template loaded them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import ClassVar

from django.apps import apps
from django.db import models

from accounts.privacy import DataClass, fields_of_class


class CaseContent:
    """Mixin of a model whose rows hold case content. The model declares `case_path`, and may
    declare `colleague_fields` (text that is a colleague's data, not the client's: left out of
    the art. 15 export, erased all the same) and `erase_with_marker` (text the database wants
    to remain where there was some: erasure writes "[geanonimiseerd]" instead of "")."""

    case_path: ClassVar[str]

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        _record(instance)
        return instance


def content_models() -> list[type[models.Model]]:
    """Every installed model that holds case content, the case first, then by label."""
    found = [m for m in apps.get_models() if issubclass(m, CaseContent)]
    return sorted(found, key=lambda m: (m.case_path != "", m._meta.label))


def content_fields(model: type[models.Model]) -> list[str]:
    """The fields of a model that say something about the client: free text (no fixed
    choices) declared DIRECT, SENSITIVE or QUASI. Erasure blanks them; declaring a new text
    field so is all it takes to have it erased."""
    names = []
    for name in fields_of_class(model, DataClass.DIRECT, DataClass.SENSITIVE, DataClass.QUASI):
        model_field = model._meta.get_field(name)
        if isinstance(model_field, models.CharField | models.TextField) and not model_field.choices:
            names.append(name)
    return names


def rows_of(model: type[models.Model], case_ids) -> models.QuerySet:
    """The model's rows that belong to these cases (ids or a queryset of cases)."""
    lookup = f"{model.case_path}__in" if model.case_path else "pk__in"
    return model._default_manager.filter(**{lookup: case_ids})


# ---------------------------------------------------------------- which cases a request showed


@dataclass
class Shown:
    """The cases whose content a request loaded, and those it audited otherwise already."""

    case_ids: set[int] = field(default_factory=set)
    # rows whose case lies further away: model -> {(pk, id of the first step)}
    further: dict[type[models.Model], set] = field(default_factory=lambda: defaultdict(set))
    # rows one step from their case: (model, pk) -> case id
    loaded: dict[tuple[type[models.Model], int], int] = field(default_factory=dict)
    audited: set[int] = field(default_factory=set)
    discarded: bool = False

    def unaudited(self) -> list[int]:
        """The ids of the cases shown and not yet named in the audit log by this request. A row
        further from its case (an advice) is resolved through its parent when that was loaded
        too (its sub-problem), else with one query per model."""
        ids = set(self.case_ids)
        for model, rows in self.further.items():
            step = model._meta.get_field(model.case_path.split("__")[0]).related_model
            unresolved = set()
            for pk, step_id in rows:
                if (step, step_id) in self.loaded:
                    ids.add(self.loaded[step, step_id])
                else:
                    unresolved.add(pk)
            if unresolved:
                found = model._default_manager.filter(pk__in=unresolved)
                ids |= set(found.values_list(model.case_path, flat=True))
        return sorted(ids - self.audited - {None})


_shown: ContextVar[Shown | None] = ContextVar("cases_shown", default=None)


@contextmanager
def recording() -> Iterator[Shown]:
    """Record the cases whose content is loaded inside the block (a request)."""
    token = _shown.set(Shown())
    try:
        yield _shown.get()
    finally:
        _shown.reset(token)


def discard() -> None:
    """What was loaded is not shown after all (the view raised: 403, 404, an error)."""
    shown = _shown.get()
    if shown is not None:
        shown.discarded = True


def audited(case_id: int | None) -> None:
    """The request named this case in the audit log already (an export, a reveal)."""
    shown = _shown.get()
    if shown is not None and case_id is not None:
        shown.audited.add(case_id)


def names_cases_only(view):
    """Mark a view whose page names cases by their number and shows nothing of their content
    (the audit log itself): the case rows it loads are no read of a case. Every other view is
    audited."""
    view.shows_case_content = False
    return view


def _record(instance: models.Model) -> None:
    shown = _shown.get()
    if shown is None:
        return
    model = type(instance)
    if not model.case_path:
        shown.case_ids.add(instance.pk)
        return
    step, _sep, further = model.case_path.partition("__")
    step_id = instance.__dict__.get(f"{step}_id")  # absent when deferred (.only())
    if not further and step_id is not None:
        shown.case_ids.add(step_id)
        shown.loaded[model, instance.pk] = step_id
    else:
        shown.further[model].add((instance.pk, step_id))
