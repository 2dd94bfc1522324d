import re

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from tests.factories import ROLE_PASSWORD, staff_user, visitor
from visitors.models import QueueEntry, Visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, email):
    page.goto(live_server.url + "/en/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(ROLE_PASSWORD)
    page.get_by_role("button", name="Sign In").click()


def test_receptionist_finds_shevchenko_logs_a_visit_and_a_walk_in(page, live_server, look):
    staff_user(Role.RECEPTION, email="desk@example.org", language="en")
    visitor(given_name="Тарас", family_name="Шевченко", birth_year=1985, phone="+37061234567")
    visitor(given_name="Petro", family_name="Shevchuk")
    _sign_in(page, live_server, "desk@example.org")
    expect(page).to_have_url(re.compile(r"/en/desk/$"))

    # The search box has the focus: the desk just types.
    page.keyboard.type("Shevchenko")
    page.keyboard.press("Enter")
    results = page.get_by_role("list").filter(has_text="Шевченко")
    expect(results.get_by_role("link", name="Тарас Шевченко")).to_be_visible()
    expect(page.get_by_text("Petro Shevchuk")).to_have_count(0)
    look(page, "search")

    results.get_by_role("link", name="Log a visit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log a visit: Тарас Шевченко")
    page.get_by_label("Legal help").check()
    look(page, "visit-form")
    page.get_by_role("button", name="Save the visit").click()

    expect(page.get_by_text("Visit logged for Тарас Шевченко.")).to_be_visible()
    today = page.get_by_role("region", name="Today's visits")
    expect(today.get_by_role("link", name="Тарас Шевченко")).to_be_visible()
    waiting = page.get_by_role("region", name="Waiting now")
    expect(waiting.get_by_text("Legal help")).to_be_visible()

    page.get_by_role("button", name="Log an anonymous walk-in").first.click()
    expect(page.get_by_text("Anonymous walk-in logged.")).to_be_visible()
    expect(today.get_by_text("anonymous walk-in")).to_be_visible()
    look(page, "desk-after")

    assert Visit.objects.filter(visitor__family_name="Шевченко").count() == 1
    assert Visit.objects.filter(visitor__isnull=True).count() == 1
    assert QueueEntry.objects.get().service.code == "legal"


@pytest.mark.parametrize(
    ("language", "heading", "button"),
    [
        ("uk", "Рецепція", "Записати анонімного відвідувача"),
        ("lt", "Registratūra", None),
    ],
)
def test_desk_in_ukrainian_and_lithuanian_on_a_phone(
    browser, live_server, look, language, heading, button
):
    staff_user(Role.RECEPTION, email="desk@example.org", language=language)
    context = browser.new_context(viewport={"width": 360, "height": 740}, bypass_csp=True)
    page = context.new_page()
    _sign_in(page, live_server, "desk@example.org")
    expect(page).to_have_url(re.compile(rf"/{language}/desk/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    if button:
        expect(page.get_by_role("button", name=button).first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    look(page, f"desk-{language}-phone")
    context.close()
