"""Small template filters of the cases app."""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
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


@register.filter
def distinct_names(names) -> str:
    """Names once each, in their order: the legal areas of a case in the list."""
    return ", ".join(dict.fromkeys(names or ()))


# One row of the case list (templates/cases/case_list.html). Built here rather than in the
# template: the URL, the date and four lookups per row cost ~0.2 ms a row in the template, a
# sixth of the list page (profiled at 1M cases, issue 9). The markup is what the template made.
CASE_ROW = (
    "<tr>\n"
    '      <td><a href="{}" class="font-monospace">{}</a></td>\n'
    "      <td>{}</td>\n"
    "      <td>{}</td>\n"
    "      <td>{}</td>\n"
    '      <td>{}<br><span class="small">{}</span></td>\n'
    "    </tr>"
)


@register.simple_tag
def case_row(case) -> str:
    """A case as a row of the list: number (linked), registration date, legal areas, status,
    who registered it and where. `case` comes from `selectors.case_list`."""
    return format_html(
        CASE_ROW,
        reverse("cases:detail", args=[case.number]),
        case.number,
        date_format(timezone.localtime(case.registered_at), "j F Y"),
        distinct_names(case.legal_area_names),
        case.get_status_display(),
        case.registered_by.full_name,
        case.organisation.name,
    )
