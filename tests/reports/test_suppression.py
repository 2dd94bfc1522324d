"""The suppression algorithm on small tables: what it hides, what it withholds, and that its
audit finds exactly what linear programming finds (scipy, as an independent reader)."""

import random

import pytest
from scipy.optimize import linprog

from reports.suppression import PROTECTED, SMALL, Outcome, Table, intervals, suppress


def _free(values, tables, outcome):
    return {key: low < high for key, (low, high) in intervals(values, tables, outcome).items()}


def test_a_lone_small_cell_gets_the_cheapest_complement_that_frees_it():
    values = {"total": 32, "a": 3, "b": 6, "c": 9, "d": 14}
    tables = [Table("t", "total", ("a", "b", "c", "d"))]
    outcome = suppress(values, tables)
    assert outcome.hidden == {"a": SMALL, "b": PROTECTED}
    assert intervals(values, tables, outcome) == {"a": (1, 4), "b": (5, 8)}


def test_a_complement_of_5_beside_a_1_is_not_enough():
    # 1 + 5 = 6 with "<5" and "x" (at least 5) could only be 1 and 5.
    values = {"total": 26, "a": 1, "b": 5, "c": 20}
    tables = [Table("t", "total", ("a", "b", "c"))]
    outcome = suppress(values, tables)
    assert outcome.hidden == {"a": SMALL, "c": PROTECTED}
    assert all(_free(values, tables, outcome).values())


def test_two_small_cells_that_must_be_ones_get_a_complement():
    # The audit's "Visitors by gender": two hidden cells adding up to 2 are both 1.
    values = {"total": 36, "female": 20, "male": 14, "other": 1, "unknown": 1}
    tables = [Table("gender", "total", ("female", "male", "other", "unknown"))]
    outcome = suppress(values, tables)
    assert outcome.hidden == {"other": SMALL, "unknown": SMALL, "male": PROTECTED}


def test_two_small_cells_that_may_differ_need_nothing_more():
    values = {"total": 15, "ua": 9, "lt": 3, "af": 3}
    tables = [Table("t", "total", ("ua", "lt", "af"))]
    assert suppress(values, tables).hidden == {"lt": SMALL, "af": SMALL}


def test_a_small_total_withholds_its_breakdown_and_hides_its_month_column_whole():
    values = {"total": 4, "a": 1, "b": 1, "c": 1, "d": 1, "m1": 0, "m2": 4}
    tables = [
        Table("services", "total", ("a", "b", "c", "d")),  # four ones: the count says it all
        Table("months", "total", ("m1", "m2"), lists_zeros=True),
    ]
    outcome = suppress(values, tables)
    assert outcome.withheld == {"services"}
    assert outcome.hidden["m1"] == outcome.hidden["m2"] == SMALL
    assert outcome.hidden_zeros == {"m1"}
    assert all(_free(values, tables, outcome).values())


def test_small_parts_adding_up_to_a_shown_total_hide_the_total_and_its_other_tables():
    # 4 + 4 = 8: the total is the only cell left to hide; then the month table, which
    # adds up to the same total, must hide a cell too.
    values = {"total": 8, "a": 4, "b": 4, "m1": 8}
    tables = [
        Table("services", "total", ("a", "b")),
        Table("months", "total", ("m1",), lists_zeros=True),
    ]
    outcome = suppress(values, tables)
    assert outcome.hidden == {"a": SMALL, "b": SMALL, "total": PROTECTED, "m1": PROTECTED}
    assert all(_free(values, tables, outcome).values())


def test_a_hidden_total_needs_a_hidden_cell_in_every_table_of_it():
    values = {"total": 30, "a": 2, "b": 28, "x": 10, "y": 20, "m1": 30}
    tables = [
        Table("one", "total", ("a", "b")),
        Table("two", "total", ("x", "y")),
        Table("months", "total", ("m1",), lists_zeros=True),
    ]
    outcome = suppress(values, tables)
    # b is cheaper than hiding the total: nothing else needs to go.
    assert outcome.hidden == {"a": SMALL, "b": PROTECTED}


def test_zero_is_shown_and_counts_outside_tables_only_need_their_own_mark():
    values = {"alone": 2, "zero": 0, "big": 40}
    outcome = suppress(values, [])
    assert outcome.hidden == {"alone": SMALL}


def test_inputs_that_do_not_add_up_or_too_low_a_threshold_are_refused():
    with pytest.raises(ValueError, match="add up"):
        suppress({"t": 5, "a": 2}, [Table("t", "t", ("a",))])
    with pytest.raises(ValueError, match="threshold"):
        suppress({"a": 1}, [], threshold=2)
    with pytest.raises(ValueError, match="two tables"):
        suppress({"t": 2, "a": 2}, [Table("x", "t", ("a",)), Table("y", "t", ("a",))])


def _lp_intervals(values, tables, outcome, threshold=5):
    """Each hidden cell's least and greatest value by linear programming."""
    hidden = sorted(outcome.hidden)
    index = {key: n for n, key in enumerate(hidden)}
    rows, rhs = [], []
    for table in tables:
        if table.key in outcome.withheld:
            continue
        row, constant = [0.0] * len(hidden), 0.0
        for key, sign in [(table.total, -1), *((p, 1) for p in table.parts)]:
            if key in index:
                row[index[key]] += sign
            else:
                constant += sign * values[key]
        if any(row):
            rows.append(row)
            rhs.append(-constant)
    bounds = [
        (0 if key in outcome.hidden_zeros else 1, threshold - 1)
        if outcome.hidden[key] == SMALL
        else (threshold, None)
        for key in hidden
    ]
    found = {}
    for key in hidden:
        ends = []
        for sign in (1, -1):
            cost = [0.0] * len(hidden)
            cost[index[key]] = sign
            result = linprog(
                cost, A_eq=rows or None, b_eq=rhs or None, bounds=bounds, method="highs"
            )
            ends.append(sign * result.fun if result.status == 0 else float("inf"))
        found[key] = (round(ends[0], 6), round(ends[1], 6))
    return found


def _random_tables(rng):
    """A total with two to three breakdowns of small counts, and a month column."""
    values, tables = {}, []
    total = rng.randint(0, 40)
    values["total"] = total
    for name in ("a", "b", "c")[: rng.randint(1, 3)]:
        parts, left = [], total
        while left:
            part = min(left, rng.choice([1, 1, 2, 3, 4, 5, 6, 9, 15]))
            parts.append(part)
            left -= part
        keys = tuple(f"{name}{n}" for n in range(len(parts)))
        values.update(zip(keys, parts, strict=True))
        tables.append(Table(name, "total", keys))
    months = [rng.randint(0, total)]
    months.append(total - months[0])
    values.update({"m0": months[0], "m1": months[1]})
    tables.append(Table("months", "total", ("m0", "m1"), lists_zeros=True))
    return values, tables


def test_the_audit_agrees_with_linear_programming_and_frees_every_hidden_cell():
    rng = random.Random(7)
    for _ in range(150):
        values, tables = _random_tables(rng)
        outcome = suppress(values, tables)
        exact = intervals(values, tables, outcome)
        assert exact == _lp_intervals(values, tables, outcome), (values, outcome)
        assert all(low < high for low, high in exact.values()), (values, outcome)
        for key, value in values.items():  # every true value is inside its interval
            if key in exact:
                assert exact[key][0] <= value <= exact[key][1]


def test_the_audit_finds_a_cell_pinned_by_two_tables_together():
    # Each table alone leaves the hidden total free; together they pin it to 8.
    values = {"t": 8, "a0": 4, "a1": 4, **{f"b{n}": 1 for n in range(8)}}
    tables = [Table("a", "t", ("a0", "a1")), Table("b", "t", tuple(f"b{n}" for n in range(8)))]
    trial = Outcome(hidden={k: SMALL for k in values if k != "t"} | {"t": PROTECTED})
    assert intervals(values, tables, trial)["t"] == (8, 8)
    outcome = suppress(values, tables)
    assert all(_free(values, tables, outcome).values())
    assert outcome.withheld  # nothing left to hide: a breakdown is not published
