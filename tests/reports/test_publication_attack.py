"""An attacker against published reports. For many short periods of dense demo data they take
the published CSV, write down every linear relation it states (each breakdown and each
month column adds up to its total row, which repeats a headline figure; bookings are
attendance plus no-shows; the change column and the attendance share, given to the whole
per cent) and what each mark means ("<5": 1 to 4, or 0 to 4 in a month column whose total
is "<5"; "x": at least 5), and ask linear programming (scipy) for the least and greatest
value of every hidden count. No hidden count may come out with a single possible value.

And the files, the page and the summary must not depend on a hidden count at all: changing
every hidden count changes nothing that is published."""

import csv
import io
import math
import random
from datetime import date, timedelta

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from openpyxl import load_workbook
from scipy.optimize import linprog

from accounts.roles import Role
from consultations.demo import demo_consultations
from events.demo import demo_events
from reports.exports import _csv, _xlsx, charts, page_context, report_file
from reports.figures import HEADLINE, RATES, Period, report_build
from reports.summary import summary_text
from tests.factories import staff_user
from visitors.demo import demo_year

START, DAYS = date(2024, 5, 27), 21  # three busy weeks across the end of a month
PERIODS = 60


@pytest.fixture
def busy_weeks(db):
    desk = staff_user(Role.RECEPTION)
    demo_year(logged_by=desk, start=START, days=DAYS, visits=300, people=120)
    until = START + timedelta(days=DAYS)
    demo_consultations(
        consultants={
            "legal": staff_user(Role.LEGAL_ADVISER),
            "career": staff_user(Role.CAREER_ADVISER),
            "psychological": staff_user(Role.PSYCHOLOGIST),
            "information": desk,
        },
        until=until,
    )
    demo_events(coordinator=staff_user(Role.EVENT_COORDINATOR), start=START, until=until)


def _short_periods(count: int) -> list[Period]:
    rng = random.Random(20241023)
    periods = [Period(date(2024, 6, 1), date(2024, 6, 30))]  # a month: compared with May
    while len(periods) < count:
        start = START + timedelta(days=rng.randrange(DAYS + 7))  # some reach past the data
        periods.append(Period(start, start + timedelta(days=rng.choice([0, 0, 1, 2, 3, 6, 9]))))
    return periods


class Attack:
    """What the published CSV says, as unknowns with bounds, equations and inequalities."""

    def __init__(self):
        self.unknowns: dict[tuple, tuple] = {}  # name -> (low, high)
        self.known: dict[tuple, int] = {}
        self.equations: list[dict] = []  # {name: coefficient}: the sum is 0
        self.at_most: list[dict] = []  # {name: coefficient}: the sum is at most 0
        # The report's structure is no secret: its figures' names in English.
        self.figures = {str(label) for label, _section, _rule in HEADLINE.values()}
        self.shares = {
            str(label): (str(HEADLINE[part][0]), str(HEADLINE[whole][0]))
            for label, part, whole, _rule in RATES.values()
        }
        self.attendance = [str(HEADLINE[k][0]) for k in ("bookings", "attended", "no_shows")]

    def cell(self, name: tuple, text: str, low_small: int = 1) -> tuple:
        if text == "<5":
            bounds = (low_small, 4)
        elif text == "x":
            bounds = (5, None)
        else:
            self.known[name] = int(text)
            return name
        # A cell repeated (a total row, the walk-ins) is one unknown; its marks agree.
        assert self.unknowns.get(name, bounds) == bounds, name
        self.unknowns[name] = bounds
        return name

    def _matrix(self, relations, index, equal: bool):
        rows, rhs = [], []
        for relation in relations:
            row, constant = [0.0] * len(index), 0.0
            for name, coefficient in relation.items():
                if name in index:
                    row[index[name]] += coefficient
                else:
                    constant += coefficient * self.known[name]
            if any(row):
                rows.append(row)
                rhs.append(-constant)
            else:  # a relation between shown counts holds
                assert abs(constant) < 1e-9 if equal else constant < 1e-9, relation
        return (rows or None), (rhs or None)

    def ranges(self) -> dict[tuple, tuple[float, float]]:
        """The least and greatest value of each unknown the relations allow."""
        names = sorted(self.unknowns)
        index = {name: n for n, name in enumerate(names)}
        a_eq, b_eq = self._matrix(self.equations, index, equal=True)
        a_ub, b_ub = self._matrix(self.at_most, index, equal=False)
        bounds = [self.unknowns[name] for name in names]
        found = {}
        for name in names:
            ends = []
            for sign in (1, -1):
                cost = [0.0] * len(names)
                cost[index[name]] = sign
                result = linprog(
                    cost, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs"
                )
                assert result.status in (0, 3), result.message  # feasible (3: unbounded)
                ends.append(sign * math.inf if result.status == 3 else sign * result.fun)
            found[name] = tuple(ends)
        return found


def _blocks(content: bytes) -> list[list[list[str]]]:
    """The CSV's tables: rows between empty lines."""
    blocks, block = [], []
    for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))):
        if row:
            block.append(row)
        else:
            blocks.append(block)
            block = []
    return [*blocks, block]


def _rounded(attack: Attack, part: tuple, whole: tuple, per_cent: str, base: float) -> None:
    """part / whole * 100 - base * 100 rounds to `per_cent`: two inequalities."""
    for side, sign in ((int(per_cent) - 0.5, -1), (int(per_cent) + 0.5, 1)):
        attack.at_most.append({part: sign, whole: -sign * (base + side / 100)})


def _headline(block, attack: Attack) -> None:
    for row in block[1:]:
        if len(row) < 5:
            continue  # a question's heading
        label, now, before, change, _rule = row
        if label in attack.shares:
            part, whole = attack.shares[label]
            for when, text in (("now", now), ("before", before)):
                if text not in ("", "x"):
                    _rounded(attack, (when, part), (when, whole), text, 0)
            continue
        attack.cell(("now", label), now)
        attack.cell(("before", label), before)
        if change not in ("", "x"):  # (now - before) / before * 100 rounds to it
            _rounded(attack, ("now", label), ("before", label), change, 1)
    bookings, attended, no_shows = attack.attendance
    for when in ("now", "before"):
        attack.equations.append({(when, bookings): 1, (when, attended): -1, (when, no_shows): -1})


def _breakdown(block, attack: Attack) -> None:
    title, parts, total = block[0][0], [], None
    for number, row in enumerate(block[1:]):
        if len(row) == 1:
            continue  # not broken down
        label, text = row
        if label in attack.figures:
            name = attack.cell(("now", label), text)
            total = total or name  # the first is the total; the walk-ins come after it
        else:
            parts.append(attack.cell((title, number, label), text))
    if total and parts:
        attack.equations.append({total: -1, **dict.fromkeys(parts, 1)})


def _months(block, attack: Attack) -> None:
    for column, (label, total) in enumerate(zip(block[0][1:], block[-1][1:], strict=True)):
        name = attack.cell(("now", label), total)
        low = 1
        if total == "<5":  # such a column is hidden whole, zeros too, so "<5" may be 0
            assert all(row[1 + column] == "<5" for row in block[1:-1]), block
            low = 0
        parts = [attack.cell(("month", row[0], label), row[1 + column], low) for row in block[1:-1]]
        attack.equations.append({name: -1, **dict.fromkeys(parts, 1)})


def _attack(content: bytes) -> Attack:
    attack = Attack()
    for block in _blocks(content):
        if not block or block[0][0] in ("Period", "Counting rules"):
            continue
        if block[0][0] == "Figure":
            _headline(block, attack)
        elif block[0][0] == "Month":
            _months(block, attack)
        else:
            _breakdown(block, attack)
    return attack


def test_no_hidden_count_can_be_worked_out_from_a_published_csv(busy_weeks):
    hidden = protected = withheld = 0
    with translation.override("en"):
        for period in _short_periods(PERIODS):
            content = report_file(period=period, fmt="csv", language="en", for_publication=True)
            found = _attack(content.content).ranges()
            for name, (low, high) in found.items():
                # At least two whole numbers are possible.
                assert math.floor(high + 1e-6) - math.ceil(low - 1e-6) >= 1, (period, name)
            hidden += len(found)
            protected += content.content.count(b",x")
            withheld += content.content.count(b"Not broken down")
    # The periods really tested something: many hidden counts, some hidden to protect.
    assert hidden > 500 and protected > 20 and withheld > 5, (hidden, protected, withheld)


def _perturb(report) -> None:
    """Every hidden count (and the share of one) changes; what is shown stays."""
    for figure in report.headline:
        figure.value += 1000 if figure.hidden else 0
        figure.previous += 1000 if figure.previous_hidden else 0
    for rate in report.rates:
        rate.value = 7 if rate.hidden else rate.value
        rate.previous = 7 if rate.previous_hidden else rate.previous
    for breakdown in report.breakdowns:
        for cell in [*breakdown.rows, *breakdown.total_and_extra]:
            cell.value += 1000 if cell.hidden or breakdown.withheld else 0
    for month in report.months:
        for column, shown in month["shown"].items():
            month[column] += 1000 if shown != str(month[column]) else 0


def _published(report) -> tuple:
    book = load_workbook(io.BytesIO(_xlsx(report)))
    html = {**page_context(report), "report": report, "summary": summary_text(report)}
    return (
        summary_text(report),
        _csv(report),
        [list(sheet.iter_rows(values_only=True)) for sheet in book],
        render_to_string("reports/_report.html", {**html, "charts": {}}),
        render_to_string("reports/report_pdf.html", {**html, "charts": {}}),
        charts(report),
    )


def test_nothing_published_depends_on_a_hidden_count(busy_weeks, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")  # the charts' SVG without today's date
    import matplotlib

    monkeypatch.setitem(matplotlib.rcParams, "svg.hashsalt", "test")
    with translation.override("en"):
        for period in _short_periods(12):
            report = report_build(period, for_publication=True)
            before = _published(report)
            _perturb(report)
            assert _published(report) == before, period
