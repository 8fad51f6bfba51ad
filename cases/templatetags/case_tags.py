"""Small template filters of the cases app."""

from __future__ import annotations

from django import template

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


@register.filter
def distinct_names(names) -> str:
    """Names once each, in their order: the legal areas of a case in the list."""
    return ", ".join(dict.fromkeys(names or ()))
