"""The form renderer writes the common widgets in Python: byte for byte Django's templates."""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.forms.utils import ErrorList
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from cases.forms.cases import NoteForm, RevealForm, StatusForm
from piket.forms.booking import BookingForm
from pilot.renderers import FastRenderer

DJANGO = DjangoTemplates()
FAST = FastRenderer()

ATTRS = {"class": "form-control", "required": True, "disabled": False, "maxlength": 16}
CHOICES = [("", "—"), ("open", gettext_lazy("Open")), (3, "<b>drie</b> & co"), ("x", "X")]
GROUPED = [("", "Alle"), ("Groep <1>", [("a", "A"), ("b", "B")]), ("c", "C")]

WIDGETS = [
    (forms.TextInput(), "number", "Z-AB12-CD34"),
    (forms.TextInput(attrs=ATTRS), "number", '"><script>alert(1)</script>'),
    (forms.TextInput(attrs={"placeholder": gettext_lazy("Zaaknummer")}), "q", None),
    (forms.TextInput(attrs={"data-x": mark_safe("<i>veilig</i>"), "title": None}), "q", ""),
    (forms.NumberInput(attrs={"min": 0}), "n", 12),
    (forms.EmailInput(), "e", "a&b@example.org"),
    (forms.URLInput(), "u", "https://example.org/?a=1&b=2"),
    (forms.PasswordInput(render_value=True), "p", "geheim"),
    (forms.HiddenInput(), "h", mark_safe("<veilig>")),
    (forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), "d", datetime.date(2026, 1, 2)),
    (forms.DateTimeInput(), "dt", datetime.datetime(2026, 1, 2, 3, 4)),
    (forms.TimeInput(), "t", datetime.time(9, 30)),
    (forms.CheckboxInput(), "c", True),
    (forms.CheckboxInput(), "c", False),
    (forms.CheckboxInput(attrs={"class": "form-check-input"}), "c", "on"),
    (forms.Textarea(attrs={"rows": 3}), "text", "regel 1\nregel <2> & 'drie'"),
    (forms.Textarea(), "text", ""),
    (forms.Textarea(), "text", None),
    (forms.Select(choices=CHOICES, attrs={"class": "form-select"}), "s", "open"),
    (forms.Select(choices=CHOICES), "s", 3),
    (forms.Select(choices=CHOICES), "s", None),
    (forms.Select(choices=GROUPED), "s", "b"),
    (forms.Select(choices=[(1, 2026), (2, datetime.date(2026, 1, 2))]), "s", 1),  # to localise
    (forms.NullBooleanSelect(), "nb", True),
    (forms.SelectMultiple(choices=CHOICES), "sm", ["open", "x"]),
    (forms.RadioSelect(choices=CHOICES), "r", "open"),  # Django's templates (no fast path)
    (forms.CheckboxSelectMultiple(choices=CHOICES), "cm", ["x"]),
]


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize(("widget", "name", "value"), WIDGETS)
def test_widget_markup_is_djangos(widget, name, value, language):
    with override(language):
        expected = widget.render(name, value, attrs={"id": f"id_{name}"}, renderer=DJANGO)
        assert widget.render(name, value, attrs={"id": f"id_{name}"}, renderer=FAST) == expected


def test_error_lists_are_djangos():
    for errors in (ErrorList(), ErrorList(["Fout <1>", gettext_lazy("Kies een tijdstip.")])):
        assert errors.render(renderer=FAST) == errors.render(renderer=DJANGO)


@pytest.mark.parametrize(
    "form",
    [
        StatusForm(initial={"status": "open"}),
        StatusForm({"status": "gesloten", "closed_on": "nope"}),
        NoteForm(),
        NoteForm({"text": "<script>"}),
        RevealForm({"reason": ""}),
        BookingForm(initial={"callback_number": "030 123 45 67"}, legal_areas=[]),
    ],
)
def test_case_page_forms_render_as_with_djangos_templates(form):
    form.is_valid() if form.is_bound else None
    for field in form:
        assert str(field.errors.render(renderer=FAST)) == str(field.errors.render(renderer=DJANGO))
        form.renderer = FAST
        fast = field.as_widget()
        form.renderer = DJANGO
        assert fast == field.as_widget()


def test_the_product_renders_forms_with_the_fast_renderer():
    assert settings.FORM_RENDERER == "pilot.renderers.FastRenderer"
    assert isinstance(get_default_renderer(), FastRenderer)
