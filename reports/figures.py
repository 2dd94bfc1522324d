"""The centre's figures for a period: one code path for the dashboard, every export, the
annual report command and the monthly email.

Counting rules (also in the README):
- a visit is one time someone came to (or contacted) the desk; an anonymous walk-in is a
  visit without a registered person;
- unique visitors are the registered people with at least one visit in the period; walk-ins
  are counted apart (nobody knows whether two walk-ins were the same person);
- new visitors are registered people whose first visit ever falls in the period;
- a consultation is one session; a group session counts once as a consultation and once per
  participant in "participants";
- an event session held is a session in the period that was not cancelled; an event held is
  an event with at least one such session;
- registrations are confirmed places (households count once; their members in "places");
  attendance is a registration checked in at a session; a no-show is a confirmed
  registration not checked in at a session held;
- every figure is read from the facts kept on visits, participants and registrations, which
  erasing a person does not change: a past period's figures stay the same.
The query count does not depend on the amount of data.
"""

import operator
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import reduce

from django.conf import settings
from django.db.models import Count, Max, Min, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from consultations.models import Consultation, Mode, Participant, Service, Topic
from events.models import Attendance, Event, Occurrence, Registration
from visitors.models import SERVICE_LANGUAGES, AgeBand, Gender, Visit

SUPPRESS_BELOW = 5


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

    def previous(self) -> "Period":
        length = self.end - self.start
        end = self.start - timedelta(days=1)
        return Period(end - length, end)

    def __str__(self):
        return f"{self.start.isoformat()} - {self.end.isoformat()}"


def opened_on() -> date:
    return date.fromisoformat(settings.MICENTER_OPENED_ON)


def named_period(name: str, today: date | None = None) -> Period:
    """this_year, last_year, since_opening, first_year (the centre's first twelve months)."""
    today = today or timezone.localdate()
    if name == "last_year":
        return Period(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))
    if name == "since_opening":
        return Period(opened_on(), today)
    if name == "first_year":
        start = opened_on()
        return Period(start, start.replace(year=start.year + 1) - timedelta(days=1))
    return Period(date(today.year, 1, 1), today)


PERIOD_NAMES = [
    ("this_year", gettext_lazy("This year")),
    ("last_year", gettext_lazy("Last year")),
    ("first_year", gettext_lazy("The first year")),
    ("since_opening", gettext_lazy("Since opening")),
    ("custom", gettext_lazy("Other dates")),
]


@dataclass
class Cell:
    label: str
    value: int
    shown: str = ""  # what a published report shows: the number, or "<5"


@dataclass
class Breakdown:
    key: str
    title: str
    rows: list[Cell]
    total: int | None = None

    def suppress(self) -> None:
        """Counts of 1 to 4 become "<5"; if only one cell in a breakdown would be hidden, the
        next smallest is hidden too, so the total cannot give it away."""
        hidden = [c for c in self.rows if 0 < c.value < SUPPRESS_BELOW]
        # Every breakdown adds up to a figure shown somewhere (its total, or a headline).
        if len(hidden) == 1:
            others = sorted(
                (c for c in self.rows if c.value >= SUPPRESS_BELOW), key=lambda c: c.value
            )
            hidden += others[:1]
        for cell in self.rows:
            cell.shown = f"<{SUPPRESS_BELOW}" if cell in hidden else str(cell.value)


@dataclass
class Headline:
    key: str
    label: str
    value: int
    previous: int
    shown: str = ""
    previous_shown: str = ""

    @property
    def change(self) -> float | None:
        if not self.previous:
            return None
        return (self.value - self.previous) / self.previous * 100


@dataclass
class Report:
    period: Period
    headline: list[Headline]
    breakdowns: list[Breakdown]
    months: list[dict] = field(default_factory=list)
    for_publication: bool = False

    def figure(self, key: str) -> int:
        return next(h.value for h in self.headline if h.key == key)

    def breakdown(self, key: str) -> Breakdown:
        return next(b for b in self.breakdowns if b.key == key)


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
    once if its group held a session in the period, and is expected at each of them."""
    now = timezone.now()
    held = _sessions_held(min(w[0] for w in windows), max(w[1] for w in windows))
    sessions = list(held.values_list("id", "event", "starts_at", "event__registration_mode"))
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
    none = (0, 0)
    figures = []
    for start, end in windows:
        until = min(end, now)
        mine = [s for s in sessions if start <= s[2] < until]
        events = {event for _id, event, _at, _mode in mine}
        counted = [booked.get(s[0], none) for s in mine] + [enrolled.get(e, none) for e in events]
        attended = sum(present.get(s[0], 0) for s in mine)
        expected = sum(booked.get(s[0], none)[0] for s in mine) + sum(
            enrolled.get(event, none)[0]
            for _id, event, _at, mode in mine
            if mode == Event.Mode.COHORT
        )
        figures.append(
            {
                "sessions_held": len(mine),
                "events_held": len(events),
                "registrations": sum(n for n, _places in counted),
                "places": sum(places or 0 for _n, places in counted),
                "attended": attended,
                "no_shows": max(0, expected - attended),
            }
        )
    return figures


HEADLINE_LABELS = {
    "visits": gettext_lazy("Visits"),
    "unique_visitors": gettext_lazy("Unique visitors"),
    "new_visitors": gettext_lazy("New visitors"),
    "walk_ins": gettext_lazy("Anonymous walk-ins"),
    "consultations": gettext_lazy("Consultations"),
    "participants": gettext_lazy("Consultation participants"),
    "group_sessions": gettext_lazy("Group sessions"),
    "group_participants": gettext_lazy("Group session participants"),
    "events_held": gettext_lazy("Events held"),
    "sessions_held": gettext_lazy("Event sessions held"),
    "registrations": gettext_lazy("Registrations"),
    "places": gettext_lazy("Places taken (with family members)"),
    "attended": gettext_lazy("Attendance"),
    "no_shows": gettext_lazy("No-shows"),
}


def _rows(pairs, labels: dict, *, total=None, sort=True) -> list[Cell]:
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
    """People by the facts kept on the visits: each registered person once, as on their last
    visit in the period (a birthday or a new citizenship moves nobody into two rows), and
    each anonymous walk-in once."""
    last = visits.filter(visitor__isnull=False).values("visitor").annotate(last=Max("id"))
    rows = (
        visits.filter(Q(pk__in=last.values("last")) | Q(visitor__isnull=True))
        .values(*PEOPLE_FACTS)
        .annotate(people=Count("id"))
        .values_list(*PEOPLE_FACTS, "people")
    )
    return _tallies(rows, PEOPLE_FACTS)


def report_build(period: Period, *, for_publication: bool = False) -> Report:
    """Every figure and breakdown for `period`, labels in the active language."""
    start, end = period.bounds
    now, before = _headline_counts(period, period.previous())
    headline = [
        Headline(key, str(label), now[key], before[key]) for key, label in HEADLINE_LABELS.items()
    ]
    visits = Visit.objects.filter(occurred_at__gte=start, occurred_at__lt=end)
    consultations = Consultation.objects.filter(started_at__gte=start, started_at__lt=end)
    service_names = {s.pk: s.name for s in Service.objects.all()}
    topic_names = {
        t.pk: f"{t.service.name}: {t.name}" for t in Topic.objects.select_related("service")
    }
    country_names = dict(countries)
    language_names = dict(SERVICE_LANGUAGES)
    gender_names = dict(Gender.choices)
    band_names = dict(AgeBand.choices)
    yes_no = {True: _("Yes"), False: _("No")}
    topics = (
        Consultation.topics.through.objects.filter(
            consultation__started_at__gte=start, consultation__started_at__lt=end
        )
        .values("topic")
        .annotate(n=Count("id"))
        .values_list("topic", "n")
    )

    def by(queryset, column):
        return queryset.values(column).annotate(n=Count("id")).values_list(column, "n")

    people = _people_by(visits)
    consulted = _tallies(
        consultations.values(*CONSULTATION_FACTS)
        .annotate(n=Count("id"))
        .values_list(*CONSULTATION_FACTS, "n"),
        CONSULTATION_FACTS,
    )

    breakdowns = [
        Breakdown(
            "consultations_by_service",
            _("Consultations by service"),
            _rows(consulted["service"], service_names),
            now["consultations"],
        ),
        Breakdown(
            "consultations_by_topic",
            _("Consultations by topic"),
            _rows(topics, topic_names),
        ),
        Breakdown(
            "consultations_by_mode",
            _("Consultations by mode"),
            _rows(consulted["mode"], dict(Mode.choices)),
            now["consultations"],
        ),
        Breakdown(
            "consultations_by_language",
            _("Consultations by language"),
            _rows(consulted["language"], language_names),
            now["consultations"],
        ),
        Breakdown(
            "consultations_with_interpreter",
            _("Consultations with an interpreter"),
            _rows(consulted["interpreter"], yes_no),
            now["consultations"],
        ),
        Breakdown(
            "people_by_citizenship",
            _("Visitors by citizenship"),
            _rows(people["citizenship"], country_names),
            now["unique_visitors"] + now["walk_ins"],
        ),
        Breakdown(
            "people_by_gender",
            _("Visitors by gender"),
            _rows(people["gender"], gender_names),
            now["unique_visitors"] + now["walk_ins"],
        ),
        Breakdown(
            "people_by_age_band",
            _("Visitors by age"),
            _rows(
                sorted(people["age_band"], key=lambda p: _band_order(p[0])),
                band_names,
                sort=False,
            ),
            now["unique_visitors"] + now["walk_ins"],
        ),
        Breakdown(
            "visits_by_citizenship",
            _("Visits by citizenship"),
            _rows(by(visits, "citizenship"), country_names),
            now["visits"],
        ),
    ]
    report = Report(
        period=period,
        headline=headline,
        breakdowns=breakdowns,
        months=_months(period),
        for_publication=for_publication,
    )
    for figure in headline:
        figure.shown, figure.previous_shown = str(figure.value), str(figure.previous)
    if for_publication:
        for breakdown in breakdowns:
            breakdown.suppress()
        for figure in headline:
            if 0 < figure.value < SUPPRESS_BELOW:
                figure.shown = f"<{SUPPRESS_BELOW}"
            if 0 < figure.previous < SUPPRESS_BELOW:
                figure.previous_shown = f"<{SUPPRESS_BELOW}"
    return report


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
        months.append(
            {
                "month": month,
                "visits": visits.get(month, 0),
                "consultations": consultations.get(month, 0),
                "sessions": sessions.get(month, 0),
            }
        )
        month = (month + timedelta(days=32)).replace(day=1)
    return months
