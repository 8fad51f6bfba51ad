"""The recommendations register as CSV and XLSX: one row per recommendation the user may see,
with its links (signals, meetings, decisions, merged recommendations) as numbers and months,
the consent round and the milestones. No signal's description: the register's own texts only."""

from __future__ import annotations

import csv
import io

import xlsxwriter
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation
from signalering.models import Recommendation

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LINES = (
    Organisation.Kind.JURIDISCH_LOKET,
    Organisation.Kind.SOCIAAL_RAADSLIEDEN,
    Organisation.Kind.SOCIALE_ADVOCATUUR,
)


def headers() -> list[str]:
    return [
        _("Nummer"),
        _("Titel"),
        _("Aanbeveling"),
        _("Niveau"),
        _("Locatie"),
        _("Soort geadresseerde"),
        _("Geadresseerde"),
        _("Status"),
        _("Antwoord"),
        _("Samengevoegd in"),
        _("Samengevoegd uit"),
        _("Signalen"),
        _("Overleggen (maand)"),
        _("Besluiten"),
        *[_("Instemming %(line)s") % {"line": line.label} for line in LINES],
        _("Mijlpalen"),
        _("Aangemaakt op"),
        _("Gewijzigd op"),
    ]


def _consent(recommendation: Recommendation, line: str) -> str:
    for consent in recommendation.consents.all():
        if consent.line == line:
            return _("akkoord") if consent.agreed else _("niet akkoord")
    return ""


def _milestones(recommendation: Recommendation) -> str:
    parts = []
    for m in recommendation.milestones.all():
        state = (
            _("bereikt %(d)s") % {"d": m.done_at.isoformat()}
            if m.done_at
            else (_("gepland %(d)s") % {"d": m.due_date.isoformat()} if m.due_date else "")
        )
        parts.append(f"{m.description} ({state})" if state else m.description)
    return "; ".join(parts)


def _ids(objects) -> str:
    return ", ".join(str(o.pk) for o in sorted(objects, key=lambda o: o.pk))


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def register_rows(recommendations: list[Recommendation]) -> list[list[str]]:
    """Header and rows; the recommendations come with their links prefetched."""
    rows = [headers()]
    for r in recommendations:
        rows.append(
            [
                str(r.pk),
                r.title,
                r.text,
                str(r.get_level_display()),
                r.location.name if r.location_id else "",
                str(r.get_addressee_kind_display()),
                r.addressee_name,
                str(r.get_status_display()),
                r.answer,
                str(r.merged_into_id or ""),
                _ids(r.merged_from.all()),
                _ids(r.signals.all()),
                ", ".join(sorted(m.month.strftime("%Y-%m") for m in r.meetings.all())),
                _ids(r.decisions.all()),
                *[_consent(r, line) for line in LINES],
                _milestones(r),
                _local(r.created_at),
                _local(r.updated_at),
            ]
        )
    return rows


def _safe(value: str) -> str:
    """No formulas in a spreadsheet cell (CSV injection): a leading =, +, - or @ is quoted."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value


def to_csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    for row in rows:
        writer.writerow([_safe(cell) for cell in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM: Excel reads it as UTF-8


def to_xlsx(rows: list[list[str]]) -> bytes:
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    sheet = workbook.add_worksheet(_("Aanbevelingen")[:31])
    bold = workbook.add_format({"bold": True})
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            sheet.write_string(r, c, cell, bold if r == 0 else None)
    sheet.freeze_panes(1, 0)
    workbook.close()
    return out.getvalue()
