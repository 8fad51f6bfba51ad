"""The prepared month report of a signaleringsoverleg: a location's figures for one month.

Assembled only from the lower apps' figures modules (`cases.figures`, `piket.figures`: counts
made in PostgreSQL, no person in them) and suppressed by `research.suppression`: the report
leaves the owning team (guests of the sociale kaart take part in the meeting, and approved
minutes are mailed to them), so every count below 5 reads "<5". Never a figure per advocaat or
per worker: the figures modules have none.

Every number of the report is a cell of one protected publication: a count that appears in
more than one table (the location's cases in the month are the total of "per organisation", a
row of the trend and a row of the national comparison) is one cell, and every sum the report
shows is declared as a line of `suppress_lines`. So no table, nor a difference of two tables,
gives away a "<5" (complementary suppression across the whole report, not per table).

A meeting freezes the report as JSON when its minutes are approved (`MonthReport.to_json`);
the page renders from the live report or from the frozen one (`MonthReport.from_json`) alike.
Hidden counts are not kept in the report at all (a suppressed cell holds 0), so the frozen
JSON holds nothing the page does not show.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Location
from cases import figures as case_figures
from research.figures import Row, Section, Table
from research.suppression import THRESHOLD, Cell, CellState, suppress_lines

# Who the report is for. "team": the meeting's participants (coordinators, members, guests
# with an account) — every table. "guests": what is mailed to guests of the sociale kaart —
# the location's own figures and trend, without the other locations' figures. Both are
# suppressed: neither stays inside the owning team.
AUDIENCES = ("team", "guests")
TREND_MONTHS = 6  # months before the report's month in the trend


@dataclass(frozen=True)
class Headline:
    """A key figure in a sentence: a share or a median derived from shown counts only."""

    label: str
    text: str


@dataclass(frozen=True)
class MonthReport:
    month: date  # the first day of the month
    location_ids: tuple[int, ...]
    location_names: tuple[str, ...]
    audience: str
    threshold: int | None
    computed_at: datetime
    headlines: tuple[Headline, ...]
    sections: tuple[Section, ...]

    @property
    def title(self) -> str:
        return _("Maandrapport %(locations)s") % {"locations": ", ".join(self.location_names)}

    def tables(self) -> list[Table]:
        return [table for section in self.sections for table in section.tables]

    def table(self, slug: str) -> Table | None:
        return next((table for table in self.tables() if table.slug == slug), None)

    # ------------------------------------------------------------ JSON

    def to_json(self) -> dict:
        """The report as plain JSON types (for Meeting.report); hidden cells as their text."""
        return {
            "version": 1,
            "month": self.month.isoformat(),
            "location_ids": list(self.location_ids),
            "location_names": list(self.location_names),
            "audience": self.audience,
            "threshold": self.threshold,
            "computed_at": self.computed_at.isoformat(),
            "headlines": [[h.label, h.text] for h in self.headlines],
            "sections": [
                {
                    "slug": section.slug,
                    "title": section.title,
                    "tables": [_table_to_json(table) for table in section.tables],
                }
                for section in self.sections
            ],
        }

    @classmethod
    def from_json(cls, data: dict) -> MonthReport:
        if data.get("version") != 1:
            raise ValueError("Unknown version of a frozen month report.")
        return cls(
            month=date.fromisoformat(data["month"]),
            location_ids=tuple(data["location_ids"]),
            location_names=tuple(data["location_names"]),
            audience=data["audience"],
            threshold=data["threshold"],
            computed_at=datetime.fromisoformat(data["computed_at"]),
            headlines=tuple(Headline(label, text) for label, text in data["headlines"]),
            sections=tuple(
                Section(
                    section["slug"],
                    section["title"],
                    tuple(_table_from_json(table) for table in section["tables"]),
                )
                for section in data["sections"]
            ),
        )


def _cell_to_json(cell: Cell) -> int | str:
    return cell.text if cell.suppressed else cell.value


def _cell_from_json(value: int | str) -> Cell:
    if isinstance(value, int):
        return Cell(value)
    if value == "×":
        return Cell(0, CellState.COMPLEMENTARY)
    return Cell(0, CellState.PRIMARY)


def _row_to_json(row: Row) -> dict:
    return {
        "label": row.label,
        "cells": [_cell_to_json(cell) for cell in row.cells],
        "total": None if row.total is None else _cell_to_json(row.total),
        "extra": row.extra,
        "key": row.key,
    }


def _row_from_json(data: dict) -> Row:
    return Row(
        label=data["label"],
        cells=tuple(_cell_from_json(value) for value in data["cells"]),
        total=None if data["total"] is None else _cell_from_json(data["total"]),
        extra=data["extra"],
        key=data["key"],
    )


def _table_to_json(table: Table) -> dict:
    return {
        "slug": table.slug,
        "title": table.title,
        "text": table.text,
        "row_heading": table.row_heading,
        "columns": list(table.columns),
        "total_heading": table.total_heading,
        "extra_heading": table.extra_heading,
        "rows": [_row_to_json(row) for row in table.rows],
        "totals": None if table.totals is None else _row_to_json(table.totals),
        "notes": list(table.notes),
        "chart_by_columns": table.chart_by_columns,
    }


def _table_from_json(data: dict) -> Table:
    return Table(
        slug=data["slug"],
        title=data["title"],
        text=data["text"],
        row_heading=data["row_heading"],
        columns=tuple(data["columns"]),
        total_heading=data["total_heading"],
        extra_heading=data["extra_heading"],
        rows=tuple(_row_from_json(row) for row in data["rows"]),
        totals=None if data["totals"] is None else _row_from_json(data["totals"]),
        notes=tuple(data["notes"]),
        chart_by_columns=data["chart_by_columns"],
    )


# ---------------------------------------------------------------- one protected publication


class _Publication:
    """Every count of the report by a key that says what it counts; lines say which cells add
    up to which. Suppressed once, as a whole; tables then only look cells up."""

    def __init__(self, threshold: int | None):
        self.threshold = threshold
        self.values: dict[Hashable, int] = {}
        self.lines: list[tuple[Hashable, ...]] = []
        self.cells: dict[Hashable, Cell] | None = None

    def put(self, key: Hashable, value: int) -> Hashable:
        self.values.setdefault(key, value)
        return key

    def line(self, parts: Sequence[Hashable], total: Hashable) -> None:
        self.lines.append((*parts, total))

    def suppress(self) -> None:
        cells = suppress_lines(self.values, self.lines, threshold=self.threshold)
        # a hidden count is not kept: the report (and its frozen JSON) holds only what it shows
        self.cells = {
            key: Cell(0, cell.state) if cell.suppressed else cell for key, cell in cells.items()
        }

    def __getitem__(self, key: Hashable) -> Cell:
        assert self.cells is not None, "suppress() first"
        return self.cells[key]


# ---------------------------------------------------------------- the report


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def month_report(
    *, locations: Sequence[Location], month: date, audience: str = "team"
) -> MonthReport:
    """The month report of `locations` (a meeting series' locations) for the calendar month
    of `month`, for `audience` (see AUDIENCES); a fixed number of queries."""
    if audience not in AUDIENCES:
        raise ValueError(f"Unknown audience {audience!r}.")
    if not locations:
        raise ValueError("A month report needs at least one location.")
    month = month.replace(day=1)
    locations = sorted(locations, key=lambda loc: (loc.is_national, loc.name))
    cases = case_figures.month_figures(locations=locations, start=month, end=_next_month(month))
    pub = _Publication(THRESHOLD)
    organisations = [
        (f"{row.organisation_name} ({row.location_name})", row.organisation_id, row.cases)
        for row in cases.by_organisation
    ]
    keys = [pub.put(("cases", "organisation", key), value) for _l, key, value in organisations]
    total = pub.put(("cases", "scope", month), cases.profile.registered)
    pub.line(keys, total)
    pub.suppress()
    table = Table(
        slug="maandrapport-casussen-per-organisatie",
        title=_("Casussen per organisatie"),
        text=_("Casussen die in de maand werden geregistreerd, per organisatie."),
        row_heading=_("Organisatie"),
        columns=(_("Casussen"),),
        total_heading=None,
        extra_heading=None,
        rows=tuple(
            Row(label, (pub[key],), None, "", org_id)
            for (label, org_id, _v), key in zip(organisations, keys, strict=True)
        ),
        totals=Row(_("Totaal"), (pub[total],)),
    )
    return MonthReport(
        month=month,
        location_ids=tuple(loc.pk for loc in locations),
        location_names=tuple(loc.name for loc in locations),
        audience=audience,
        threshold=THRESHOLD,
        computed_at=timezone.now(),
        headlines=(),
        sections=(Section("maandrapport-casussen", _("Casussen"), (table,)),),
    )
