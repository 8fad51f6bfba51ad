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
from piket import figures as piket_figures
from research.figures import MONTH_NAMES, Row, Section, Table
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

SCOPE, NATIONAL = "scope", "national"
# the measures per location and month (the trend and the comparison of locations)
CASE_MEASURES = ("registered", "advice", "same", "partly", "different", "answered", "unanswered")
CASE_MEASURES += ("handovers", "picked_up", "solved")
CONSULT_MEASURES = ("booked", "awaiting", "held", "no_show", "not_reached", "cancelled")
CONSULT_MEASURES += ("lat_avoided",)
CONSULT_STATES = ("awaiting", "held", "no_show", "not_reached", "cancelled")  # add up to booked
ANALYSIS = ("same", "partly", "different", "unanswered")  # add up to advice
ANSWERED = ("same", "partly", "different")  # add up to answered
TREND_MEASURES = ("registered", "held", "not_reached", "lat_avoided", "answered", "same")
TREND_MEASURES += ("handovers", "picked_up", "solved")
# the comparison of locations: the key figures, and question 3
KEY_MEASURES = ("registered", "booked", "held", "not_reached", "lat_avoided", "handovers")
KEY_MEASURES += ("picked_up", "solved")
COMPARED_MEASURES = KEY_MEASURES + ANALYSIS + ("advice",)


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _months_before(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 - count
    return date(index // 12, index % 12 + 1, 1)


def month_report(
    *, locations: Sequence[Location], month: date, audience: str = "team"
) -> MonthReport:
    """The month report of `locations` (a meeting series' locations) for the calendar month
    of `month`, for `audience` (see AUDIENCES), every count below 5 suppressed. A fixed number
    of queries (28), whatever the number of locations, cases or consults."""
    return _month_report(locations=locations, month=month, audience=audience, threshold=THRESHOLD)


def _month_report(
    *, locations: Sequence[Location], month: date, audience: str, threshold: int | None
) -> MonthReport:
    """`month_report` with another threshold: None shows every count (for the tests' hand
    computation; never for a page or a meeting)."""
    if audience not in AUDIENCES:
        raise ValueError(f"Unknown audience {audience!r}.")
    if not locations:
        raise ValueError("A month report needs at least one location.")
    month = month.replace(day=1)
    end = _next_month(month)
    first = _months_before(month, TREND_MONTHS)
    scope = sorted(locations, key=lambda loc: (loc.is_national, loc.name))
    builder = _Builder(
        threshold=threshold,
        scope=scope,
        month=month,
        months=[_months_before(month, n) for n in range(TREND_MONTHS, -1, -1)],
        everywhere=list(Location.objects.order_by("is_national", "name")),
        legal_areas=case_figures.legal_areas(),
        cases=case_figures.month_figures(locations=scope, start=month, end=end),
        piket=piket_figures.month_figures(locations=scope, start=month, end=end),
        trend=case_figures.location_months(locations=scope, start=first, end=end),
        trend_consults=piket_figures.consults_by_month(locations=scope, start=first, end=end),
        national=case_figures.location_months(locations=None, start=month, end=end),
        national_consults=piket_figures.consults_by_month(locations=None, start=month, end=end),
    )
    return builder.report(audience)


def _percent(part: Cell, whole: Cell) -> str:
    """A share of two shown counts; a dash otherwise (a share of a hidden count gives it away)."""
    if part.suppressed or whole.suppressed or not whole.value:
        return "—"
    return f"{round(100 * part.value / whole.value)}%"


def _case_measures(row: case_figures.LocationMonth) -> dict[str, int]:
    answered = row.same_analysis + row.partly_same_analysis + row.different_analysis
    return {
        "registered": row.registered,
        "advice": row.advice,
        "same": row.same_analysis,
        "partly": row.partly_same_analysis,
        "different": row.different_analysis,
        "answered": answered,
        "unanswered": row.advice - answered,
        "handovers": row.handovers,
        "picked_up": row.handovers_accepted,
        "solved": row.solved,
    }


def _consult_measures(row: piket_figures.ConsultMonth) -> dict[str, int]:
    return {
        "booked": row.booked,
        "awaiting": row.awaiting_outcome,
        "held": row.held,
        "no_show": row.no_show,
        "not_reached": row.not_reached,
        "cancelled": row.cancelled,
        "lat_avoided": row.lat_avoided,
    }


class _Builder:
    """Puts every count of the report into one publication, suppresses it, then lays out the
    tables from the protected cells.

    Keys of the measures per location and month: (measure, unit, month), the unit SCOPE for the
    report's locations together (a single location is its own scope), ("location", id) for
    another location (or one of several in the scope), NATIONAL for all. Keys of a table's own
    cells begin with the table's name."""

    def __init__(
        self, *, threshold, scope, month, months, everywhere, legal_areas, cases, piket, **series
    ):
        self.scope, self.month, self.months = scope, month, months
        self.scope_ids = [loc.pk for loc in scope]
        self.cases, self.piket = cases, piket
        self.pub = _Publication(threshold)
        self.medians: dict[Hashable, float | None] = {}
        seen = {row.location_id for row in series["national"]}
        seen |= {row.booked_from_location_id for row in series["national_consults"]}
        # the comparison lists every location with figures in the month (so that its totals
        # add up to its rows) and every active pilot location
        self.locations = [
            loc
            for loc in everywhere
            if loc.pk in seen or loc.pk in self.scope_ids or (loc.is_active and not loc.is_national)
        ]
        self.areas = legal_areas
        self._measures(series)
        self._location_cells()
        self.pub.suppress()

    def unit(self, location_id: int) -> Hashable:
        if self.scope_ids == [location_id]:
            return SCOPE
        return ("location", location_id)

    # ------------------------------------------------------------ per location and month

    def _measures(self, series) -> None:
        pub, month = self.pub, self.month
        counted: dict[Hashable, int] = {}

        def add(unit, row_month, measures: dict[str, int]) -> None:
            for measure, value in measures.items():
                key = (measure, unit, row_month)
                counted[key] = counted.get(key, 0) + value

        for row in series["trend"]:
            if row.location_id in self.scope_ids:
                add(SCOPE, row.month, _case_measures(row))
                if len(self.scope_ids) == 1:
                    self.medians[(SCOPE, row.month)] = row.solved_median_days
        for row in series["trend_consults"]:
            if row.booked_from_location_id in self.scope_ids:
                add(SCOPE, row.month, _consult_measures(row))
        for row in series["national"]:
            unit = self.unit(row.location_id)
            if unit != SCOPE:  # a single location's month is in the trend already
                add(unit, row.month, _case_measures(row))
                self.medians[(unit, row.month)] = row.solved_median_days
        for row in series["national_consults"]:
            unit = self.unit(row.booked_from_location_id)
            if unit != SCOPE:
                add(unit, row.month, _consult_measures(row))

        def put(key) -> Hashable:
            return pub.put(key, counted.get(key, 0))

        # Only cells the report shows are put, and only lines all of whose cells it shows: a
        # line through a cell that is not shown would "protect" a hidden cell with it.
        units = [self.unit(loc.pk) for loc in self.locations]
        for measure in CASE_MEASURES + CONSULT_MEASURES:
            put((measure, SCOPE, month))  # the location tables show them all
        for measure in TREND_MEASURES:
            for m in self.months:
                put((measure, SCOPE, m))
        for measure in COMPARED_MEASURES:
            # the country is the sum of its locations
            parts = [put((measure, unit, month)) for unit in units]
            pub.line(parts, pub.put((measure, NATIONAL, month), sum(map(pub.values.get, parts))))
            if len(self.scope_ids) > 1:  # the scope is the sum of its locations
                parts = [(measure, ("location", pk), month) for pk in self.scope_ids]
                pub.line(parts, (measure, SCOPE, month))
        for unit in {*units, SCOPE}:
            pub.line([(m, unit, month) for m in ANALYSIS], ("advice", unit, month))
        pub.line([(m, SCOPE, month) for m in ANSWERED], ("answered", SCOPE, month))
        pub.line([(m, SCOPE, month) for m in CONSULT_STATES], ("booked", SCOPE, month))

    # ------------------------------------------------------------ cells of the location tables

    def grid(
        self,
        name: str,
        rows: Sequence[tuple[Hashable, Sequence[int]]],
        columns: Sequence[Hashable],
        *,
        row_totals: bool | Sequence[Hashable] = True,
        column_totals: Sequence[Hashable] | None = None,
        grand_total: Hashable | None = None,
        key=None,
    ) -> None:
        """Put a table's cells ((name, row, column)) and its sums as lines. `row_totals`: True
        for keys of its own ((name, row, "total")), or the keys to use, False for none;
        `column_totals`: the keys of the column totals (None: none); `grand_total`: the key of
        the sum of all (with both totals); `key(row, column)`: the key of a cell, when it is
        not the table's own."""
        pub = self.pub
        key = key or (lambda row, column: (name, row, column))
        totals_of_rows: list[Hashable] = []
        for index, (row, values) in enumerate(rows):
            keys = [pub.put(key(row, c), v) for c, v in zip(columns, values, strict=True)]
            if row_totals is True:
                total = pub.put((name, row, "total"), sum(values))
            elif row_totals:
                total = pub.put(row_totals[index], sum(values))
            else:
                continue
            pub.line(keys, total)
            totals_of_rows.append(total)
        if column_totals is not None:
            for c, total_key in zip(columns, column_totals, strict=True):
                parts = [key(row, c) for row, _values in rows]
                pub.put(total_key, sum(pub.values[part] for part in parts))
                pub.line(parts, total_key)
            if grand_total is not None:
                pub.put(grand_total, sum(pub.values[total] for total in column_totals))
                pub.line(column_totals, grand_total)
                if row_totals:
                    pub.line(totals_of_rows, grand_total)

    def _area_rows(self, sums: dict[int, list[int]], width: int) -> list[tuple[int, list[int]]]:
        """One row per legal area with figures, and every area of the pilot (zeros)."""
        return [
            (area.id, sums.get(area.id, [0] * width))
            for area in self.areas
            if area.id in sums or area.in_pilot_scope
        ]

    def _location_cells(self) -> None:
        cases, month = self.cases, self.month
        yes_no = ("yes", "no", "unsure", "none")
        # S1 cases per organisation; their total is the scope's registered cases
        self.organisations = [
            (row.organisation_id, f"{row.organisation_name} ({row.location_name})", row.cases)
            for row in cases.by_organisation
        ]
        self.grid(
            "organisation",
            [(org, [n]) for org, _label, n in self.organisations],
            ["cases"],
            row_totals=False,
            column_totals=[("registered", SCOPE, month)],
        )
        # cases and sub-problems per legal area, and question 1 as the first line answered it
        per_area: dict[int, list[int]] = {}
        cases_per_area: dict[int, int] = {}
        for row in cases.by_organisation_and_legal_area:
            sums = per_area.setdefault(row.legal_area_id, [0, 0, 0, 0])
            answered = row.referral_useful_yes + row.referral_useful_no + row.referral_useful_unsure
            for i, value in enumerate(
                (
                    row.referral_useful_yes,
                    row.referral_useful_no,
                    row.referral_useful_unsure,
                    row.subproblems - answered,
                )
            ):
                sums[i] += value
            cases_per_area[row.legal_area_id] = cases_per_area.get(row.legal_area_id, 0) + row.cases
        self.area_rows = self._area_rows(per_area, 4)
        for area, _values in self.area_rows:
            self.pub.put(("area_cases", area, "cases"), cases_per_area.get(area, 0))
        self.grid(
            "q1",
            self.area_rows,
            yes_no,
            column_totals=[("q1", "all", answer) for answer in yes_no],
            grand_total=("q1", "all", "total"),
        )
        # consults per legal area by what became of them, booked from the scope's cases
        consults: dict[int, list[int]] = {}
        lat: dict[int, list[int]] = {}
        for row in self.piket.consults:
            if row.booked_from_location_id not in self.scope_ids:
                continue
            sums = consults.setdefault(row.legal_area_id, [0] * 5)
            for i, value in enumerate(
                (row.awaiting_outcome, row.held, row.no_show, row.not_reached, row.cancelled)
            ):
                sums[i] += value
            lat.setdefault(row.legal_area_id, [0])[0] += row.lat_avoided
        self.consult_rows = self._area_rows(consults, 5)
        self.grid(
            "consult",
            self.consult_rows,
            CONSULT_STATES,
            column_totals=[(state, SCOPE, month) for state in CONSULT_STATES],
            grand_total=("booked", SCOPE, month),
        )
        self.grid(
            "lat",
            [(area, lat.get(area, [0])) for area, _values in self.consult_rows],
            ["lat_avoided"],
            row_totals=False,
            column_totals=[("lat_avoided", SCOPE, month)],
        )
        # the advocaten's answers per legal area: question 1, 2 (names a fitting organisation)
        # and 3 (the same legal analysis); each row adds up to the area's advice
        q1: dict[int, list[int]] = {}
        q2: dict[int, list[int]] = {}
        q3: dict[int, list[int]] = {}
        for row in cases.second_line_by_legal_area:
            answered = row.referral_useful_yes + row.referral_useful_no + row.referral_useful_unsure
            q1[row.legal_area_id] = [
                row.referral_useful_yes,
                row.referral_useful_no,
                row.referral_useful_unsure,
                row.advice - answered,
            ]
            q2[row.legal_area_id] = [
                row.names_fitting_organisation,
                row.advice - row.names_fitting_organisation,
            ]
            analysed = row.same_analysis + row.partly_same_analysis + row.different_analysis
            q3[row.legal_area_id] = [
                row.same_analysis,
                row.partly_same_analysis,
                row.different_analysis,
                row.advice - analysed,
            ]
        self.advice_rows = [area for area, _values in self._area_rows(q1, 4)]
        advice_totals = [("advice_area", area) for area in self.advice_rows]
        for name, sums, columns in (
            ("q1_advocaat", q1, yes_no),
            ("q2", q2, ("names", "names_none")),
            ("q3", q3, ANALYSIS),
        ):
            self.grid(
                name,
                [(area, sums.get(area, [0] * len(columns))) for area in self.advice_rows],
                columns,
                row_totals=advice_totals,
                column_totals=(
                    [(column, SCOPE, month) for column in columns]
                    if name == "q3"
                    else [(name, "all", column) for column in columns]
                ),
                grand_total=("advice", SCOPE, month),
            )
        # question 2: the organisations of the sociale kaart, considered and named fitting
        self.entries = [
            (row.entry_id, f"{row.entry_name} ({row.entry_location_name})")
            for row in cases.sociale_kaart
        ]
        self.grid(
            "q2_entry",
            [
                (row.entry_id, [row.considered_by_first_line, row.named_fitting_by_advocaat])
                for row in cases.sociale_kaart
            ],
            ("considered", "named"),
            row_totals=False,
            column_totals=[("q2_entry", "all", "considered"), ("q2_entry", "all", "named")],
        )
        # warm handovers and time to a fitting solution, per location of the scope
        handovers = {row.location_id: row for row in cases.handovers_by_location}
        solved = {row.location_id: row.durations for row in cases.time_to_solution_by_location}
        several = len(self.scope_ids) > 1
        units = [self.unit(pk) for pk in self.scope_ids]
        self.grid(
            "handover",
            [
                (
                    unit,
                    [
                        getattr(handovers.get(pk), "accepted", 0),
                        getattr(handovers.get(pk), "declined", 0),
                        getattr(handovers.get(pk), "pending", 0),
                    ],
                )
                for pk, unit in zip(self.scope_ids, units, strict=True)
            ],
            ("picked_up", "declined", "pending"),
            row_totals=[("handovers", unit, month) for unit in units],
            column_totals=(
                [(state, SCOPE, month) for state in ("picked_up", "declined", "pending")]
                if several
                else None
            ),
            grand_total=("handovers", SCOPE, month) if several else None,
            key=lambda unit, state: (state, unit, month),
        )
        buckets = ("up_to_7_days", "days_8_to_30", "days_31_to_90", "over_90_days")
        for pk, durations in solved.items():
            self.medians.setdefault((self.unit(pk), month), durations.median_days)
        self.medians[(SCOPE, month)] = cases.time_to_solution.median_days
        self.grid(
            "solved",
            [
                (unit, [getattr(solved[pk], b) if pk in solved else 0 for b in buckets])
                for pk, unit in zip(self.scope_ids, units, strict=True)
            ],
            buckets,
            row_totals=[("solved", unit, month) for unit in units],
            column_totals=[("solved_in", SCOPE, b) for b in buckets] if several else None,
            grand_total=("solved", SCOPE, month) if several else None,
        )

    # ------------------------------------------------------------ the tables

    def row(self, label: str, keys, total=None, extra: str = "", key: int | None = None) -> Row:
        pub = self.pub
        return Row(
            label, tuple(pub[k] for k in keys), None if total is None else pub[total], extra, key
        )

    def median_text(self, unit: Hashable, solved: Hashable) -> str:
        """The median only beside a shown count of at least the threshold: the median of a few
        cases is nearly one of them."""
        median, count = self.medians.get((unit, self.month)), self.pub[solved]
        if median is None or count.suppressed or count.value < (self.pub.threshold or 0):
            return "—"
        return _("%(days)s dagen") % {"days": round(median)}

    def agreement(self, same, partly, different) -> str:
        """The share of advice with the same legal analysis as the first line, of the advice
        that answered the question; only when all three answers are shown."""
        cells = [self.pub[key] for key in (same, partly, different)]
        if any(cell.suppressed for cell in cells):
            return "—"
        return _percent(cells[0], Cell(sum(cell.value for cell in cells)))

    def report(self, audience: str) -> MonthReport:
        sections = [
            Section("maandrapport-casussen", _("Casussen"), self._case_tables()),
            Section("maandrapport-piket", _("Piket"), self._piket_tables()),
            Section("maandrapport-vragen", _("De drie vragen van de pilot"), self._questions()),
            Section(
                "maandrapport-doorlooptijd", _("Overdrachten en doorlooptijd"), self._flow_tables()
            ),
            Section("maandrapport-ontwikkeling", _("Ontwikkeling"), (self._trend(),)),
        ]
        if audience == "team":
            sections.append(
                Section("maandrapport-landelijk", _("Landelijke vergelijking"), self._national())
            )
        return MonthReport(
            month=self.month,
            location_ids=tuple(self.scope_ids),
            location_names=tuple(loc.name for loc in self.scope),
            audience=audience,
            threshold=self.pub.threshold,
            computed_at=timezone.now(),
            headlines=self._headlines(),
            sections=tuple(sections),
        )

    def _headlines(self) -> tuple[Headline, ...]:
        pub, m = self.pub, self.month

        def of(part: str, whole: str) -> str:
            p, w = pub[(part, SCOPE, m)], pub[(whole, SCOPE, m)]
            return _("%(part)s van %(whole)s (%(share)s)") % {
                "part": p.text,
                "whole": w.text,
                "share": _percent(p, w),
            }

        agreement = self.agreement(
            ("same", SCOPE, m), ("partly", SCOPE, m), ("different", SCOPE, m)
        )
        return (
            Headline(_("Geregistreerde casussen"), pub[("registered", SCOPE, m)].text),
            Headline(_("Piketconsulten gehouden, van de geboekte"), of("held", "booked")),
            Headline(
                _("Advocaat niet bereikt, van de geboekte consulten"), of("not_reached", "booked")
            ),
            Headline(
                _("LAT of toevoeging voorkomen, van de gehouden consulten"),
                of("lat_avoided", "held"),
            ),
            Headline(
                _(
                    "Dezelfde juridische analyse als de eerstelijn (vraag 3), van de adviezen "
                    "met een oordeel"
                ),
                _("%(part)s van %(whole)s (%(share)s)")
                % {
                    "part": pub[("same", SCOPE, m)].text,
                    "whole": pub[("answered", SCOPE, m)].text,
                    "share": agreement,
                },
            ),
            Headline(
                _("Warme overdrachten opgepakt, van de gemaakte"), of("picked_up", "handovers")
            ),
            Headline(
                _("Mediane tijd tot een passende oplossing"),
                self.median_text(SCOPE, ("solved", SCOPE, m)),
            ),
        )

    def _case_tables(self) -> tuple[Table, ...]:
        m = self.month
        names = {area.id: area.name for area in self.areas}
        yes_no = ("yes", "no", "unsure", "none")
        yes_no_labels = (_("Ja"), _("Nee"), _("Weet niet"), _("Niet ingevuld"))
        return (
            Table(
                slug="maandrapport-casussen-per-organisatie",
                title=_("Casussen per organisatie"),
                text=_("Casussen die in de maand werden geregistreerd, per organisatie."),
                row_heading=_("Organisatie"),
                columns=(_("Casussen"),),
                total_heading=None,
                extra_heading=None,
                rows=tuple(
                    self.row(label, [("organisation", org, "cases")], key=org)
                    for org, label, _n in self.organisations
                ),
                totals=self.row(_("Totaal"), [("registered", SCOPE, m)]),
            ),
            Table(
                slug="maandrapport-casussen-per-rechtsgebied",
                title=_("Casussen per rechtsgebied"),
                text=_(
                    "Casussen die in de maand werden geregistreerd, naar het rechtsgebied van "
                    "hun deelproblemen. Een casus met deelproblemen in twee rechtsgebieden telt "
                    "in beide."
                ),
                row_heading=_("Rechtsgebied"),
                columns=(_("Casussen"),),
                total_heading=None,
                extra_heading=None,
                rows=tuple(
                    self.row(names[area], [("area_cases", area, "cases")], key=area)
                    for area, _values in self.area_rows
                ),
                totals=None,
            ),
            Table(
                slug="maandrapport-vraag1-eerstelijn",
                title=_("Vraag 1: is verwijzen naar een advocaat zinvol? (eerstelijn)"),
                text=_(
                    "Het antwoord van de eerstelijn per deelprobleem van de casussen van de maand."
                ),
                row_heading=_("Rechtsgebied"),
                columns=yes_no_labels,
                total_heading=_("Deelproblemen"),
                extra_heading=None,
                rows=tuple(
                    self.row(
                        names[area],
                        [("q1", area, a) for a in yes_no],
                        ("q1", area, "total"),
                        key=area,
                    )
                    for area, _values in self.area_rows
                ),
                totals=self.row(
                    _("Totaal"), [("q1", "all", a) for a in yes_no], ("q1", "all", "total")
                ),
            ),
        )

    def _piket_tables(self) -> tuple[Table, ...]:
        m = self.month
        names = {area.id: area.name for area in self.areas}
        return (
            Table(
                slug="maandrapport-consulten",
                title=_("Piketconsulten per rechtsgebied"),
                text=_(
                    "Consulten in de maand, geboekt voor casussen van deze locatie, naar wat "
                    "ervan werd (ook consulten op het landelijke piket)."
                ),
                row_heading=_("Rechtsgebied"),
                columns=(
                    _("Nog te houden"),
                    _("Gehouden"),
                    _("Niet doorgegaan"),
                    _("Advocaat niet bereikt"),
                    _("Geannuleerd"),
                ),
                total_heading=_("Geboekt"),
                extra_heading=None,
                rows=tuple(
                    self.row(
                        names[area],
                        [("consult", area, state) for state in CONSULT_STATES],
                        ("consult", area, "total"),
                        key=area,
                    )
                    for area, _values in self.consult_rows
                ),
                totals=self.row(
                    _("Totaal"),
                    [(state, SCOPE, m) for state in CONSULT_STATES],
                    ("booked", SCOPE, m),
                ),
            ),
            Table(
                slug="maandrapport-lat-voorkomen",
                title=_("LAT of toevoeging voorkomen"),
                text=_(
                    "Gehouden consulten, en hoeveel daarvan volgens de advocaat een lichte "
                    "adviestoevoeging (LAT) of toevoeging voorkwamen."
                ),
                row_heading=_("Rechtsgebied"),
                columns=(_("Gehouden"), _("LAT voorkomen")),
                total_heading=None,
                extra_heading=_("Aandeel"),
                rows=tuple(
                    self.row(
                        names[area],
                        [("consult", area, "held"), ("lat", area, "lat_avoided")],
                        extra=_percent(
                            self.pub[("lat", area, "lat_avoided")],
                            self.pub[("consult", area, "held")],
                        ),
                        key=area,
                    )
                    for area, _values in self.consult_rows
                ),
                totals=self.row(
                    _("Totaal"),
                    [("held", SCOPE, m), ("lat_avoided", SCOPE, m)],
                    extra=_percent(
                        self.pub[("lat_avoided", SCOPE, m)], self.pub[("held", SCOPE, m)]
                    ),
                ),
            ),
        )

    def _questions(self) -> tuple[Table, ...]:
        m = self.month
        names = {area.id: area.name for area in self.areas}
        yes_no = ("yes", "no", "unsure", "none")
        yes_no_labels = (_("Ja"), _("Nee"), _("Weet niet"), _("Niet ingevuld"))

        def per_area(name, columns, totals, extra=None):
            rows = tuple(
                self.row(
                    names[area],
                    [(name, area, c) for c in columns],
                    ("advice_area", area),
                    extra(area) if extra else "",
                    key=area,
                )
                for area in self.advice_rows
            )
            return rows, self.row(
                _("Totaal"),
                totals,
                ("advice", SCOPE, m),
                extra("all") if extra else "",
            )

        q1_rows, q1_totals = per_area(
            "q1_advocaat", yes_no, [("q1_advocaat", "all", a) for a in yes_no]
        )
        q2_rows, q2_totals = per_area(
            "q2", ("names", "names_none"), [("q2", "all", c) for c in ("names", "names_none")]
        )

        def agreement(area):
            if area == "all":
                return self.agreement(*[(a, SCOPE, m) for a in ANSWERED])
            return self.agreement(*[("q3", area, a) for a in ANSWERED])

        q3_rows, q3_totals = per_area(
            "q3", ANALYSIS, [(a, SCOPE, m) for a in ANALYSIS], extra=agreement
        )
        return (
            Table(
                slug="maandrapport-vraag1-advocaat",
                title=_("Vraag 1: is verwijzen naar een advocaat zinvol? (advocaat)"),
                text=_(
                    "Het antwoord van de advocaat in elk advies dat in de maand werd vastgelegd."
                ),
                row_heading=_("Rechtsgebied"),
                columns=yes_no_labels,
                total_heading=_("Adviezen"),
                extra_heading=None,
                rows=q1_rows,
                totals=q1_totals,
            ),
            Table(
                slug="maandrapport-vraag2-sociale-kaart",
                title=_("Vraag 2: welke organisaties van de sociale kaart passen?"),
                text=_(
                    "Per organisatie: hoe vaak de eerstelijn haar overwoog bij een deelprobleem, "
                    "en hoe vaak een advocaat haar passend noemde."
                ),
                row_heading=_("Organisatie"),
                columns=(_("Overwogen door de eerstelijn"), _("Passend genoemd door de advocaat")),
                total_heading=None,
                extra_heading=None,
                rows=tuple(
                    self.row(
                        label,
                        [("q2_entry", entry, "considered"), ("q2_entry", entry, "named")],
                        key=entry,
                    )
                    for entry, label in self.entries
                ),
                totals=self.row(
                    _("Totaal"),
                    [("q2_entry", "all", "considered"), ("q2_entry", "all", "named")],
                ),
            ),
            Table(
                slug="maandrapport-vraag2-advies",
                title=_("Vraag 2: adviezen die een passende organisatie noemen"),
                text=_(
                    "Adviezen die ten minste één organisatie van de sociale kaart passend noemen."
                ),
                row_heading=_("Rechtsgebied"),
                columns=(_("Noemt een organisatie"), _("Noemt er geen")),
                total_heading=_("Adviezen"),
                extra_heading=None,
                rows=q2_rows,
                totals=q2_totals,
            ),
            Table(
                slug="maandrapport-vraag3-analyse",
                title=_("Vraag 3: maken eerste- en tweedelijn dezelfde juridische analyse?"),
                text=_(
                    "Het oordeel van de advocaat over de analyse van de eerstelijn, per advies. "
                    "Overeenstemming: het aandeel „dezelfde” van de adviezen met een oordeel."
                ),
                row_heading=_("Rechtsgebied"),
                columns=(_("Dezelfde"), _("Deels dezelfde"), _("Een andere"), _("Niet ingevuld")),
                total_heading=_("Adviezen"),
                extra_heading=_("Overeenstemming"),
                rows=q3_rows,
                totals=q3_totals,
            ),
        )

    def _location_label(self, pk: int) -> str:
        return next(loc.name for loc in self.locations if loc.pk == pk)

    def _flow_tables(self) -> tuple[Table, ...]:
        m = self.month
        several = len(self.scope_ids) > 1
        units = [(pk, self.unit(pk)) for pk in self.scope_ids]
        states = ("picked_up", "declined", "pending")
        buckets = ("up_to_7_days", "days_8_to_30", "days_31_to_90", "over_90_days")
        return (
            Table(
                slug="maandrapport-overdrachten",
                title=_("Warme overdrachten en of ze werden opgepakt"),
                text=_("Overdrachten gemaakt in de maand, naar hoe het er nu mee staat."),
                row_heading=_("Locatie"),
                columns=(_("Opgepakt"), _("Afgewezen"), _("Wacht op antwoord")),
                total_heading=_("Gemaakt"),
                extra_heading=None,
                rows=tuple(
                    self.row(
                        self._location_label(pk),
                        [(state, unit, m) for state in states],
                        ("handovers", unit, m),
                        key=pk,
                    )
                    for pk, unit in units
                ),
                totals=(
                    self.row(
                        _("Totaal"),
                        [(state, SCOPE, m) for state in states],
                        ("handovers", SCOPE, m),
                    )
                    if several
                    else None
                ),
            ),
            Table(
                slug="maandrapport-tijd-tot-oplossing",
                title=_("Tijd van registratie tot een passende oplossing"),
                text=_(
                    "Casussen die in de maand voor het eerst werden gesloten met een passende "
                    "oplossing, naar het aantal dagen sinds de registratie."
                ),
                row_heading=_("Locatie"),
                columns=(
                    _("Tot 7 dagen"),
                    _("8–30 dagen"),
                    _("31–90 dagen"),
                    _("Meer dan 90 dagen"),
                ),
                total_heading=_("Opgelost"),
                extra_heading=_("Mediaan"),
                rows=tuple(
                    self.row(
                        self._location_label(pk),
                        [("solved", unit, b) for b in buckets],
                        ("solved", unit, m),
                        self.median_text(unit, ("solved", unit, m)),
                        key=pk,
                    )
                    for pk, unit in units
                ),
                totals=(
                    self.row(
                        _("Totaal"),
                        [("solved_in", SCOPE, b) for b in buckets],
                        ("solved", SCOPE, m),
                        self.median_text(SCOPE, ("solved", SCOPE, m)),
                    )
                    if several
                    else None
                ),
            ),
        )

    def _trend(self) -> Table:
        columns = (
            _("Casussen"),
            _("Consulten gehouden"),
            _("Advocaat niet bereikt"),
            _("LAT voorkomen"),
            _("Adviezen met oordeel over de analyse"),
            _("Dezelfde analyse"),
            _("Overdrachten"),
            _("Opgepakt"),
            _("Opgelost"),
        )
        return Table(
            slug="maandrapport-ontwikkeling",
            title=_("Ontwikkeling over de afgelopen maanden"),
            text=_(
                "De kerncijfers van deze maand en de %(months)s maanden ervoor. Overeenstemming: "
                "het aandeel „dezelfde analyse” van de adviezen met een oordeel."
            )
            % {"months": TREND_MONTHS},
            row_heading=_("Maand"),
            columns=columns,
            total_heading=None,
            extra_heading=_("Overeenstemming"),
            rows=tuple(
                self.row(
                    f"{MONTH_NAMES[m.month - 1]} {m.year}",
                    [(measure, SCOPE, m) for measure in TREND_MEASURES],
                    extra=_percent(self.pub[("same", SCOPE, m)], self.pub[("answered", SCOPE, m)]),
                )
                for m in self.months
            ),
            totals=None,
        )

    def _national(self) -> tuple[Table, ...]:
        m = self.month
        units = [(loc, self.unit(loc.pk)) for loc in self.locations]
        note = _("Dit overleg: %(locations)s.") % {
            "locations": ", ".join(loc.name for loc in self.scope)
        }
        return (
            Table(
                slug="maandrapport-landelijk-kerncijfers",
                title=_("Kerncijfers per locatie"),
                text=_("De kerncijfers van deze maand voor alle locaties van de pilot."),
                row_heading=_("Locatie"),
                columns=(
                    _("Casussen"),
                    _("Consulten geboekt"),
                    _("Consulten gehouden"),
                    _("Advocaat niet bereikt"),
                    _("LAT voorkomen"),
                    _("Overdrachten"),
                    _("Opgepakt"),
                    _("Opgelost"),
                ),
                total_heading=None,
                extra_heading=_("Mediaan tot oplossing"),
                rows=tuple(
                    self.row(
                        loc.name,
                        [(measure, unit, m) for measure in KEY_MEASURES],
                        extra=self.median_text(unit, ("solved", unit, m)),
                        key=loc.pk,
                    )
                    for loc, unit in units
                ),
                totals=self.row(
                    _("Alle locaties"), [(measure, NATIONAL, m) for measure in KEY_MEASURES]
                ),
                notes=(note,),
            ),
            Table(
                slug="maandrapport-landelijk-vraag3",
                title=_("Vraag 3 per locatie: dezelfde juridische analyse?"),
                text=_(
                    "Het oordeel van de advocaat over de analyse van de eerstelijn, per advies."
                ),
                row_heading=_("Locatie"),
                columns=(_("Dezelfde"), _("Deels dezelfde"), _("Een andere"), _("Niet ingevuld")),
                total_heading=_("Adviezen"),
                extra_heading=_("Overeenstemming"),
                rows=tuple(
                    self.row(
                        loc.name,
                        [(a, unit, m) for a in ANALYSIS],
                        ("advice", unit, m),
                        self.agreement(*[(a, unit, m) for a in ANSWERED]),
                        key=loc.pk,
                    )
                    for loc, unit in units
                ),
                totals=self.row(
                    _("Alle locaties"),
                    [(a, NATIONAL, m) for a in ANALYSIS],
                    ("advice", NATIONAL, m),
                    self.agreement(*[(a, NATIONAL, m) for a in ANSWERED]),
                ),
                notes=(note,),
            ),
        )
