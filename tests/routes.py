"""Every route of the project as an example path, generated from the URL resolver.

`ALL_ROUTES` fills path converters with a sample value (`<int:…>` → 1, a case number →
Z-AAAA-AAAA, other converters → x), so tests can walk all URLs without listing them by hand.
"""

from __future__ import annotations

import re

from django.urls import URLPattern, URLResolver, get_resolver


def _walk(patterns, prefix=""):
    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, route)
        elif isinstance(p, URLPattern):
            yield route, p


def _example_path(route: str) -> str:
    route = route.lstrip("^").rstrip("$").replace("\\Z", "").replace("\\/", "/")
    route = re.sub(r"\(\?P<[^>]+>([a-z]+)[^)]*\)", r"\1", route)  # regex groups: first alternative
    route = re.sub(r"<int:[^>]+>", "1", route)
    route = re.sub(r"<casenr:[^>]+>", "Z-AAAA-AAAA", route)
    route = re.sub(r"<(?:str|slug|path):[^>]+>|<[^>:]+>", "x", route)
    return "/" + route.replace("^", "").replace("$", "")


ALL_ROUTES = sorted({_example_path(route) for route, _ in _walk(get_resolver().url_patterns)})
