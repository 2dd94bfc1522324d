"""Each period is compared with the period before it of the same kind, and the report names
both, with their dates, on the page and in every file."""

import csv
import io
import subprocess
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from accounts.roles import Role
from reports.exports import report_file
from reports.figures import Period, named_period, report_build
from reports.periods import (
    CALENDAR_YEAR,
    CENTRE_YEAR,
    MONTH,
    SPAN,
    comparison_text,
    last_centre_year,
    period_text,
)
from tests.factories import staff_user
from visitors.services import walk_in_log

VILNIUS = ZoneInfo("Europe/Vilnius")
YEAR_1 = Period(date(2023, 10, 23), date(2024, 10, 22))
YEAR_2 = Period(date(2024, 10, 23), date(2025, 10, 22))


@pytest.mark.parametrize(
    ("period", "kind", "previous"),
    [
        (YEAR_1, CENTRE_YEAR, Period(date(2022, 10, 23), date(2023, 10, 22))),
        # 365 days compared with the 366 of the first year, opening day included.
        (YEAR_2, CENTRE_YEAR, YEAR_1),
        (
            Period(date(2025, 1, 1), date(2025, 12, 31)),
            CALENDAR_YEAR,
            Period(date(2024, 1, 1), date(2024, 12, 31)),
        ),
        (
            Period(date(2024, 3, 1), date(2024, 3, 31)),
            MONTH,
            Period(date(2024, 2, 1), date(2024, 2, 29)),
        ),
        (
            Period(date(2024, 1, 1), date(2024, 1, 31)),
            MONTH,
            Period(date(2023, 12, 1), date(2023, 12, 31)),
        ),
        (
            Period(date(2024, 4, 1), date(2024, 9, 30)),
            SPAN,
            Period(date(2023, 10, 1), date(2024, 3, 31)),
        ),
        (
            Period(date(2024, 6, 4), date(2024, 6, 4)),
            SPAN,
            Period(date(2024, 6, 3), date(2024, 6, 3)),
        ),
        (  # a month and a day is a span: the same number of days just before
            Period(date(2024, 3, 1), date(2024, 4, 1)),
            SPAN,
            Period(date(2024, 1, 29), date(2024, 2, 29)),
        ),
    ],
)
def test_each_kind_of_period_is_compared_with_the_one_before_of_its_kind(period, kind, previous):
    assert period.kind == kind
    assert period.previous() == previous


def test_the_first_year_and_last_year_are_a_centre_year_and_a_calendar_year():
    assert named_period("first_year") == YEAR_1 and YEAR_1.kind == CENTRE_YEAR
    assert YEAR_1.centre_year == 1 and YEAR_2.centre_year == 2
    assert named_period("last_year", today=date(2026, 5, 1)).kind == CALENDAR_YEAR


@pytest.mark.django_db
def test_year_two_is_compared_with_the_whole_of_year_one():
    desk = staff_user(Role.RECEPTION)
    for moment in (
        datetime(2023, 10, 23, 9, 30, tzinfo=VILNIUS),  # the opening day
        datetime(2024, 10, 22, 23, 30, tzinfo=VILNIUS),  # the last evening of year 1
        datetime(2024, 10, 23, 0, 30, tzinfo=VILNIUS),  # the first night of year 2
    ):
        walk_in_log(logged_by=desk, citizenship="UA", occurred_at=moment)
    year_2, year_1 = report_build(YEAR_2), report_build(YEAR_1)
    assert year_2.figure("visits") == 1
    assert year_2.headline_figure("visits").previous == year_1.figure("visits") == 2


def _csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


@pytest.mark.django_db
def test_both_periods_are_named_with_their_dates_on_the_page_and_in_every_file(client):
    period = Period(date(2024, 1, 1), date(2024, 12, 31))
    with translation.override("en"):
        this, before = period_text(period), comparison_text(period)
    assert this == "Calendar year: from 1 January 2024 to 31 December 2024."
    assert (
        before
        == "Compared with the previous calendar year: from 1 January 2023 to 31 December 2023."
    )

    client.force_login(staff_user(Role.MANAGER, language="en"))
    page = client.get(
        reverse("reports:dashboard"),
        {"period": "custom", "date_from": "2024-01-01", "date_to": "2024-12-31"},
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    assert this in page and before in page

    rows = _csv_rows(report_file(period=period, fmt="csv", language="en").content)
    assert rows[0] == ["Period", "2024-01-01", "2024-12-31", this]
    assert rows[1] == ["Previous period", "2023-01-01", "2023-12-31", before]
    book = load_workbook(io.BytesIO(report_file(period=period, fmt="xlsx", language="en").content))
    summary = list(book["Summary"].iter_rows(max_row=2, max_col=4, values_only=True))
    assert summary == [tuple(rows[0]), tuple(rows[1])]
    pdf = report_file(period=period, fmt="pdf", language="en").content
    text = " ".join(
        subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
        .stdout.decode()
        .split()
    )
    assert this in text and before in text


@pytest.mark.parametrize(
    ("until", "expected"),
    [
        (date(2024, 10, 22), YEAR_1),  # the first year's last day: it is complete
        (date(2024, 10, 21), YEAR_1),  # none complete yet: the first year
        (date(2025, 10, 22), YEAR_2),
        (date(2026, 12, 2), Period(date(2025, 10, 23), date(2026, 10, 22))),
        (date(2026, 10, 22), Period(date(2025, 10, 23), date(2026, 10, 22))),
        (date(2026, 10, 21), YEAR_2),
    ],
)
def test_the_last_complete_centre_year(until, expected):
    assert last_centre_year(until) == expected


@pytest.mark.django_db
def test_the_dashboard_opens_on_the_last_centre_year_the_records_complete(client):
    """A manager preparing the annual report sees a whole year, not a near-empty "this year";
    on records that end in the first year (as the demo's), that is the first year."""
    walk_in_log(
        logged_by=staff_user(Role.RECEPTION),
        citizenship="UA",
        occurred_at=datetime(2024, 6, 4, 11, tzinfo=VILNIUS),
    )
    assert named_period("last_centre_year", today=date(2026, 12, 3)) == YEAR_1
    client.force_login(staff_user(Role.MANAGER, language="en"))
    page = client.get(reverse("reports:dashboard"), HTTP_ACCEPT_LANGUAGE="en")
    assert page.context["report"].period == YEAR_1
    with translation.override("en"):
        assert period_text(YEAR_1) in page.content.decode()


@pytest.mark.django_db
def test_a_reversed_period_is_an_error_not_another_periods_figures(client):
    client.force_login(staff_user(Role.MANAGER, language="en"))
    response = client.get(
        reverse("reports:dashboard"),
        {"period": "custom", "date_from": "2024-12-31", "date_to": "2024-01-01"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "The end of the period is before its start." in page
    assert "report" not in response.context and 'id="figures-heading"' not in page
    assert 'value="2024-12-31"' in page  # what was typed is kept
