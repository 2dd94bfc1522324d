"""Counting rules a manager can quote: the headline answers the anniversary article's three
questions, each figure names its rule, the rules are the README's word for word, and the
figures count what the rules say."""

import csv
import io
import re
import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from openpyxl import load_workbook

from accounts.roles import Role
from consultations.models import Service
from consultations.services import consultation_log
from events import services as events
from events.models import Category, Event
from reports.exports import report_file
from reports.figures import Period, report_build
from reports.rules import RULE_KEYS, RULES, rules_markdown
from tests.factories import staff_user, visitor
from visitors.services import visit_log, walk_in_log

VILNIUS = ZoneInfo("Europe/Vilnius")
PERIOD = Period(date(2024, 1, 1), date(2024, 12, 31))


def _readme_rules() -> list[str]:
    """The bullets under "How things are counted" in the README, one text each."""
    lines = (Path(settings.BASE_DIR) / "README.md").read_text().splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith("**How things are counted"))
    bullets = []
    for line in lines[start + 1 :]:
        if not line.strip():
            break
        if line.startswith("- "):
            bullets.append(line[2:])
        elif bullets:
            bullets[-1] += " " + line.strip()
    return [" ".join(bullet.split()) for bullet in bullets]


def test_the_readmes_counting_rules_are_the_reports_footnotes_word_for_word():
    with translation.override("en"):
        assert _readme_rules() == [" ".join(str(rule.text).split()) for rule in RULES]


def test_the_rules_in_four_languages_are_the_translated_footnotes():
    """docs/counting-rules.md is what the page and the files say, in lt, en, uk and ru: a
    changed rule or translation that is not written there fails here."""
    written = (Path(settings.BASE_DIR) / "docs" / "counting-rules.md").read_text()
    assert written == rules_markdown()
    with translation.override("en"):
        english = [str(rule.text) for rule in RULES]
    for code in ("lt", "uk", "ru"):
        with translation.override(code):
            for rule, in_english in zip(RULES, english, strict=True):
                assert str(rule.text) != in_english, f"rule {rule.number} not in {code}"
                assert f"{rule.number}. {rule.text}\n" in written


@pytest.mark.django_db
def test_the_headline_answers_visits_consultations_and_events_each_with_its_rule():
    with translation.override("en"):
        report = report_build(PERIOD)
    titles = [title for title, _figures in report.sections]
    assert titles == ["Visits", "Consultations", "Events"]
    labels = {title: [f.label for f in figures] for title, figures in report.sections}
    assert labels["Visits"][0] == "Visits" and labels["Consultations"][0] == "Consultations"
    # Events are named three ways, each a figure of its own.
    assert labels["Events"][:3] == ["Events held", "Event sessions held", "Group meetings"]
    assert {"Consultation participations", "People consulted"} <= set(labels["Consultations"])
    for _title, figures in report.sections:
        assert all(figure.rule in RULE_KEYS for figure in figures)


@pytest.fixture
def a_little_of_everything():
    desk = staff_user(Role.RECEPTION)
    moment = datetime(2024, 3, 5, 10, tzinfo=VILNIUS)
    people = [visitor(citizenship=c) for c in ("UA", "UA", "BY")]
    for number, person in enumerate(people * 2):
        visit_log(visitor=person, purposes=[], logged_by=desk, occurred_at=moment)
        walk_in_log(logged_by=desk, citizenship="UA", occurred_at=moment + timedelta(hours=number))
    return desk, people


@pytest.mark.django_db
def test_every_file_and_the_page_carry_the_rules_beside_the_figures(client, a_little_of_everything):
    with translation.override("en"):
        texts = [str(rule.text) for rule in RULES]
        report = report_build(PERIOD)
    manager = staff_user(Role.MANAGER, language="en")
    client.force_login(manager)
    page = client.get(
        reverse("reports:dashboard"),
        {"period": "custom", "date_from": "2024-01-01", "date_to": "2024-12-31"},
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    for number, text in enumerate(texts, start=1):
        assert f'<li id="rule-{number}">{escape(text)}</li>' in page
    visits_rule = RULE_KEYS.index("visits") + 1
    assert re.search(rf'<th scope="row">Visits</th>.*?href="#rule-{visits_rule}"', page)

    rows = list(
        csv.reader(
            io.StringIO(
                report_file(period=PERIOD, fmt="csv", language="en").content.decode("utf-8-sig")
            )
        )
    )
    assert [[str(n), text] for n, text in enumerate(texts, start=1)] == [
        row for row in rows if len(row) == 2 and row[0].isdigit()
    ]
    figures = {row[0]: row for row in rows if len(row) == 5}
    for figure in report.headline:
        assert figures[figure.label][4] == str(RULE_KEYS.index(figure.rule) + 1)

    book = load_workbook(io.BytesIO(report_file(period=PERIOD, fmt="xlsx", language="en").content))
    cells = [row for row in book["Summary"].iter_rows(values_only=True) if isinstance(row[0], int)]
    assert [(row[0], row[1]) for row in cells] == list(enumerate(texts, start=1))

    pdf = report_file(period=PERIOD, fmt="pdf", language="en").content
    text = " ".join(
        subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
        .stdout.decode()
        .split()
    )
    for rule_text in texts:
        assert " ".join(rule_text.split()[:8]) in text


@pytest.mark.django_db
def test_the_people_tables_add_up_to_the_unique_visitors_with_walk_ins_apart(
    a_little_of_everything,
):
    with translation.override("en"):
        report = report_build(PERIOD)
    assert report.figure("unique_visitors") == 3 and report.figure("walk_ins") == 6
    for key in ("people_by_citizenship", "people_by_gender", "people_by_age_band"):
        breakdown = report.breakdown(key)
        assert sum(c.value for c in breakdown.rows) == breakdown.total == 3
        assert breakdown.total_row.label == "Unique visitors"
        assert [(c.label, c.value) for c in breakdown.extra] == [("Anonymous walk-ins", 6)]
    citizenship = {c.label: c.value for c in report.breakdown("people_by_citizenship").rows}
    assert citizenship == {"Ukraine": 2, "Belarus": 1}


@pytest.mark.django_db
def test_consultations_give_participations_and_distinct_people(a_little_of_everything):
    _desk, (olena, petro, _ales) = a_little_of_everything
    lawyer = staff_user(Role.LEGAL_ADVISER)
    legal = Service.objects.get(code="legal")
    moment = datetime(2024, 4, 2, 10, tzinfo=VILNIUS)
    for day, people, anonymous in ((0, [olena], 0), (1, [olena, petro], 2), (2, [olena], 0)):
        consultation_log(
            consultant=lawyer,
            service=legal,
            duration_minutes=30,
            started_at=moment + timedelta(days=day),
            visitors=people,
            anonymous=anonymous,
            is_group=len(people) + anonymous > 1,
        )
    report = report_build(PERIOD)
    figures = {h.key: h.value for h in report.headline}
    assert figures["consultations"] == 3 and figures["group_sessions"] == 1
    assert figures["participants"] == 6  # Olena three times, Petro once, two callers
    assert figures["people_consulted"] == 2 and figures["anonymous_participants"] == 2
    assert figures["group_participants"] == 4


def _event(coordinator, category, days, mode=Event.Mode.PER_OCCURRENCE):
    start = datetime(2024, 5, 6, 16, tzinfo=VILNIUS)
    event = Event(
        title="Group",
        title_lt="Grupė",
        category=category,
        capacity=10,
        registration_mode=mode,
        leader=coordinator,
    )
    sessions = [(start + timedelta(weeks=n), start + timedelta(weeks=n, hours=1)) for n in days]
    events.event_save(event=event, occurrences=sessions, saved_by=coordinator)
    return events.event_publish(event=event, published_by=coordinator)


@pytest.mark.django_db
def test_attendance_is_a_share_of_the_places_booked_at_each_session():
    """A group of one person, enrolled once for four sessions and present at three, is one
    registration, four bookings and three check-ins: 75 %, not 300 %."""
    coordinator = staff_user(Role.EVENT_COORDINATOR)
    group = _event(coordinator, Category.THERAPEUTIC_GROUP, range(4), Event.Mode.COHORT)
    evening = _event(coordinator, Category.EVENT, [1])
    person = visitor()
    before = datetime(2024, 5, 1, 10, tzinfo=VILNIUS)
    enrolment = events.registration_create(
        event=group, visitor=person, created_by=coordinator, now=before
    )
    for session in list(group.occurrences.order_by("starts_at"))[:3]:
        events.check_in(registration=enrolment, occurrence=session, checked_in_by=coordinator)
    night = evening.occurrences.get()
    for guest in (visitor(), visitor()):
        events.registration_create(
            event=evening, occurrence=night, visitor=guest, created_by=coordinator, now=before
        )
    report = report_build(PERIOD)
    figures = {h.key: h.value for h in report.headline}
    assert figures["events_held"] == 2 and figures["sessions_held"] == 5
    assert figures["group_meetings"] == 4  # the group's sessions; the evening is one-off
    assert figures["registrations"] == 3 and figures["bookings"] == 4 + 2
    assert figures["attended"] == 3 and figures["no_shows"] == 3
    assert figures["bookings"] == figures["attended"] + figures["no_shows"]
    assert report.rates[0].value == 50  # 3 of 6 bookings
