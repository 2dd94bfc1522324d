import re

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from tests.factories import ROLE_PASSWORD, staff_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_ukrainian_visitor_switches_the_home_page_to_ukrainian(page, live_server, look):
    page.goto(live_server.url + "/")
    # The browser asks for Lithuanian, so the centre greets in Lithuanian first.
    expect(page).to_have_url(re.compile(r"/lt/$"))
    expect(page.get_by_role("heading", level=2, name="Ką siūlome")).to_be_visible()
    look(page, "home-lt")

    page.get_by_role("link", name="Українська").click()

    expect(page).to_have_url(re.compile(r"/uk/$"))
    expect(page.locator("html")).to_have_attribute("lang", "uk")
    expect(page.get_by_role("heading", level=2, name="Що ми пропонуємо")).to_be_visible()
    expect(page.get_by_role("heading", name="Психологічна допомога")).to_be_visible()
    look(page, "home-uk")


def test_home_page_fits_a_phone(browser, live_server, look, phone_context_args):
    context = browser.new_context(**phone_context_args, bypass_csp=True, locale="uk-UA")
    page = context.new_page()
    page.goto(live_server.url + "/uk/")
    # Nothing sticks out sideways at 360 px.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    look(page, "home-uk-phone")
    context.close()


def test_receptionist_signs_in_and_lands_on_the_desk(page, live_server, look):
    staff_user(Role.RECEPTION, email="ruta@example.org", first_name="Rūta", language="lt")
    page.goto(live_server.url + "/en/accounts/login/")
    look(page, "login-en")
    page.get_by_label("Email").fill("ruta@example.org")
    page.get_by_label("Password").fill(ROLE_PASSWORD)
    page.get_by_role("button", name="Sign In").click()

    # Her account is in Lithuanian, so the desk opens in Lithuanian.
    expect(page).to_have_url(re.compile(r"/lt/desk/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Registratūra")
    # Her menu: the desk, and events (to register walk-ins and check people in).
    nav = page.get_by_role("navigation", name="Darbuotojams")
    expect(nav.get_by_role("link")).to_have_text(["Registratūra", "Renginiai ir grupės"])
    look(page, "desk-lt")
