"""The dates and times the portal accepts. One validator, used by the forms (where input
enters) and by the models' fields (so services, the admin and commands check the same).

Bounds are worked out when a value is checked, so "today" is always today, and the message
names the range in the reader's language.
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.deconstruct import deconstructible
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

# Paper records from the weeks before the centre opened may still be brought in.
BACKDATE_MARGIN = timedelta(days=30)
EARLIEST_BIRTH = date(1900, 1, 1)
# How far ahead things are planned: event sessions and their registration (five years),
# a consultation's follow-up (two years), a report's period (one year).
PLANNING_AHEAD = timedelta(days=5 * 365)
FOLLOW_UP_AHEAD = timedelta(days=2 * 365)
REPORT_AHEAD = timedelta(days=365)

RECORDS = "records"  # from the centre's opening, less the margin for back-dating
OPENING_YEAR = "opening_year"  # from 1 January of the year the centre opened (reports)


def opened_on() -> date:
    return date.fromisoformat(settings.MICENTER_OPENED_ON)


def records_start() -> date:
    """The earliest day a visit, consultation or event session can be on."""
    return opened_on() - BACKDATE_MARGIN


def _earliest(since) -> date:
    if since == RECORDS:
        return records_start()
    if since == OPENING_YEAR:
        return opened_on().replace(month=1, day=1)
    return since


_date_text = lazy(lambda day: formats.date_format(day, "DATE_FORMAT"), str)


@deconstructible
class DateRangeValidator:
    """A date, or an aware date and time, from `since` (RECORDS, OPENING_YEAR or a date) to
    `ahead` after now. A datetime is compared as a moment, its earliest bound being the
    start of the first day in the centre's time zone."""

    code = "date_range"

    def __init__(self, *, since=RECORDS, ahead: timedelta = timedelta(0)):
        self.since = since
        self.ahead = ahead

    def __call__(self, value):
        if value is None:
            return
        earliest = _earliest(self.since)
        if isinstance(value, datetime):
            first = datetime.combine(earliest, time.min, timezone.get_current_timezone())
            latest = timezone.now() + self.ahead
            moment = timezone.make_aware(value) if timezone.is_naive(value) else value
            inside = first <= moment <= latest
            last_day = timezone.localtime(latest).date()
        else:
            last_day = timezone.localdate() + self.ahead
            inside = earliest <= value <= last_day
        if not inside:
            raise ValidationError(
                self._message(value),
                code=self.code,
                params={"earliest": _date_text(earliest), "latest": _date_text(last_day)},
            )

    def _message(self, value):
        # Within a day ahead the end of the range is "now" (or "today"): a time typed at
        # the desk may run a few minutes ahead of the server's clock.
        if isinstance(value, datetime):
            if self.ahead < timedelta(days=1):
                return _("Enter a time from %(earliest)s to now.")
            return _("Enter a time from %(earliest)s to %(latest)s.")
        if not self.ahead:
            return _("Enter a date from %(earliest)s to today.")
        return _("Enter a date from %(earliest)s to %(latest)s.")

    def __eq__(self, other):
        return (
            isinstance(other, DateRangeValidator)
            and self.since == other.since
            and self.ahead == other.ahead
        )

    def __hash__(self):
        return hash((self.since, self.ahead))
