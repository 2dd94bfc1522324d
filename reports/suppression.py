"""Cell suppression for published figures: which counts a published report hides so that no
count under the threshold can be shown or worked out.

The figures are cells (a name and a count) and tables: a table says that its parts add up
to its total, as a published breakdown adds up to a headline figure. Tables are linked only
through their totals (one headline figure can be the total of several breakdowns and of a
column of the month table); a part belongs to one table and is nobody's total.

The algorithm follows the statistical offices' cell suppression (as in tau-ARGUS or
sdcTable), with an exact audit suited to tables linked by their totals:

1. Primary suppression: every count from 1 to threshold - 1 is hidden as SMALL. A table
   whose total is SMALL is not broken down: a breakdown is withheld (its rows are not
   published, since their number alone says something), and a table that lists zeros too
   (the month table) shows every part as SMALL, zeros included.
2. Audit: an attacker knows every shown count, that the parts of each table add up to its
   total, that a SMALL count is between 1 and threshold - 1 (0 for a zero hidden as in 1),
   and that a PROTECTED one is at least the threshold. For each hidden cell the smallest
   and largest value those facts allow are worked out exactly: a total can be anything
   every one of its tables allows, and a part anything its table allows for some such
   total. (The tables' equations have a totally unimodular matrix, so these bounds are
   whole numbers and equal to what linear programming or integer reasoning would find.)
3. Secondary suppression: while some hidden cell has one possible value, the cheapest
   complementary cell that gives it a second is hidden as PROTECTED: a shown count of at
   least the threshold in its table (or the table's total; for a total, a part of one of
   its tables), the smallest first, since that loses the least. If none frees it alone,
   the cheapest is hidden and the audit runs again. If no shown cell is left to hide, the
   table is withheld. Hiding a cell only widens what every other cell could be, so the
   loop ends, with every hidden cell free to take at least two values.

The audit does not cover a reader who combines several reports (overlapping periods, the
previous period's own report): no cell-by-cell suppression can.
"""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from math import inf

SMALL = "small"  # a count from 1 to the threshold less one
PROTECTED = "protected"  # hidden so that no small count can be worked out
THRESHOLD = 5


@dataclass(frozen=True)
class Table:
    key: str
    total: str
    parts: tuple[str, ...]
    lists_zeros: bool = False  # every part is listed, zeros too (the month table)


@dataclass
class Outcome:
    hidden: dict[str, str] = field(default_factory=dict)  # cell -> SMALL or PROTECTED
    withheld: set[str] = field(default_factory=set)  # tables not broken down
    hidden_zeros: set[str] = field(default_factory=set)  # zeros shown as SMALL


def suppress(
    values: Mapping[str, int], tables: Sequence[Table], threshold: int = THRESHOLD
) -> Outcome:
    """Which cells of `values` to hide, and which tables to withhold, for publication."""
    _check(values, tables, threshold)
    outcome = Outcome(hidden={k: SMALL for k, v in values.items() if 0 < v < threshold})
    for table in tables:
        if outcome.hidden.get(table.total) == SMALL:
            _withhold(table, values, outcome, threshold)
    order = {key: number for number, key in enumerate(values)}
    while pinned := _first_pinned(values, tables, outcome, threshold, order):
        step = _complement(pinned, values, tables, outcome, threshold)
        if step is None:
            _withhold(_table_to_withhold(pinned, tables, outcome), values, outcome, threshold)
        else:
            outcome.hidden[step] = PROTECTED
    return outcome


def intervals(
    values: Mapping[str, int], tables: Sequence[Table], outcome: Outcome, threshold=THRESHOLD
) -> dict[str, tuple[float, float]]:
    """The least and greatest value of each hidden cell that the published figures allow."""
    bounds = {key: _bounds(key, values, outcome, threshold) for key in values}
    found = {key: bounds[key] for key in outcome.hidden}
    stars = defaultdict(list)
    for table in tables:
        if table.key not in outcome.withheld:
            stars[table.total].append(table)
    for total, star in stars.items():
        low, high = bounds[total]
        sums = [_sums(table.parts, bounds) for table in star]
        for parts_low, parts_high in sums:
            low, high = max(low, parts_low.value), min(high, parts_high.value)
        if total in outcome.hidden:
            found[total] = (low, high)
        for table, (parts_low, parts_high) in zip(star, sums, strict=True):
            for part in table.parts:
                if part in outcome.hidden:
                    own_low, own_high = bounds[part]
                    found[part] = (
                        max(own_low, low - parts_high.without(own_high)),
                        min(own_high, high - parts_low.without(own_low)),
                    )
    return found


@dataclass
class _Sum:
    """A sum that may be infinite, which can give back one of its terms."""

    finite: float = 0
    infinite: int = 0

    def add(self, term: float) -> None:
        if term == inf:
            self.infinite += 1
        else:
            self.finite += term

    @property
    def value(self) -> float:
        return inf if self.infinite else self.finite

    def without(self, term: float) -> float:
        if term == inf:
            return inf if self.infinite > 1 else self.finite
        return inf if self.infinite else self.finite - term


def _sums(parts, bounds) -> tuple[_Sum, _Sum]:
    low, high = _Sum(), _Sum()
    for part in parts:
        low.add(bounds[part][0])
        high.add(bounds[part][1])
    return low, high


def _bounds(key, values, outcome, threshold) -> tuple[float, float]:
    """What a reader of the published figures knows of one cell by itself."""
    state = outcome.hidden.get(key)
    if state == SMALL:
        return (0 if key in outcome.hidden_zeros else 1, threshold - 1)
    if state == PROTECTED:
        return (threshold, inf)
    return (values[key], values[key])


def _first_pinned(values, tables, outcome, threshold, order) -> str | None:
    found = intervals(values, tables, outcome, threshold)
    pinned = [key for key, (low, high) in found.items() if low >= high]
    return min(pinned, key=order.__getitem__) if pinned else None


def _neighbours(cell, tables, outcome) -> list[Table]:
    """The published tables whose equation holds `cell`: its own table for a part, every
    table it is the total of for a total."""
    return [
        t for t in tables if t.key not in outcome.withheld and (cell == t.total or cell in t.parts)
    ]


def _complement(cell, values, tables, outcome, threshold) -> str | None:
    """The cheapest shown cell whose hiding gives `cell` a second possible value (or, if
    none does by itself, the cheapest there is); None when nothing is left to hide."""
    near = _neighbours(cell, tables, outcome)
    candidates = sorted(
        {
            key
            for table in near
            for key in (table.total, *table.parts)
            if key not in outcome.hidden and values[key] >= threshold
        },
        key=lambda key: (values[key], key),
    )
    for key in candidates:
        trial = Outcome({**outcome.hidden, key: PROTECTED}, outcome.withheld, outcome.hidden_zeros)
        low, high = intervals(values, tables, trial, threshold)[cell]
        if low < high:
            return key
    return candidates[0] if candidates else None


def _table_to_withhold(cell, tables, outcome) -> Table:
    """Every cell near `cell` is hidden and it is still known: the breakdown with the most
    parts around it is withheld (or a table listing zeros shows them hidden too)."""
    near = [
        t
        for t in _neighbours(cell, tables, outcome)
        if not t.lists_zeros or any(p not in outcome.hidden for p in t.parts)
    ]
    if not near:  # not reachable with tables linked by their totals (see the tests)
        raise RuntimeError(f"Cell {cell!r} cannot be protected.")
    return max(near, key=lambda t: (not t.lists_zeros, len(t.parts), t.key))


def _withhold(table, values, outcome, threshold) -> None:
    """A breakdown is not published; a table that lists zeros shows every part hidden."""
    if not table.lists_zeros:
        outcome.withheld.add(table.key)
        return
    for part in table.parts:
        if part not in outcome.hidden:
            outcome.hidden[part] = PROTECTED if values[part] >= threshold else SMALL
            if values[part] == 0:
                outcome.hidden_zeros.add(part)


def _check(values, tables, threshold) -> None:
    if threshold < 3:
        raise ValueError("A threshold under 3 would give a hidden count one possible value.")
    totals = {t.total for t in tables}
    seen = set()
    for table in tables:
        for part in table.parts:
            if part in totals or part in seen:
                raise ValueError(f"{part!r} is a total or in two tables: not supported.")
            seen.add(part)
        if sum(values[p] for p in table.parts) != values[table.total]:
            raise ValueError(f"The parts of {table.key!r} do not add up to its total.")
