"""The centre's figures for a period: one code path for the dashboard, every export, the
annual report command and the monthly email.

What each figure counts is in reports/rules.py (the report's footnotes and the README's
counting rules are those texts); every figure is read from the facts kept on visits,
participants and registrations, which erasing a person does not change. For publication,
reports/publication.py hides what must not be shown. The query count does not depend on
the amount of data.
"""

import operator
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import reduce

from django.db.models import Count, Max, Min, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from consultations.models import Consultation, Mode, Participant, Service, Topic
from events.models import Attendance, Category, Event, Occurrence, Registration
from reports.periods import PERIOD_NAMES, Period, named_period, opened_on
from reports.rules import rule
from visitors.models import SERVICE_LANGUAGES, AgeBand, Gender, Visit

__all__ = ["PERIOD_NAMES", "Period", "Report", "named_period", "opened_on", "report_build"]

VISITS, CONSULTATIONS, EVENTS = "visits", "consultations", "events"
# The anniversary article's three questions, in its words.
SECTIONS = {
    VISITS: gettext_lazy("Visits"),
    CONSULTATIONS: gettext_lazy("Consultations"),
    EVENTS: gettext_lazy("Events"),
}
# key: (label, section, counting rule in reports/rules.py)
HEADLINE = {
    "visits": (gettext_lazy("Visits"), VISITS, "visits"),
    "unique_visitors": (gettext_lazy("Unique visitors"), VISITS, "visitors"),
    "new_visitors": (gettext_lazy("New visitors"), VISITS, "visitors"),
    "walk_ins": (gettext_lazy("Anonymous walk-ins"), VISITS, "visits"),
    "consultations": (gettext_lazy("Consultations"), CONSULTATIONS, "consultations"),
    "group_sessions": (gettext_lazy("Group consultations"), CONSULTATIONS, "consultations"),
    "participants": (
        gettext_lazy("Consultation participations"),
        CONSULTATIONS,
        "participations",
    ),
    "people_consulted": (gettext_lazy("People consulted"), CONSULTATIONS, "participations"),
    "anonymous_participants": (
        gettext_lazy("Anonymous participants"),
        CONSULTATIONS,
        "participations",
    ),
    "group_participants": (
        gettext_lazy("Participations in group consultations"),
        CONSULTATIONS,
        "participations",
    ),
    "events_held": (gettext_lazy("Events held"), EVENTS, "events"),
    "sessions_held": (gettext_lazy("Event sessions held"), EVENTS, "events"),
    "group_meetings": (gettext_lazy("Group meetings"), EVENTS, "events"),
    "registrations": (gettext_lazy("Registrations"), EVENTS, "registrations"),
    "places": (gettext_lazy("Places taken (with family members)"), EVENTS, "registrations"),
    "bookings": (gettext_lazy("Bookings per session"), EVENTS, "attendance"),
    "attended": (gettext_lazy("Attendance"), EVENTS, "attendance"),
    "no_shows": (gettext_lazy("No-shows"), EVENTS, "attendance"),
}
# key: (label, the count that is a share of, the count it is a share of, rule)
RATES = {
    "attendance_rate": (
        gettext_lazy("Attendance as a share of bookings (%)"),
        "attended",
        "bookings",
        "attendance",
    ),
}
# Columns of the month table and the headline figure each adds up to.
MONTH_COLUMNS = {"visits": "visits", "consultations": "consultations", "sessions": "sessions_held"}


@dataclass
class Cell:
    label: str
    value: int
    shown: str = ""  # what the report shows: the number, or a mark where it is hidden
    hidden: str = ""  # "", or why it is hidden (reports.suppression.SMALL / PROTECTED)
    figure: str = ""  # the headline figure this cell repeats, if it does


@dataclass
class Breakdown:
    key: str
    title: str
    rows: list[Cell]
    total_row: Cell | None = None  # the headline figure the rows add up to
    extra: list[Cell] = field(default_factory=list)  # rows outside the total (walk-ins)
    withheld: bool = False  # for publication: not broken down

    @property
    def total(self) -> int | None:
        return self.total_row.value if self.total_row else None

    @property
    def total_and_extra(self) -> list[Cell]:
        return [self.total_row, *self.extra] if self.total_row else self.extra


@dataclass
class Headline:
    key: str
    label: str
    value: int
    previous: int
    section: str = ""
    rule: str = ""
    shown: str = ""
    previous_shown: str = ""
    hidden: str = ""
    previous_hidden: str = ""
    change_hidden: bool = False
    is_rate = False

    @property
    def change(self) -> float | None:
        if not self.previous:
            return None
        return (self.value - self.previous) / self.previous * 100

    @property
    def change_percent(self) -> int | None:
        return None if self.change is None else round(self.change)

    @property
    def change_text(self) -> str:
        """The change as shown: "+12 %", "—" without a previous count, "x" where hidden."""
        if self.change_hidden:
            return "x"
        return "—" if self.change_percent is None else f"{self.change_percent:+d} %"

    @property
    def rule_number(self) -> int:
        return rule(self.rule).number


@dataclass
class Rate:
    """A share in per cent (whole numbers), from two headline counts."""

    key: str
    label: str
    value: int | None
    previous: int | None
    section: str = ""
    rule: str = ""
    hidden: bool = False
    previous_hidden: bool = False
    is_rate = True
    change_text = ""

    @staticmethod
    def _text(value: int | None, hidden: bool) -> str:
        return "x" if hidden else ("—" if value is None else f"{value} %")

    @property
    def shown(self) -> str:
        return self._text(self.value, self.hidden)

    @property
    def previous_shown(self) -> str:
        return self._text(self.previous, self.previous_hidden)

    @property
    def rule_number(self) -> int:
        return rule(self.rule).number


@dataclass
class Report:
    period: Period
    headline: list[Headline]
    breakdowns: list[Breakdown]
    months: list[dict] = field(default_factory=list)
    for_publication: bool = False
    rates: list[Rate] = field(default_factory=list)

    def figure(self, key: str) -> int:
        return next(h.value for h in self.headline if h.key == key)

    def headline_figure(self, key: str) -> Headline:
        return next(h for h in self.headline if h.key == key)

    def breakdown(self, key: str) -> Breakdown:
        return next(b for b in self.breakdowns if b.key == key)

    @property
    def previous_period(self) -> Period:
        return self.period.previous()

    @property
    def sections(self) -> list[tuple[str, list]]:
        """(title, [headline figures and rates]) for each of the three questions."""
        return [
            (
                str(title),
                [h for h in self.headline if h.section == key]
                + [r for r in self.rates if r.section == key],
            )
            for key, title in SECTIONS.items()
        ]

    @property
    def month_totals(self) -> list[Headline]:
        """The month table's totals: the headline figures its columns add up to."""
        return [self.headline_figure(key) for key in MONTH_COLUMNS.values()]


def _windowed(queryset, column: str, windows, **figures) -> list[dict[str, int]]:
    """Counts of `queryset` in each window (start, end) of `column`, all in one query:
    figures are {name: (counted field, condition, distinct)}; one dict per window."""

    def within(bounds):
        return Q(**{f"{column}__gte": bounds[0], f"{column}__lt": bounds[1]})

    span = (min(w[0] for w in windows), max(w[1] for w in windows))
    row = queryset.filter(within(span)).aggregate(
        **{
            f"w{i}_{name}": Count(field, distinct=distinct, filter=within(bounds) & condition)
            for i, bounds in enumerate(windows)
            for name, (field, condition, distinct) in figures.items()
        }
    )
    return [{name: row[f"w{i}_{name}"] for name in figures} for i in range(len(windows))]


def _headline_counts(*periods: Period) -> list[dict[str, int]]:
    """The headline figures of each period (the report compares a period with the one
    before), every table read once for all of them."""
    windows = [period.bounds for period in periods]
    everyone = Q()
    visits = _windowed(
        Visit.objects,
        "occurred_at",
        windows,
        visits=("id", everyone, False),
        walk_ins=("id", Q(visitor__isnull=True), False),
        unique_visitors=("visitor", everyone, True),
    )
    firsts = (
        Visit.objects.filter(visitor__isnull=False)
        .values("visitor")
        .annotate(first=Min("occurred_at"))
    )
    new = _windowed(firsts, "first", windows, new_visitors=("visitor", everyone, False))
    sessions = _windowed(
        Consultation.objects,
        "started_at",
        windows,
        consultations=("id", everyone, False),
        group_sessions=("id", Q(is_group=True), False),
    )
    people = _windowed(
        Participant.objects,
        "consultation__started_at",
        windows,
        participants=("id", everyone, False),
        group_participants=("id", Q(consultation__is_group=True), False),
        people_consulted=("visitor", Q(visitor__isnull=False), True),
        anonymous_participants=("id", Q(visitor__isnull=True), False),
    )
    events = _event_counts(windows)
    return [
        reduce(operator.or_, parts)
        for parts in zip(visits, new, sessions, people, events, strict=True)
    ]


def _sessions_held(start: datetime, end: datetime):
    return Occurrence.objects.filter(
        starts_at__gte=start,
        starts_at__lt=min(end, timezone.now()),
        is_cancelled=False,
    ).exclude(event__status=Event.Status.CANCELLED)


def _event_counts(windows) -> list[dict[str, int]]:
    """Event figures of each window, from the sessions held in all of them (a few hundred
    a year) and the confirmed registrations, places and check-ins per session.

    A registration counts at a session held in the period; a whole-group enrolment counts
    once if its group held a session in the period, and is booked at each of them."""
    held = _sessions_held(min(w[0] for w in windows), max(w[1] for w in windows))
    sessions = list(
        held.values_list("id", "event", "starts_at", "event__registration_mode", "event__category")
    )
    confirmed = Registration.objects.filter(status=Registration.Status.CONFIRMED)
    booked = {
        occurrence: (n, places)
        for occurrence, n, places in confirmed.filter(occurrence__in=held.values("id"))
        .values("occurrence")
        .annotate(n=Count("id"), places=Sum("household_size"))
        .values_list("occurrence", "n", "places")
    }
    enrolled = {
        event: (n, places)
        for event, n, places in confirmed.filter(
            occurrence__isnull=True, event__in=held.values("event")
        )
        .values("event")
        .annotate(n=Count("id"), places=Sum("household_size"))
        .values_list("event", "n", "places")
    }
    present = dict(
        Attendance.objects.filter(
            occurrence__in=held.values("id"), registration__status=Registration.Status.CONFIRMED
        )
        .values("occurrence")
        .annotate(n=Count("id"))
        .values_list("occurrence", "n")
    )
    now = timezone.now()
    return [
        _event_window(
            [s for s in sessions if start <= s[2] < min(end, now)], booked, enrolled, present
        )
        for start, end in windows
    ]


def _event_window(mine, booked, enrolled, present) -> dict[str, int]:
    """The event figures of one window from its sessions held (id, event, start, mode,
    category) and the counts per session and per enrolled group."""
    none = (0, 0)
    events = {event for _id, event, _at, _mode, _category in mine}
    counted = [booked.get(s[0], none) for s in mine] + [enrolled.get(e, none) for e in events]
    attended = sum(present.get(s[0], 0) for s in mine)
    bookings = sum(booked.get(s[0], none)[0] for s in mine) + sum(
        enrolled.get(event, none)[0]
        for _id, event, _at, mode, _category in mine
        if mode == Event.Mode.COHORT
    )
    return {
        "sessions_held": len(mine),
        "events_held": len(events),
        "group_meetings": sum(1 for s in mine if s[4] != Category.EVENT),
        "registrations": sum(n for n, _places in counted),
        "places": sum(places or 0 for _n, places in counted),
        "bookings": bookings,
        "attended": attended,
        "no_shows": max(0, bookings - attended),
    }


def _rows(pairs, labels: dict, *, sort=True) -> list[Cell]:
    cells = [Cell(str(labels.get(key, key) or _("Not recorded")), value) for key, value in pairs]
    if sort:
        cells.sort(key=lambda c: (-c.value, c.label))
    for cell in cells:
        cell.shown = str(cell.value)
    return cells


def _tallies(rows, dimensions) -> dict[str, list[tuple]]:
    """Rows of (value, value, ..., count) counted once over several dimensions, summed
    per dimension: {dimension: [(value, count), ...]}. One scan of the table serves every
    breakdown of it."""
    sums = {dimension: Counter() for dimension in dimensions}
    for *values, n in rows:
        for dimension, value in zip(dimensions, values, strict=True):
            sums[dimension][value] += n
    return {dimension: list(counts.items()) for dimension, counts in sums.items()}


PEOPLE_FACTS = ("citizenship", "gender", "age_band")
CONSULTATION_FACTS = ("service", "mode", "language", "interpreter")


def _people_by(visits) -> dict[str, list[tuple]]:
    """Registered people by the facts kept on the visits: each person once, as on their last
    visit in the period (a birthday or a new citizenship moves nobody into two rows)."""
    last = visits.filter(visitor__isnull=False).values("visitor").annotate(last=Max("id"))
    rows = (
        visits.filter(pk__in=last.values("last"))
        .values(*PEOPLE_FACTS)
        .annotate(people=Count("id"))
        .values_list(*PEOPLE_FACTS, "people")
    )
    return _tallies(rows, PEOPLE_FACTS)


def report_build(period: Period, *, for_publication: bool = False) -> Report:
    """Every figure and breakdown for `period`, labels in the active language; for
    publication, with the counts that must not be shown hidden."""
    now, before = _headline_counts(period, period.previous())
    headline = _headline(now, before)
    report = Report(
        period=period,
        headline=headline,
        rates=_rates(now, before),
        breakdowns=_consultation_breakdowns(period, headline)
        + _people_breakdowns(period, headline),
        months=_months(period),
        for_publication=for_publication,
    )
    if for_publication:
        from reports.publication import report_publish

        report_publish(report)
    return report


def _headline(now: dict, before: dict) -> list[Headline]:
    return [
        Headline(
            key,
            str(label),
            now[key],
            before[key],
            section=section,
            rule=rule,
            shown=str(now[key]),
            previous_shown=str(before[key]),
        )
        for key, (label, section, rule) in HEADLINE.items()
    ]


def _share(part: int, whole: int) -> int | None:
    return round(part / whole * 100) if whole else None


def _rates(now: dict, before: dict) -> list[Rate]:
    return [
        Rate(
            key,
            str(label),
            _share(now[part], now[whole]),
            _share(before[part], before[whole]),
            section=HEADLINE[part][1],
            rule=rule,
        )
        for key, (label, part, whole, rule) in RATES.items()
    ]


def _total(headline: list[Headline], key: str) -> Cell:
    """A row repeating a headline figure (a breakdown's total, the walk-ins)."""
    figure = next(h for h in headline if h.key == key)
    return Cell(figure.label, figure.value, figure.shown, figure=key)


def _consultation_breakdowns(period: Period, headline: list[Headline]) -> list[Breakdown]:
    """Consultations by service, topic, mode, language and interpreter: two queries for the
    counts, two for the names of services and topics."""
    start, end = period.bounds
    consultations = Consultation.objects.filter(started_at__gte=start, started_at__lt=end)
    service_names = {s.pk: s.name for s in Service.objects.all()}
    topic_names = {
        t.pk: f"{t.service.name}: {t.name}" for t in Topic.objects.select_related("service")
    }
    topics = (
        Consultation.topics.through.objects.filter(
            consultation__started_at__gte=start, consultation__started_at__lt=end
        )
        .values("topic")
        .annotate(n=Count("id"))
        .values_list("topic", "n")
    )
    consulted = _tallies(
        consultations.values(*CONSULTATION_FACTS)
        .annotate(n=Count("id"))
        .values_list(*CONSULTATION_FACTS, "n"),
        CONSULTATION_FACTS,
    )
    tables = {
        "service": ("consultations_by_service", _("Consultations by service"), service_names),
        "mode": ("consultations_by_mode", _("Consultations by mode"), dict(Mode.choices)),
        "language": (
            "consultations_by_language",
            _("Consultations by language"),
            dict(SERVICE_LANGUAGES),
        ),
        "interpreter": (
            "consultations_with_interpreter",
            _("Consultations with an interpreter"),
            {True: _("Yes"), False: _("No")},
        ),
    }
    made = {
        fact: Breakdown(
            key, title, _rows(consulted[fact], names), _total(headline, "consultations")
        )
        for fact, (key, title, names) in tables.items()
    }
    # A consultation may have several topics or none: these rows add up to no figure.
    by_topic = Breakdown(
        "consultations_by_topic", _("Consultations by topic"), _rows(topics, topic_names)
    )
    return [made["service"], by_topic, made["mode"], made["language"], made["interpreter"]]


def _people_breakdowns(period: Period, headline: list[Headline]) -> list[Breakdown]:
    """Registered people by citizenship, gender and age (adding up to the unique visitors,
    the anonymous walk-ins a row of their own), and visits by citizenship."""
    start, end = period.bounds
    visits = Visit.objects.filter(occurred_at__gte=start, occurred_at__lt=end)
    people = _people_by(visits)
    country_names = dict(countries)
    tables = [
        ("people_by_citizenship", _("Visitors by citizenship"), "citizenship", country_names),
        ("people_by_gender", _("Visitors by gender"), "gender", dict(Gender.choices)),
        ("people_by_age_band", _("Visitors by age"), "age_band", dict(AgeBand.choices)),
    ]
    made = []
    for key, title, fact, names in tables:
        pairs = people[fact]
        if fact == "age_band":  # the bands in their order, not by size
            pairs = sorted(pairs, key=lambda p: _band_order(p[0]))
        walk_ins = _total(headline, "walk_ins")
        made.append(
            Breakdown(
                key,
                title,
                _rows(pairs, names, sort=fact != "age_band"),
                _total(headline, "unique_visitors"),
                extra=[walk_ins] if walk_ins.value else [],
            )
        )
    by_citizenship = (
        visits.values("citizenship").annotate(n=Count("id")).values_list("citizenship", "n")
    )
    made.append(
        Breakdown(
            "visits_by_citizenship",
            _("Visits by citizenship"),
            _rows(by_citizenship, country_names),
            _total(headline, "visits"),
        )
    )
    return made


def _band_order(band: str) -> int:
    values = [b.value for b in AgeBand]
    return values.index(band) if band in values else len(values)


def _months(period: Period) -> list[dict]:
    """Visits, consultations and event sessions per calendar month of the period."""
    start, end = period.bounds
    zone = timezone.get_current_timezone()

    def per_month(queryset, column):
        return {
            timezone.localtime(row["month"], zone).date().replace(day=1)
            if isinstance(row["month"], datetime)
            else row["month"]: row["n"]
            for row in queryset.annotate(month=TruncMonth(column, tzinfo=zone))
            .values("month")
            .annotate(n=Count("id"))
            .values("month", "n")
        }

    visits = per_month(
        Visit.objects.filter(occurred_at__gte=start, occurred_at__lt=end), "occurred_at"
    )
    consultations = per_month(
        Consultation.objects.filter(started_at__gte=start, started_at__lt=end), "started_at"
    )
    sessions = per_month(_sessions_held(start, end), "starts_at")
    months = []
    month = period.start.replace(day=1)
    while month <= period.end:
        counts = {
            "visits": visits.get(month, 0),
            "consultations": consultations.get(month, 0),
            "sessions": sessions.get(month, 0),
        }
        months.append(
            {"month": month, **counts, "shown": {key: str(n) for key, n in counts.items()}}
        )
        month = (month + timedelta(days=32)).replace(day=1)
    return months
