"""The period a report covers, what kind of period it is, and the period it is compared with.

A report is compared with the period before it of the same kind, worked out from its dates
alone (so a file prepared later from a stored start and end compares alike):
- a centre year (from the anniversary of the opening to the day before the next one): the
  centre year before;
- a calendar year: the year before;
- a calendar month: the month before;
- any other dates: the same number of days just before.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from visitors.models import Visit

CENTRE_YEAR, CALENDAR_YEAR, MONTH, SPAN = "centre_year", "calendar_year", "month", "span"


def opened_on() -> date:
    return date.fromisoformat(settings.MICENTER_OPENED_ON)


def _anniversary(year: int) -> date:
    opened = opened_on()
    if (opened.month, opened.day) == (2, 29) and year % 4:  # no 29 February that year
        return date(year, 2, 28)
    return opened.replace(year=year)


def _month_end(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        zone = timezone.get_current_timezone()
        return (
            datetime.combine(self.start, time.min, zone),
            datetime.combine(self.end + timedelta(days=1), time.min, zone),
        )

    @property
    def kind(self) -> str:
        start, end = self.start, self.end
        if start == _anniversary(start.year) and end == _anniversary(start.year + 1) - timedelta(
            days=1
        ):
            return CENTRE_YEAR
        if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and (
            start.year == end.year
        ):
            return CALENDAR_YEAR
        if start.day == 1 and end == _month_end(start):
            return MONTH
        return SPAN

    @property
    def centre_year(self) -> int:
        """Which year of the centre this is (1 for the first); meaningful for a centre year."""
        return self.start.year - opened_on().year + 1

    def previous(self) -> "Period":
        """The period this one is compared with (see the module's docstring)."""
        kind, start = self.kind, self.start
        if kind == CENTRE_YEAR:
            return Period(_anniversary(start.year - 1), start - timedelta(days=1))
        if kind == CALENDAR_YEAR:
            return Period(date(start.year - 1, 1, 1), date(start.year - 1, 12, 31))
        if kind == MONTH:
            end = start - timedelta(days=1)
            return Period(end.replace(day=1), end)
        end = start - timedelta(days=1)
        return Period(end - (self.end - start), end)

    def __str__(self):
        return f"{self.start.isoformat()} - {self.end.isoformat()}"


def _dates(period: Period) -> dict:
    return {
        "start": formats.date_format(period.start, "DATE_FORMAT"),
        "end": formats.date_format(period.end, "DATE_FORMAT"),
    }


def period_text(period: Period) -> str:
    """The period in a sentence, with its dates and its kind, in the active language."""
    kind, dates = period.kind, _dates(period)
    if kind == CENTRE_YEAR:
        return _("Centre year %(number)s: from %(start)s to %(end)s.") % {
            "number": period.centre_year,
            **dates,
        }
    if kind == CALENDAR_YEAR:
        return _("Calendar year: from %(start)s to %(end)s.") % dates
    if kind == MONTH:
        return _("Calendar month: from %(start)s to %(end)s.") % dates
    return _("Chosen dates: from %(start)s to %(end)s.") % dates


def comparison_text(period: Period) -> str:
    """Which period the report compares with, why that one, and its dates."""
    kind, dates = period.kind, _dates(period.previous())
    if kind == CENTRE_YEAR:
        return _("Compared with the previous centre year: from %(start)s to %(end)s.") % dates
    if kind == CALENDAR_YEAR:
        return _("Compared with the previous calendar year: from %(start)s to %(end)s.") % dates
    if kind == MONTH:
        return _("Compared with the previous month: from %(start)s to %(end)s.") % dates
    return (
        _("Compared with the same number of days just before: from %(start)s to %(end)s.") % dates
    )


def last_centre_year(until: date) -> Period:
    """The last centre year that had ended by `until` (the first one if none had)."""
    start = _anniversary(until.year)
    if start > until:
        start = _anniversary(until.year - 1)
    # `start` begins the centre year holding `until`: complete only if `until` is its last day.
    end = _anniversary(start.year + 1) - timedelta(days=1)
    if end > until:
        start, end = _anniversary(start.year - 1), start - timedelta(days=1)
    if start < opened_on():
        start = opened_on()
        end = _anniversary(start.year + 1) - timedelta(days=1)
    return Period(start, end)


def _last_recorded_day() -> date | None:
    last = Visit.objects.order_by("-occurred_at").values_list("occurred_at", flat=True).first()
    return timezone.localdate(last) if last else None


def named_period(name: str, today: date | None = None) -> Period:
    """last_centre_year (the dashboard's first view: the last centre year complete in the
    records, so a centre whose records end earlier, like the demo, shows its last full year),
    this_year, last_year, since_opening, first_year (the centre's first twelve months)."""
    today = today or timezone.localdate()
    if name == "last_centre_year":
        yesterday = today - timedelta(days=1)
        return last_centre_year(min(yesterday, _last_recorded_day() or yesterday))
    if name == "last_year":
        return Period(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))
    if name == "since_opening":
        return Period(opened_on(), today)
    if name == "first_year":
        start = opened_on()
        return Period(start, _anniversary(start.year + 1) - timedelta(days=1))
    return Period(date(today.year, 1, 1), today)


PERIOD_NAMES = [
    ("last_centre_year", gettext_lazy("The last complete centre year")),
    ("this_year", gettext_lazy("This year")),
    ("last_year", gettext_lazy("Last year")),
    ("first_year", gettext_lazy("The first year")),
    ("since_opening", gettext_lazy("Since opening")),
    ("custom", gettext_lazy("Other dates")),
]
