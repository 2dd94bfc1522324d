"""Charts drawn on the server with matplotlib, as SVG: the same picture on the dashboard
and in the PDF. Text stays text (for the PDF's text layer and screen readers' alt text is
given separately); every chart has its numbers in a table beside it."""

import io
import math

import matplotlib

matplotlib.use("svg")

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from reports.figures import Breakdown, Report

STYLE = {
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
BRAND = "#0b4f8a"
SECOND = "#c2410c"
THIRD = "#15803d"


def _svg(figure: Figure) -> str:
    out = io.StringIO()
    figure.savefig(out, format="svg", bbox_inches="tight")
    return out.getvalue()


def _bar(month: dict, key: str, report: Report) -> float:
    """A month's count, or no bar where a published report hides it."""
    if report.for_publication and month["shown"][key] != str(month[key]):
        return math.nan
    return month[key]


def months_chart(report: Report, labels: dict) -> str:
    """Visits, consultations and event sessions per month, as grouped bars (for
    publication, a hidden count draws no bar)."""
    with matplotlib.rc_context(STYLE):
        figure = Figure(figsize=(7.5, 2.8))
        axes = figure.subplots()
        months = report.months
        positions = range(len(months))
        width = 0.28
        for offset, key, colour in (
            (-width, "visits", BRAND),
            (0, "consultations", SECOND),
            (width, "sessions", THIRD),
        ):
            axes.bar(
                [p + offset for p in positions],
                [_bar(m, key, report) for m in months],
                width=width,
                label=labels[key],
                color=colour,
            )
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_xticks(list(positions), [m["month"].strftime("%Y-%m") for m in months])
        axes.tick_params(axis="x", labelrotation=45)
        axes.legend(frameon=False, ncols=3, loc="upper left", bbox_to_anchor=(0, 1.15))
        return _svg(figure)


def breakdown_chart(breakdown: Breakdown, limit: int = 10) -> str:
    """The largest rows of a breakdown as horizontal bars."""
    rows = [c for c in breakdown.rows if c.value][:limit]
    with matplotlib.rc_context(STYLE):
        figure = Figure(figsize=(5.5, 0.3 * max(len(rows), 2) + 0.5))
        axes = figure.subplots()
        axes.barh([c.label for c in rows][::-1], [c.value for c in rows][::-1], color=BRAND)
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        return _svg(figure)
