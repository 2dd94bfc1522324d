import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from accounts.roles import Role
from tests.factories import ROLE_PASSWORD, staff_user, visitor
from visitors import kiosk
from visitors.models import Visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_checks_in_at_the_kiosk_in_ukrainian(browser, live_server, look):
    staff_user(Role.KIOSK, email="kiosk@example.org", language="lt")
    person = visitor(given_name="Тарас", family_name="Шевченко")
    context = browser.new_context(viewport={"width": 800, "height": 1280}, bypass_csp=True)
    page = context.new_page()
    page.goto(live_server.url + "/lt/accounts/login/")
    page.locator("#id_login").fill("kiosk@example.org")
    page.locator("#id_password").fill(ROLE_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    expect(page).to_have_url(re.compile(r"/lt/desk/kiosk/$"))

    # The kiosk's switcher is links: the visitor's choice is not kept on the shared account.
    page.get_by_role("link", name="Українська").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Вітаємо! Зареєструйтеся тут")
    look(page, "kiosk-uk")
    # A hand scanner types the code into the focused field and presses Enter.
    page.keyboard.type(kiosk.checkin_token(person))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("З чим ви прийшли?")
    page.get_by_label("Юридична допомога").check()
    look(page, "kiosk-choose-uk")
    page.get_by_role("button", name="Зареєструватися").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Дякуємо! Вас зареєстровано.")
    expect(page.get_by_text("Юридична допомога")).to_be_visible()
    expect(page.get_by_text("Шевченко")).to_have_count(0)
    look(page, "kiosk-done-uk")
    assert Visit.objects.get().visitor == person
    assert User.objects.get(email="kiosk@example.org").language == "lt"
    context.close()
