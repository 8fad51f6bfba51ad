from __future__ import annotations

from datetime import date

from django import template

register = template.Library()


@register.filter
def isodate(value: str):
    """A date kept as ISO text in minutes content, as a date for the date filter."""
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return value
