"""An entry as a PDF (WeasyPrint), from the same template as its print page.

The HTML holds nothing but the sanitised entry; WeasyPrint may fetch no resource at all (no
images, no fonts from the web, no file:// reads): the stylesheet is handed over directly.
"""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

STYLESHEET = "css/bestpractices-print.css"


def _fetch_nothing(url: str, *args, **kwargs):
    raise ValueError(f"Een PDF haalt geen bronnen op: {url}")


def render_pdf(template: str, context: dict) -> bytes:
    from weasyprint import CSS, HTML  # heavy import: only when a PDF is asked for

    html = render_to_string(template, {**context, "for_pdf": True})
    stylesheet = CSS(filename=finders.find(STYLESHEET), url_fetcher=_fetch_nothing)
    return HTML(string=html, url_fetcher=_fetch_nothing).write_pdf(stylesheets=[stylesheet])
