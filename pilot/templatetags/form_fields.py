"""Plain Bootstrap markup for small forms on pages that are read far more often than their forms
are sent (the case page): crispy-forms renders a template per field, which costs several
milliseconds a page. Same markup and accessibility: a label, the field with its classes,
`aria-describedby` for help and errors, `aria-invalid` when wrong."""

from __future__ import annotations

from django import forms, template

register = template.Library()


@register.simple_tag
def bootstrap_widget(field: forms.BoundField) -> str:
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.Select):
        css = "form-select"
    else:
        css = "form-control"
    attrs = {"class": f"{css} is-invalid" if field.errors else css}
    described = [f"{field.auto_id}_helptext"] if field.help_text else []
    if field.errors:
        described.append(f"{field.auto_id}_error")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)
