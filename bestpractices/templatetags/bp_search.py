"""The library's search in templates: a hit's fragment, escaped, with its words in <mark>."""

from __future__ import annotations

from django import template

from bestpractices import search

register = template.Library()


@register.filter
def highlight(headline: str | None):
    return search.highlight(headline)
