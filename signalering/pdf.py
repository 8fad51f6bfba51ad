"""The minutes as PDF, rendered from HTML by WeasyPrint: with confidential items (participants
with an account) or without (guests)."""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.template.loader import render_to_string

from signalering import minutes


def _context(content: dict, confidential: bool) -> dict:
    shown = minutes.for_audience(content, confidential)
    return {
        "content": shown,
        "confidential": confidential,
        "month": date.fromisoformat(shown["month"]) if shown.get("month") else None,
        "starts_at": datetime.fromisoformat(shown["starts_at"]) if shown.get("starts_at") else None,
    }


def minutes_html(content: dict, *, confidential: bool) -> str:
    return render_to_string("signalering/minutes_pdf.html", _context(content, confidential))


def minutes_pdf(content: dict, *, confidential: bool) -> bytes:
    import weasyprint

    html = minutes_html(content, confidential=confidential)
    return weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
