"""Dates as each language writes them: Ukrainian without a leading zero on the day, English
as read in Lithuania (day first, 24-hour clock)."""

from datetime import date, datetime

import pytest
from django.utils import formats, translation


@pytest.mark.parametrize(
    ("language", "day", "moment"),
    [
        ("uk", "9 грудня 2026 р.", "9 грудня 2026 р. 17:05"),
        ("en", "9 December 2026", "9 December 2026, 17:05"),
        ("lt", "2026 m. gruodžio 9 d.", "2026 m. gruodžio 9 d., 17:05"),
        ("ru", "9 декабря 2026 г.", "9 декабря 2026 г. 17:05"),
    ],
)
def test_dates_read_as_each_language_writes_them(language, day, moment):
    with translation.override(language):
        assert formats.date_format(date(2026, 12, 9)) == day
        assert formats.date_format(datetime(2026, 12, 9, 17, 5), "DATETIME_FORMAT") == moment
