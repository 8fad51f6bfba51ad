"""The form renderer: Django's own, with its commonest widget templates written out in Python.

Django renders every widget through templates: an input is three (text.html, input.html,
attrs.html), a select two per option, and an empty error list two. On the pages read most (the
case list's filter form, the case page's status, note and reveal forms, the booking form) that
was a tenth to a sixth of the page's CPU (bench/README.md, issue 9). `FastRenderer` builds the
same markup, byte for byte, for the templates below and hands every other template (admin
widgets, radio and checkbox lists, forms and fields as a whole) to Django's templates as before;
tests/pilot/test_renderers.py compares both on every widget of the product's forms.
"""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.utils.functional import Promise
from django.utils.html import conditional_escape

# What the templates would localise (numbers, dates) is left to them.
_TEXT = (str, Promise)

_INPUTS = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "checkbox",
        "tel",
        "search",
        "color",
    )
)
_SELECT = "django/forms/widgets/select.html"
_OPTION = "django/forms/widgets/select_option.html"
_TEXTAREA = "django/forms/widgets/textarea.html"
_ERRORS = frozenset(("django/forms/errors/list/default.html", "django/forms/errors/list/ul.html"))


def _attrs(attrs: dict) -> str:
    """attrs.html: ` name="value"`, ` name` for True, nothing for False."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            out.append(f" {conditional_escape(name)}")
        else:
            out.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(out)


def _input(widget: dict) -> str:
    value = widget["value"]
    shown = "" if value is None else f' value="{conditional_escape(str(value))}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'
    )


def _option(option: dict) -> str:
    return (
        f'<option value="{conditional_escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
        f"{conditional_escape(option['label'])}</option>\n"
    )


def _select(widget: dict) -> str | None:
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name and not isinstance(group_name, _TEXT):
            return None
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in options:
            if option.get("template_name") != _OPTION or not isinstance(option["label"], _TEXT):
                return None  # a custom option template or a label to localise: Django's
            parts.append(f"\n  {_option(option)}")
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _textarea(widget: dict) -> str | None:
    value = widget["value"]
    if value and not isinstance(value, _TEXT):
        return None
    return (
        f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{conditional_escape(value) if value else ''}</textarea>"
    )


class FastRenderer(DjangoTemplates):
    """Django's default renderer (DjangoTemplates) with the common widgets built in Python."""

    def render(self, template_name, context, request=None):
        html = None
        if template_name in _INPUTS:
            html = _input(context["widget"])
        elif template_name == _SELECT:
            html = _select(context["widget"])
        elif template_name == _TEXTAREA:
            html = _textarea(context["widget"])
        elif template_name in _ERRORS and not context["errors"]:
            html = ""
        if html is None:
            return super().render(template_name, context, request=request)
        return html
