"""The report's figures against counts made independently, in Python, from the rows; and the
same figures after people are erased."""

from collections import Counter
from datetime import date, timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from consultations.demo import demo_consultations
from consultations.models import Consultation, Participant
from events.demo import demo_events
from events.models import Attendance, Occurrence, Registration
from reports.figures import Period, report_build
from tests.factories import staff_user
from visitors.demo import demo_year
from visitors.erasure import visitor_erase
from visitors.models import Visit, Visitor

START = date(2023, 10, 23)
YEAR = Period(START, date(2024, 10, 22))


@pytest.fixture
def demo(db):
    desk = staff_user(Role.RECEPTION)
    demo_year(logged_by=desk, start=START, visits=250, people=100)
    demo_consultations(
        consultants={
            "legal": staff_user(Role.LEGAL_ADVISER),
            "career": staff_user(Role.CAREER_ADVISER),
            "psychological": staff_user(Role.PSYCHOLOGIST),
            "information": desk,
        },
        until=START + timedelta(days=366),
    )
    demo_events(
        coordinator=staff_user(Role.EVENT_COORDINATOR),
        start=START,
        until=START + timedelta(days=45),
    )
    return desk


def _in(period, moment):
    return period.start <= timezone.localtime(moment).date() <= period.end


def _independent(period):
    visits = [v for v in Visit.objects.all() if _in(period, v.occurred_at)]
    consultations = [c for c in Consultation.objects.all() if _in(period, c.started_at)]
    firsts = {}
    for visit in Visit.objects.filter(visitor__isnull=False):
        firsts[visit.visitor_id] = min(
            firsts.get(visit.visitor_id, visit.occurred_at), visit.occurred_at
        )
    months = Counter(timezone.localtime(v.occurred_at).strftime("%Y-%m") for v in visits)
    return {
        "visits": len(visits),
        "walk_ins": sum(1 for v in visits if v.visitor_id is None),
        "unique_visitors": len({v.visitor_id for v in visits if v.visitor_id}),
        "new_visitors": sum(1 for first in firsts.values() if _in(period, first)),
        "consultations": len(consultations),
        "group_sessions": sum(1 for c in consultations if c.is_group),
        "participants": sum(c.participants.count() for c in consultations),
        "people_consulted": len(
            {p.visitor_id for c in consultations for p in c.participants.all() if p.visitor_id}
        ),
        "anonymous_participants": sum(
            1 for c in consultations for p in c.participants.all() if p.visitor_id is None
        ),
        "by_service": Counter(c.service.name for c in consultations),
        "by_citizenship_visits": Counter(str(v.citizenship.name) for v in visits),
        "months": months,
    }


@pytest.mark.parametrize(
    "period", [YEAR, Period(date(2024, 1, 1), date(2024, 3, 31)), Period(START, date(2023, 10, 31))]
)
def test_figures_match_independent_counts(demo, period):
    report = report_build(period)
    expected = _independent(period)
    for key in (
        "visits",
        "walk_ins",
        "unique_visitors",
        "new_visitors",
        "consultations",
        "group_sessions",
        "participants",
        "people_consulted",
        "anonymous_participants",
    ):
        assert report.figure(key) == expected[key], key
    assert {c.label: c.value for c in report.breakdown("consultations_by_service").rows} == dict(
        expected["by_service"]
    )
    assert {c.label: c.value for c in report.breakdown("visits_by_citizenship").rows} == dict(
        expected["by_citizenship_visits"]
    )
    assert {
        m["month"].strftime("%Y-%m"): m["visits"] for m in report.months if m["visits"]
    } == dict(expected["months"])


def test_the_demo_year_has_more_consultations_than_visits(demo):
    report = report_build(YEAR)
    assert report.figure("consultations") > report.figure("visits") == 250
    assert report.figure("sessions_held") > 0 and report.figure("attended") > 0
    registrations = Registration.objects.filter(status="confirmed").count()
    assert 0 < report.figure("registrations") <= registrations
    assert report.figure("attended") == Attendance.objects.count()
    # Attendance is a share of the places booked at each session, never over 100 %.
    bookings = report.figure("bookings")
    assert bookings == report.figure("attended") + report.figure("no_shows")
    assert report.rates[0].value == round(report.figure("attended") / bookings * 100) <= 100


def test_erasure_leaves_every_past_figure_as_it_was(demo):
    def snapshot():
        report = report_build(YEAR)
        return (
            [(h.key, h.value) for h in report.headline],
            [(b.key, [(c.label, c.value) for c in b.rows]) for b in report.breakdowns],
            report.months,
        )

    before = snapshot()
    for person in Visitor.objects.order_by("id")[:40]:
        visitor_erase(visitor=person, reason="test", erased_by=demo)
    assert Participant.objects.filter(visitor__erased_at__isnull=False).exists()
    assert snapshot() == before


def test_small_counts_are_hidden_for_publication(demo):
    report = report_build(YEAR, for_publication=True)
    for breakdown in report.breakdowns:
        for cell in breakdown.rows:
            if 0 < cell.value < 5:
                assert (cell.shown, cell.hidden) == ("<5", "small")
            elif cell.hidden:  # hidden only to protect a small one: marked differently
                assert (cell.shown, cell.hidden) == ("x", "protected")
            else:
                assert cell.shown == str(cell.value)
        if breakdown.total is not None and any(0 < c.value < 5 for c in breakdown.rows):
            # One hidden cell alone could be worked out from the total.
            hidden = [c for c in breakdown.rows if c.hidden]
            assert len(hidden) >= 2 or len([c for c in breakdown.rows if c.value]) == 1


@pytest.mark.django_db
def test_a_person_counts_once_in_the_age_breakdown_across_a_birthday():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from reports.figures import report_build
    from tests.factories import visitor
    from visitors.services import visit_log

    desk = staff_user(Role.RECEPTION)
    person = visitor(birth_date=date(1994, 1, 5))
    for moment in (datetime(2023, 12, 20, 10), datetime(2024, 1, 10, 10)):
        visit_log(
            visitor=person,
            purposes=[],
            logged_by=desk,
            occurred_at=moment.replace(tzinfo=ZoneInfo("Europe/Vilnius")),
        )
    report = report_build(YEAR)
    rows = {c.label: c.value for c in report.breakdown("people_by_age_band").rows}
    assert sum(rows.values()) == 1 == report.figure("unique_visitors")
    assert rows == {"30 to 44": 1}


@pytest.mark.django_db
def test_publication_hides_small_headline_figures_and_a_lone_small_cell():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from reports.figures import report_build
    from tests.factories import visitor
    from visitors.services import visit_log

    desk = staff_user(Role.RECEPTION)
    moment = datetime(2024, 2, 1, 10, tzinfo=ZoneInfo("Europe/Vilnius"))
    for number in range(12):
        person = visitor(
            citizenship="UA" if number < 10 else "BY", gender="female" if number < 9 else "male"
        )
        visit_log(visitor=person, purposes=[], logged_by=desk, occurred_at=moment)
    report = report_build(YEAR, for_publication=True)
    gender = {c.label: c.shown for c in report.breakdown("people_by_gender").rows}
    assert gender == {"Female": "x", "Male": "<5"}  # 9 is hidden with the 3, marked apart
    walk_ins = next(h for h in report.headline if h.key == "walk_ins")
    assert walk_ins.value == 0 and walk_ins.shown == "0"


def _independent_events(period):
    """The event figures counted in Python from every row."""
    now = timezone.now()
    held = [
        o
        for o in Occurrence.objects.select_related("event")
        if _in(period, o.starts_at)
        and o.starts_at < now
        and not o.is_cancelled
        and o.event.status != "cancelled"
    ]
    events = {o.event_id for o in held}
    confirmed = list(Registration.objects.filter(status="confirmed"))
    counted = [
        r
        for r in confirmed
        if r.occurrence_id in {o.id for o in held}
        or (r.occurrence_id is None and r.event_id in events)
    ]
    attended = [
        a
        for a in Attendance.objects.select_related("registration")
        if a.occurrence_id in {o.id for o in held} and a.registration.status == "confirmed"
    ]
    expected = sum(
        1
        for o in held
        for r in confirmed
        if r.occurrence_id == o.id
        or (
            r.occurrence_id is None
            and r.event_id == o.event_id
            and o.event.registration_mode == "cohort"
        )
    )
    return {
        "sessions_held": len(held),
        "events_held": len(events),
        "group_meetings": sum(1 for o in held if o.event.category != "event"),
        "bookings": expected,
        "registrations": len(counted),
        "places": sum(r.household_size for r in counted),
        "attended": len(attended),
        "no_shows": max(0, expected - len(attended)),
    }


@pytest.mark.parametrize("period", [YEAR, Period(START, date(2023, 11, 15))])
def test_event_figures_match_independent_counts(demo, period):
    report = report_build(period)
    expected = _independent_events(period)
    assert expected["sessions_held"] > 0 and expected["registrations"] > 0
    assert {key: report.figure(key) for key in expected} == expected


def test_each_previous_figure_is_the_previous_period_counted_alone(demo):
    """The report reads both periods in one query per table: each figure of the period
    before must be what that period's own report shows."""
    period = Period(date(2024, 4, 1), date(2024, 9, 30))
    report = report_build(period)
    alone = report_build(period.previous())
    assert all(h.previous for h in report.headline if h.key not in ("walk_ins", "no_shows"))
    assert {h.key: h.previous for h in report.headline} == {h.key: h.value for h in alone.headline}


def test_the_report_reads_a_fixed_number_of_queries(demo, django_assert_num_queries):
    """Four for the headline of both periods, four for the events, six for the
    breakdowns and their names, three for the months: the same at any size."""
    with django_assert_num_queries(17):
        report_build(YEAR)


@pytest.mark.postgres
@pytest.mark.parametrize("period", [YEAR, Period(date(2024, 4, 1), date(2024, 9, 30))])
def test_the_benchmarks_hand_written_sql_computes_the_same_figures(demo, period):
    """`make bench-report` times the report against this SQL; the comparison means something
    only if both give every figure alike, this period's and the previous one's."""
    from bench.report import _same, _sql_figures

    report, sql = report_build(period), _sql_figures(period)
    assert _same(report, sql)
    visits, walk_ins, unique = sql["previous"]["visits"]
    sql["previous"]["visits"] = (visits, walk_ins, unique + 1)
    assert not _same(report, sql)
