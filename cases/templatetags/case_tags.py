"""Small template filters of the cases app."""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from cases import related

register = template.Library()


@register.filter
def legal_area_names(subproblems) -> str:
    """The distinct legal areas of (prefetched) sub-problems, in their order: a case with two
    sub-problems in one area reads "Sociale voorzieningen", not the name twice."""
    names: list[str] = []
    for subproblem in subproblems:
        if subproblem.legal_area.name not in names:
            names.append(subproblem.legal_area.name)
    return ", ".join(names)


@register.simple_tag(takes_context=True)
def related_to(context, case, heading: int = 3) -> str:
    """What apps above cases show beside a case (cases.related): their fragments, rendered."""
    user = context["request"].user
    parts = [
        render_to_string(template, {"items": items, "case": case, "heading": heading})
        for template, items in related.blocks_for(user, case)
    ]
    return mark_safe("".join(parts))  # noqa: S308 - rendered (autoescaped) templates
