"""Reading dates the database holds but Python cannot show.

PostgreSQL keeps dates from 4713 BC to 294276 AD, Python from year 1 to 9999. A visit typed
as 1 January of year 1 in Vilnius (UTC+1:35 then) was stored as 31 December 1 BC in UTC,
and psycopg2 fails on reading it ("year -1 is out of range"): every page showing it
answered 500. One at the very end of 9999 reads, but cannot be shown in Vilnius time.

The forms and models now refuse such dates (core.date_ranges). For any already stored,
reading clamps them to a few days inside Python's range, so pages answer and show a date
someone can see is wrong, and nothing that shifts it by a time zone or a day overflows.
"""

import sqlite3
from datetime import UTC, date, datetime, timedelta

from django.utils.dateparse import parse_date, parse_datetime

EDGE = timedelta(days=2)
FIRST = datetime.min + EDGE
LAST = (datetime.max - EDGE).replace(hour=0, minute=0, second=0, microsecond=0)


def clamp(value):
    """A date or datetime moved inside [FIRST, LAST] (same type and time zone)."""
    if isinstance(value, datetime):
        naive = value.replace(tzinfo=None)
        if FIRST <= naive <= LAST:
            return value
        return (FIRST if naive < FIRST else LAST).replace(tzinfo=value.tzinfo)
    if isinstance(value, date):
        return min(max(value, FIRST.date()), LAST.date())
    return value


def _outside(text: str, kind):
    """The bound for a text Python could not read: before year 1 ("... BC", "-infinity",
    year 0) or after 9999."""
    before = text.endswith("BC") or text.startswith(("-", "0000"))
    bound = FIRST if before else LAST
    if kind is date:
        return bound.date()
    return bound.replace(tzinfo=UTC) if kind == "aware" else bound


def _postgresql_caster(caster, kind):
    import psycopg2

    def cast(text, cursor):
        if text is None:
            return None
        try:
            value = caster(text, cursor)
        except (ValueError, OverflowError, psycopg2.DataError):
            return _outside(text, kind)
        return clamp(value)

    return psycopg2.extensions.new_type(caster.values, f"CLAMPED_{caster.name}", cast)


def _install_postgresql() -> None:
    try:
        import psycopg2.extensions
    except ImportError:
        return
    types = psycopg2.extensions.string_types
    for oid, kind in ((1184, "aware"), (1114, "naive"), (1082, date)):
        psycopg2.extensions.register_type(_postgresql_caster(types[oid], kind))


def _sqlite_converter(parse, kind):
    def convert(raw: bytes):
        text = raw.decode()
        try:
            return clamp(parse(text))
        except ValueError:
            return _outside(text, kind)

    return convert


def _install_sqlite() -> None:
    # Django registers its converters when its backend is imported: replace them after.
    import django.db.backends.sqlite3.base  # noqa: F401

    sqlite3.register_converter("date", _sqlite_converter(parse_date, date))
    for name in ("datetime", "timestamp"):
        sqlite3.register_converter(name, _sqlite_converter(parse_datetime, "naive"))


def install() -> None:
    """Read out-of-range dates clamped, on PostgreSQL (psycopg2) and SQLite."""
    _install_postgresql()
    _install_sqlite()
