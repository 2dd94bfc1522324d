"""A report made fit for publication: every count a published report states (the headline
of both periods, every breakdown with its total, the month table) becomes a cell, every
sum the report states a table, and reports.suppression decides what to hide. The marks
are then written where the numbers were; a change or a share is hidden with any count it
comes from. The summary text, the charts and every file read only these marks, so nothing
hidden reaches them.

The sums a published report states: each breakdown (but topics, where a consultation can
have several or none) adds up to the headline figure in its total row; each column of the
month table adds up to its headline figure; bookings are attendance plus no-shows, in both
periods. A breakdown's walk-ins row repeats the headline figure and is the same cell.
"""

from reports.figures import MONTH_COLUMNS, RATES, Report
from reports.suppression import PROTECTED, SMALL, THRESHOLD, Outcome, Table, suppress

MARKS = {SMALL: f"<{THRESHOLD}", PROTECTED: "x"}
PERIODS = {"now": "value", "before": "previous"}


def report_publish(report: Report) -> None:
    """Hide, in `report`, what a published report must not show (in place)."""
    values, tables = report_cells(report)
    outcome = suppress(values, tables)
    _apply(report, outcome)


def report_cells(report: Report) -> tuple[dict[str, int], list[Table]]:
    """The report's published counts by name, and the sums it states between them."""
    values, tables = {}, []
    for when, attribute in PERIODS.items():
        for figure in report.headline:
            values[f"{when}:{figure.key}"] = getattr(figure, attribute)
        parts = (f"{when}:attended", f"{when}:no_shows")
        if values[f"{when}:bookings"] == sum(values[p] for p in parts):
            tables.append(Table(f"{when}:attendance", f"{when}:bookings", parts))
    for breakdown in report.breakdowns:
        keys = tuple(f"{breakdown.key}:{number}" for number in range(len(breakdown.rows)))
        values.update(zip(keys, (cell.value for cell in breakdown.rows), strict=True))
        if breakdown.total_row:
            tables.append(Table(breakdown.key, f"now:{breakdown.total_row.figure}", keys))
    for column, figure in MONTH_COLUMNS.items():
        keys = tuple(f"months:{number}:{column}" for number in range(len(report.months)))
        values.update(zip(keys, (month[column] for month in report.months), strict=True))
        tables.append(Table(f"months:{column}", f"now:{figure}", keys, lists_zeros=True))
    return values, tables


def _mark(key: str, values: dict, outcome: Outcome) -> tuple[str, str]:
    """(what is shown, why it is hidden or "") for one cell."""
    state = outcome.hidden.get(key, "")
    return (MARKS[state] if state else str(values[key])), state


def _apply(report: Report, outcome: Outcome) -> None:
    values, _tables = report_cells(report)
    for figure in report.headline:
        figure.shown, figure.hidden = _mark(f"now:{figure.key}", values, outcome)
        figure.previous_shown, figure.previous_hidden = _mark(
            f"before:{figure.key}", values, outcome
        )
        figure.change_hidden = bool(figure.hidden or figure.previous_hidden)
    hidden = {h.key: (bool(h.hidden), bool(h.previous_hidden)) for h in report.headline}
    for rate in report.rates:
        _label, part, whole, _rule = RATES[rate.key]
        rate.hidden = hidden[part][0] or hidden[whole][0]
        rate.previous_hidden = hidden[part][1] or hidden[whole][1]
    for breakdown in report.breakdowns:
        breakdown.withheld = breakdown.key in outcome.withheld
        for number, cell in enumerate(breakdown.rows):
            cell.shown, cell.hidden = _mark(f"{breakdown.key}:{number}", values, outcome)
        for cell in [breakdown.total_row, *breakdown.extra]:
            if cell is not None:
                cell.shown, cell.hidden = _mark(f"now:{cell.figure}", values, outcome)
    for number, month in enumerate(report.months):
        for column in MONTH_COLUMNS:
            month["shown"][column] = _mark(f"months:{number}:{column}", values, outcome)[0]
