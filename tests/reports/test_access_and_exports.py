"""Managers and administrators only; the dashboard, CSV, XLSX and PDF show the same numbers;
formula injection is neutralised; the command and the background export share the path."""

import csv
import io
import subprocess
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from accounts.roles import Role
from consultations.models import Topic
from reports.exports import report_file
from reports.figures import Period, report_build
from reports.models import ReportExport
from reports.services import monthly_report_send
from tests.factories import UserFactory, staff_user, visitor
from visitors.services import visit_log, walk_in_log

pytestmark = pytest.mark.django_db
PERIOD = Period(date(2024, 1, 1), date(2024, 12, 31))
EVERYONE = [*Role, "visitor", "anonymous"]


@pytest.fixture
def some_visits():
    desk = staff_user(Role.RECEPTION)
    from datetime import datetime
    from zoneinfo import ZoneInfo

    moment = datetime(2024, 3, 5, 10, 0, tzinfo=ZoneInfo("Europe/Vilnius"))
    people = [
        visitor(given_name="Олена", family_name="Шевченко", citizenship="UA"),
        visitor(given_name="Šarūnas", family_name="Žukauskas", citizenship="LT"),
        visitor(given_name="Ahmad", family_name="Karimi", citizenship="AF"),
    ]
    for number, person in enumerate(people * 3):
        visit_log(
            visitor=person, purposes=[], logged_by=desk, occurred_at=moment + timedelta(days=number)
        )
    for _ in range(6):
        walk_in_log(logged_by=desk, citizenship="UA", occurred_at=moment)
    return desk


@pytest.mark.parametrize("who", EVERYONE)
def test_only_managers_and_administrators(client, who):
    if who == "visitor":
        client.force_login(UserFactory())
    elif who != "anonymous":
        client.force_login(staff_user(who))
    allowed = who in (Role.MANAGER, Role.ADMINISTRATOR)
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == (200 if allowed else 302 if who == "anonymous" else 403)
    response = client.post(
        reverse("reports:export_request"),
        {"period": "this_year", "fmt": "csv", "language": "en"},
    )
    assert ReportExport.objects.exists() == allowed


def test_another_managers_file_is_not_yours(
    client, some_visits, django_capture_on_commit_callbacks
):
    first, second = staff_user(Role.MANAGER), staff_user(Role.MANAGER)
    client.force_login(first)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("reports:export_request"),
            {
                "period": "custom",
                "date_from": "2024-01-01",
                "date_to": "2024-12-31",
                "fmt": "csv",
                "language": "en",
            },
        )
    export = ReportExport.objects.get()
    assert export.status == "done"
    response = client.get(reverse("reports:download", args=[export.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\xef\xbb\xbf")  # CSV for Excel
    client.force_login(second)
    assert client.get(reverse("reports:download", args=[export.pk])).status_code == 404
    assert client.get(reverse("reports:export", args=[export.pk])).status_code == 404


def _csv_numbers(content: bytes) -> dict:
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    return {row[0]: row[1] for row in rows if len(row) >= 2}


def test_dashboard_csv_xlsx_and_pdf_show_the_same_numbers(client, some_visits):
    report = report_build(PERIOD)
    assert report.figure("visits") == 15 and report.figure("walk_ins") == 6
    manager = staff_user(Role.MANAGER)
    client.force_login(manager)
    page = client.get(
        reverse("reports:dashboard"),
        {"period": "custom", "date_from": "2024-01-01", "date_to": "2024-12-31"},
    )
    shown = {h.key: h.value for h in page.context["report"].headline}
    assert shown == {h.key: h.value for h in report.headline}
    text = page.content.decode()

    as_csv = _csv_numbers(report_file(period=PERIOD, fmt="csv", language="en").content)
    book = load_workbook(io.BytesIO(report_file(period=PERIOD, fmt="xlsx", language="en").content))
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row[0]}
    pdf = report_file(period=PERIOD, fmt="pdf", language="en").content
    pdf_text = _pdftotext(pdf)
    for h in report.headline:
        assert as_csv[h.label] == str(h.value)
        assert summary[h.label] == h.value  # a number, not text
        assert f'<td class="n">{h.value}</td>' in text
        assert f"{h.label} {h.value} " in " ".join(pdf_text.split()) + " "
    citizenship = report.breakdown("visits_by_citizenship")
    sheet = book[citizenship.title[:31]]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert {r[0]: r[1] for r in rows[:-1]} == {c.label: c.value for c in citizenship.rows}
    assert rows[-1] == ("Visits", report.figure("visits"))  # the total: a headline figure


def _pdftotext(pdf: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def test_pdf_text_keeps_lithuanian_and_cyrillic_letters(some_visits):
    lt = _pdftotext(report_file(period=PERIOD, fmt="pdf", language="lt").content)
    uk = _pdftotext(report_file(period=PERIOD, fmt="pdf", language="uk").content)
    assert "Apsilankymai" in lt and "Lietuva" in lt
    assert "Візити" in uk and "Україна" in uk


def test_csv_cells_that_look_like_formulas_are_neutralised(some_visits):
    # An administrator can name a service anything, including a formula.
    legal = Topic.objects.filter(service__code="legal").first().service
    legal.name_en = '=HYPERLINK("http://evil")'
    legal.save()
    topic = legal.topics.first()
    from consultations.models import Service
    from consultations.services import consultation_log

    lawyer = staff_user(Role.LEGAL_ADVISER)
    from datetime import datetime
    from zoneinfo import ZoneInfo

    consultation_log(
        consultant=lawyer,
        service=Service.objects.get(code="legal"),
        duration_minutes=30,
        topics=[topic],
        anonymous=1,
        started_at=datetime(2024, 5, 1, 10, tzinfo=ZoneInfo("Europe/Vilnius")),
    )
    rows = list(
        csv.reader(
            io.StringIO(
                report_file(period=PERIOD, fmt="csv", language="en").content.decode("utf-8-sig")
            )
        )
    )
    cells = [cell for row in rows for cell in row]
    assert not any(cell.startswith(("=", "+", "@", "\t", "\r")) for cell in cells)
    assert any(cell.startswith("'") and "HYPERLINK" in cell for cell in cells)


def test_published_reports_hide_small_counts(some_visits):
    published = report_build(PERIOD, for_publication=True)
    rows = {c.label: c.shown for c in published.breakdown("visits_by_citizenship").rows}
    # Ukraine 9 (3 visits + 6 walk-ins); Lithuania 3 and Afghanistan 3 are hidden.
    assert rows == {"Ukraine": "9", "Lithuania": "<5", "Afghanistan": "<5"}
    content = report_file(period=PERIOD, fmt="csv", language="en", for_publication=True).content
    numbers = _csv_numbers(content)
    assert numbers["Afghanistan"] == "<5" and numbers["Ukraine"] == "9"


def test_the_command_shares_the_path(tmp_path, some_visits):
    out = tmp_path / "2024.xlsx"
    call_command(
        "annual_report",
        "--year",
        "2024",
        "--format",
        "xlsx",
        "--output",
        str(out),
        "--language",
        "en",
    )
    summary = load_workbook(out)["Summary"]
    values = {row[0]: row[1] for row in summary.iter_rows(values_only=True) if row[0]}
    assert values["Visits"] == 15
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command(
            "annual_report", "--from", "2024-05-01", "--to", "2024-01-01", "--output", str(out)
        )


def test_an_unwritable_folder_fails_clearly_and_serves_nothing(
    client, settings, tmp_path, django_capture_on_commit_callbacks
):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the folder should be")
    settings.MICENTER_PRIVATE_ROOT = blocked
    manager = staff_user(Role.MANAGER)
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:export_request"),
            {"period": "this_year", "fmt": "csv", "language": "en"},
        )
    export = ReportExport.objects.get()
    assert export.status == "failed" and "could not be saved" in export.error
    page = client.get(response["Location"]).content.decode()
    assert "could not be saved" in page
    assert client.get(reverse("reports:download", args=[export.pk])).status_code == 404


def test_monthly_email_once_per_manager_in_their_language(some_visits):
    from notifications.services import emails_deliver_due

    staff_user(Role.MANAGER, language="uk")
    staff_user(Role.MANAGER, language="en")
    assert monthly_report_send(today=date(2024, 4, 1)) == 2
    assert monthly_report_send(today=date(2024, 4, 1)) == 0
    emails_deliver_due()
    subjects = sorted(m.subject for m in mail.outbox)
    assert len(subjects) == 2
    assert any("March 2024" in s for s in subjects)
    english = next(m for m in mail.outbox if "March 2024" in m.subject)
    assert "Visits: 15" in english.body


def test_the_dashboard_takes_constant_queries(client, some_visits):
    manager = staff_user(Role.MANAGER)
    client.force_login(manager)
    url = reverse("reports:dashboard")
    query = {"period": "custom", "date_from": "2024-01-01", "date_to": "2024-12-31"}
    client.get(url, query)

    def count():
        with CaptureQueriesContext(connection) as queries:
            client.get(url, query)
        return len(queries)

    desk = staff_user(Role.RECEPTION)  # a new account: roles are read afresh once
    client.get(url, query)
    few = count()
    from datetime import datetime
    from zoneinfo import ZoneInfo

    for day in range(20):
        walk_in_log(
            logged_by=desk,
            citizenship="SY",
            occurred_at=datetime(2024, 6, 1 + day, 12, tzinfo=ZoneInfo("Europe/Vilnius")),
        )
    assert count() == few


@pytest.mark.django_db
def test_the_report_command_refuses_a_year_that_is_no_year(tmp_path):
    from django.core.management import CommandError, call_command

    for year in ("0", "10000"):
        with pytest.raises(CommandError):
            call_command("annual_report", "--year", year, "--output", str(tmp_path / "r.csv"))


def test_the_file_page_follows_a_pending_export_without_a_meta_refresh(client):
    """A meta refresh moves a screen reader's focus every two seconds (axe: critical); the
    page asks for the state as JSON instead, and only its owner gets an answer."""
    from datetime import date

    owner, other = staff_user(Role.MANAGER), staff_user(Role.MANAGER)
    export = ReportExport.objects.create(
        requested_by=owner, start=date(2024, 1, 1), end=date(2024, 12, 31), fmt="csv"
    )
    client.force_login(owner)
    address = reverse("reports:export", args=[export.pk])
    page = client.get(address).content.decode()
    assert 'http-equiv="refresh"' not in page
    assert "js/export-status" in page and f'data-export-status="{address}"' in page
    state = client.get(address, HTTP_ACCEPT="application/json")
    assert state.json() == {"status": "pending", "progress": 0}
    client.force_login(other)
    assert client.get(address, HTTP_ACCEPT="application/json").status_code == 404
