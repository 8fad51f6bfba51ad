"""Small-cell suppression: the one module that decides which counts may be shown.

Used by the research dashboards, their CSV downloads and (later) the signaleringsoverleg's month
report. Pure functions over tables of ints; nothing here reads the database.

The rules
---------
**Primary.** A count below the threshold (5) is not shown: it reads "<5". That includes 0: a
"<5" that may be 0 cannot be pinned down by adding up, while a shown 0 next to a "<5" often can
(a row total of 1 with one "<5" and one 0 is exactly 1).

**Complementary, within a table.** A table is published with its row totals, column totals and
grand total, so a single suppressed cell in a row would be the row total minus the other cells.
Every *line* (a row or a column, its total included) that holds exactly one suppressed cell gets
a second one: the smallest shown cell of that line (ties: the first). Suppressing it may leave
another line with a single suppressed cell, so this repeats until no line has exactly one. What
then remains known is the sum of the suppressed cells of a line, never one of them. The second
cell is marked "suppressed-complementary" and shown as "×" (it is not small, so "<5" would be
untrue).

The core works on any set of *lines* (groups of cells whose sum is published as another cell of
the set), so a cube with location, legal area and answer as dimensions is protected the same
way as a plain table: see `suppress_lines`.

**Across filter combinations.** A user who sees the figures of all locations and those of one
location can subtract the two and get the figures of the other locations; with one location
per view, all views together give every location. So filtering never recomputes a table for a
subset: the research dashboards compute each table over the whole population they may show,
with the location (or legal area) as a dimension of the table, suppress that table as a whole,
and a filter only picks rows of the protected result. Every number on every view is then a cell
or a total of one protected table, and a difference of two views is a difference within it,
which the complementary rule already guards. The remaining filter is the period, coarsened to a
calendar year (the months are columns of the tables, not a filter): years do not overlap, so two
periods never nest. Where a figure has no location or legal-area dimension the dashboard shows
it for everything the user may see and says so, rather than for the filter.

Who gets suppression: researchers (and everyone the figures leave the owning team for, such as
the stuurgroep) always; a coordinator looking at the figures of their own locations sees the
raw counts (`research.figures.threshold_for`).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

THRESHOLD = 5


class CellState(StrEnum):
    SHOWN = "shown"
    PRIMARY = "suppressed-primary"
    COMPLEMENTARY = "suppressed-complementary"


@dataclass(frozen=True)
class Cell:
    value: int
    state: CellState = CellState.SHOWN

    @property
    def suppressed(self) -> bool:
        return self.state is not CellState.SHOWN

    @property
    def text(self) -> str:
        """What a reader sees: the number, "<5" or "×"."""
        if self.state is CellState.PRIMARY:
            return f"<{THRESHOLD}"
        if self.state is CellState.COMPLEMENTARY:
            return "×"
        return str(self.value)

    @property
    def shown_value(self) -> int | None:
        """The number when shown, else None (never the hidden value)."""
        return None if self.suppressed else self.value


def suppress_lines(
    values: dict[Hashable, int],
    lines: Iterable[Sequence[Hashable]],
    *,
    threshold: int | None = THRESHOLD,
) -> dict[Hashable, Cell]:
    """Primary and complementary suppression of cells related by `lines`.

    `values` maps each published cell (inner cells and totals alike) to its count; a line is a
    group of cells of which one is the sum of the others (a row with its total). `threshold`
    None: nothing is suppressed (the owning team's own figures)."""
    if threshold is None:
        return {key: Cell(value) for key, value in values.items()}
    if any(value < 0 for value in values.values()):
        raise ValueError("Counts are never negative.")
    states = {
        key: CellState.PRIMARY if value < threshold else CellState.SHOWN
        for key, value in values.items()
    }
    lines = [tuple(line) for line in lines if len(line) > 1]
    changed = True
    while changed:
        changed = False
        for line in lines:
            hidden = [key for key in line if states[key] is not CellState.SHOWN]
            if len(hidden) != 1:
                continue
            shown = [key for key in line if states[key] is CellState.SHOWN]
            smallest = min(shown, key=lambda key: values[key])  # first of equals
            states[smallest] = CellState.COMPLEMENTARY
            changed = True
    return {key: Cell(values[key], states[key]) for key in values}


@dataclass(frozen=True)
class SuppressedTable:
    """A table after suppression: `cells[r][c]`, and its totals when it has them."""

    cells: tuple[tuple[Cell, ...], ...]
    row_totals: tuple[Cell, ...] | None
    column_totals: tuple[Cell, ...] | None
    grand_total: Cell | None

    def states(self) -> list[list[str]]:
        """The states of the inner cells (for tests and reports)."""
        return [[cell.state.value for cell in row] for row in self.cells]


def suppress_table(
    rows: Sequence[Sequence[int]],
    *,
    threshold: int | None = THRESHOLD,
    row_totals: bool = True,
    column_totals: bool = True,
) -> SuppressedTable:
    """A table of counts with (optionally) its row totals, column totals and grand total, after
    primary and complementary suppression. Totals are computed here, so they always add up.

    Leave out the row totals when the columns do not add up to something meaningful (different
    measures of the same rows, such as "held" and "LAT avoided"); then only the columns are
    lines, and the other way round."""
    width = len(rows[0]) if rows else 0
    if any(len(row) != width for row in rows):
        raise ValueError("Every row of a table has the same number of cells.")
    values: dict[Hashable, int] = {}
    lines: list[list[Hashable]] = []
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            values[(r, c)] = value
    if row_totals:
        for r, row in enumerate(rows):
            values[("row", r)] = sum(row)
            lines.append([*((r, c) for c in range(width)), ("row", r)])
    if column_totals:
        for c in range(width):
            values[("column", c)] = sum(row[c] for row in rows)
            lines.append([*((r, c) for r in range(len(rows))), ("column", c)])
    if row_totals and column_totals:
        values["total"] = sum(map(sum, rows))
        lines.append([*(("row", r) for r in range(len(rows))), "total"])
        lines.append([*(("column", c) for c in range(width)), "total"])
    cells = suppress_lines(values, lines, threshold=threshold)
    return SuppressedTable(
        cells=tuple(tuple(cells[(r, c)] for c in range(width)) for r in range(len(rows))),
        row_totals=tuple(cells[("row", r)] for r in range(len(rows))) if row_totals else None,
        column_totals=tuple(cells[("column", c)] for c in range(width)) if column_totals else None,
        grand_total=cells["total"] if row_totals and column_totals else None,
    )
