import subprocess
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from accounts.roles import Role
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_desk_journey import _sign_in
from tests.factories import staff_user, visitor
from visitors.services import visit_log, walk_in_log

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_opens_the_dashboard_in_lithuanian_and_downloads_pdf_and_xlsx(
    page, live_server, look, tmp_path
):
    desk = staff_user(Role.RECEPTION)
    last_year = timezone.localdate().year - 1
    moment = datetime(last_year, 4, 7, 11, tzinfo=ZoneInfo("Europe/Vilnius"))
    for given, family, country in [("Олена", "Шевченко", "UA"), ("Šarūnas", "Žukauskas", "LT")]:
        person = visitor(given_name=given, family_name=family, citizenship=country)
        for month in range(1, 7):
            visit_log(
                visitor=person, purposes=[], logged_by=desk, occurred_at=moment.replace(month=month)
            )
    walk_in_log(logged_by=desk, citizenship="BY", occurred_at=moment)
    staff_user(Role.MANAGER, email="jonas@example.org", first_name="Jonas", language="lt")

    _sign_in(page, live_server, "jonas@example.org")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ataskaitos")
    page.get_by_label("Laikotarpis").select_option("last_year")
    page.get_by_role("button", name="Rodyti").click()
    figures = page.get_by_role("region", name="Skaičiai")
    expect(figures.get_by_role("row", name="Apsilankymai 13")).to_be_visible()
    look(page, "dashboard-lt")

    downloads = {}
    for fmt, label in (("pdf", "PDF"), ("xlsx", "Excel")):
        page.get_by_label("Formatas").select_option(label=label)
        page.get_by_role("button", name="Paruošti failą").click()
        expect(page.get_by_text("Jūsų failas paruoštas.")).to_be_visible()
        with page.expect_download() as download:
            page.get_by_role("link", name="Atsisiųsti").click()
        path = tmp_path / f"report.{fmt}"
        download.value.save_as(path)
        downloads[fmt] = path
        page.get_by_role("link", name="Atgal į suvestinę").click()

    text = subprocess.run(
        ["pdftotext", str(downloads["pdf"]), "-"], capture_output=True, check=True
    ).stdout.decode()
    assert "Apsilankymai" in text and "Lietuva" in text and "Ukraina" in text
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", str(downloads["pdf"]), str(SCREENSHOTS / "report-pdf-lt")],
        check=True,
    )
    assert list(Path(SCREENSHOTS).glob("report-pdf-lt-*.png"))
    summary = load_workbook(downloads["xlsx"]).active
    values = {row[0]: row[1] for row in summary.iter_rows(values_only=True) if row[0]}
    assert values["Apsilankymai"] == 13
