"""Small-cell suppression (research.suppression): primary, complementary in rows, columns and
totals, and across filters (a view is a slice of one protected table)."""

from __future__ import annotations

import itertools

import pytest

from research.suppression import Cell, CellState, suppress_lines, suppress_table

P, C, S = "suppressed-primary", "suppressed-complementary", "shown"


def _derivable(table, rows) -> bool:
    """Can any hidden inner cell be computed exactly from the shown cells and totals by
    subtraction along one line? (What a reader with a calculator can do.)"""
    lines = []
    for r, row in enumerate(table.cells):
        lines.append(([*row], table.row_totals[r] if table.row_totals else None))
    if table.column_totals:
        for c in range(len(rows[0])):
            lines.append(([row[c] for row in table.cells], table.column_totals[c]))
    for cells, total in lines:
        if total is None or total.suppressed:
            continue
        if sum(cell.suppressed for cell in cells) == 1:
            return True
    return False


def test_counts_of_five_and_more_are_shown():
    table = suppress_table([[5, 6], [7, 80]])
    assert table.states() == [[S, S], [S, S]]
    assert table.grand_total == Cell(98)


def test_a_count_below_five_reads_less_than_five_zero_included():
    assert suppress_lines({"a": 4, "b": 0, "c": 5}, []) == {
        "a": Cell(4, CellState.PRIMARY),
        "b": Cell(0, CellState.PRIMARY),
        "c": Cell(5),
    }
    assert Cell(4, CellState.PRIMARY).text == "<5"
    assert Cell(4, CellState.PRIMARY).shown_value is None


def test_a_complementary_cell_reads_a_cross_not_less_than_five():
    assert Cell(40, CellState.COMPLEMENTARY).text == "×"
    assert Cell(40, CellState.COMPLEMENTARY).shown_value is None


def test_one_small_cell_gets_a_second_cell_in_its_row_and_its_column():
    rows = [
        [3, 12, 20],
        [9, 15, 30],
        [8, 40, 50],
    ]
    table = suppress_table(rows)
    # the 3 is primary; its row's smallest other cell (12) and its column's (8) are
    # complementary; those leave column 1 and row 2 with one hidden cell each, whose smallest
    # others (15, and 40 or 50) follow, and so on until every line has none or two or more.
    assert table.cells[0][0].state is CellState.PRIMARY
    assert table.cells[0][1].state is CellState.COMPLEMENTARY
    assert table.cells[2][0].state is CellState.COMPLEMENTARY
    assert not _derivable(table, rows)
    for r, row in enumerate(table.cells):
        assert sum(c.suppressed for c in row) + table.row_totals[r].suppressed != 1
    for c in range(3):
        column = [row[c] for row in table.cells] + [table.column_totals[c]]
        assert sum(cell.suppressed for cell in column) != 1
    assert table.grand_total.state is CellState.SHOWN


def test_the_complement_is_the_smallest_cell_of_the_line():
    table = suppress_table([[2, 50, 7, 30]], column_totals=False)
    assert table.states() == [[P, S, C, S]]
    assert table.row_totals[0].state is CellState.SHOWN


def test_two_small_cells_in_a_row_protect_each_other():
    table = suppress_table([[2, 3, 50]], column_totals=False)
    assert table.states() == [[P, P, S]]


def test_a_small_column_total_is_protected_like_any_cell():
    # column 0 adds up to 4: its total is primary; the total row then needs a second cell
    table = suppress_table([[2, 10], [2, 20]])
    assert table.column_totals[0].state is CellState.PRIMARY
    assert table.column_totals[1].state is not CellState.SHOWN or (
        table.grand_total.state is not CellState.SHOWN
    )
    rows = [[2, 10], [2, 20]]
    assert not _derivable(table, rows)


def test_a_table_of_one_column_with_its_total():
    table = suppress_table([[3], [40], [12]], row_totals=False)
    assert table.states() == [[P], [S], [C]]
    assert table.column_totals[0].state is CellState.SHOWN


def test_without_threshold_nothing_is_suppressed():
    table = suppress_table([[1, 2], [3, 4]], threshold=None)
    assert table.states() == [[S, S], [S, S]]
    assert table.grand_total.text == "10"


def test_bad_tables_are_refused():
    with pytest.raises(ValueError):
        suppress_table([[1, 2], [3]])
    with pytest.raises(ValueError):
        suppress_lines({"a": -1}, [])


@pytest.mark.parametrize("seed", range(200))
def test_no_random_table_leaves_a_hidden_cell_derivable(seed):
    import random

    rng = random.Random(seed)
    rows = [[rng.choice([0, 1, 2, 4, 5, 7, 12, 30]) for _c in range(4)] for _r in range(4)]
    table = suppress_table(rows)
    every_line = [[*table.cells[r], table.row_totals[r]] for r in range(4)] + [
        [*(row[c] for row in table.cells), table.column_totals[c]] for c in range(4)
    ]
    every_line += [
        [*table.row_totals, table.grand_total],
        [*table.column_totals, table.grand_total],
    ]
    for line in every_line:
        assert sum(cell.suppressed for cell in line) != 1
    # and every count below five is hidden
    for r, c in itertools.product(range(4), range(4)):
        if rows[r][c] < 5:
            assert table.cells[r][c].suppressed


def test_differencing_two_filtered_views_gives_no_small_cell():
    """All locations: 20 cases; Amsterdam 8, Utrecht 9, Zwolle 3. Recomputing per filter would
    show 20, 8 and 9 (each fine alone), and 20 - 8 - 9 = 3. Suppressing the table with the
    locations as rows and slicing it for a filter hides a second location as well."""
    locations = [[8], [9], [3]]
    table = suppress_table(locations, row_totals=False)
    views = {
        "all": table.column_totals[0],
        "Amsterdam": table.cells[0][0],
        "Utrecht": table.cells[1][0],
        "Zwolle": table.cells[2][0],
    }
    assert views["Zwolle"].text == "<5"
    shown = [name for name, cell in views.items() if not cell.suppressed]
    # whatever a user combines from the shown views, Zwolle's 3 does not follow
    assert "all" in shown
    assert sum(1 for name in ("Amsterdam", "Utrecht") if name in shown) == 1


def test_a_cube_is_protected_along_every_dimension():
    """location x answer with the location totals and the answer totals as lines of their own,
    as the dashboards pass a slice-able table to suppress_lines."""
    values = {
        ("A", "ja"): 3, ("A", "nee"): 20, ("A", "*"): 23,
        ("B", "ja"): 10, ("B", "nee"): 11, ("B", "*"): 21,
        ("*", "ja"): 13, ("*", "nee"): 31, ("*", "*"): 44,
    }  # fmt: skip
    lines = [
        [("A", "ja"), ("A", "nee"), ("A", "*")],
        [("B", "ja"), ("B", "nee"), ("B", "*")],
        [("*", "ja"), ("*", "nee"), ("*", "*")],
        [("A", "ja"), ("B", "ja"), ("*", "ja")],
        [("A", "nee"), ("B", "nee"), ("*", "nee")],
        [("A", "*"), ("B", "*"), ("*", "*")],
    ]
    cells = suppress_lines(values, lines)
    assert cells[("A", "ja")].state is CellState.PRIMARY
    for line in lines:
        assert sum(cells[key].suppressed for key in line) != 1
