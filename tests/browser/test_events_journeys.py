import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from events.models import Event, Registration
from events.services import registration_create
from tests.browser.test_desk_journey import _sign_in
from tests.events.conftest import make_event
from tests.factories import UserFactory, staff_user, visitor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}


def test_ukrainian_visitor_registers_for_the_wednesday_club_and_cancels(browser, live_server, look):
    coordinator = staff_user(Role.EVENT_COORDINATOR)
    next_wednesday = timezone.localdate() + timedelta(
        days=(2 - timezone.localdate().weekday()) % 7 or 7
    )
    start = timezone.make_aware(
        timezone.datetime.combine(next_wednesday, timezone.datetime.min.time())
    ) + timedelta(hours=18)
    make_event(
        coordinator,
        sessions=4,
        capacity=15,
        start_in=start - timezone.now(),
        summary_uk="Говоримо литовською щосереди, без оцінок і без страху.",
    )
    UserFactory(email="olena@example.org", language="uk")
    context = browser.new_context(**PHONE, bypass_csp=True)
    page = context.new_page()
    _sign_in(page, live_server, "olena@example.org")
    page.goto(live_server.url + "/uk/events/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Афіша")
    look(page, "list-uk-phone")
    page.get_by_role("link", name="Клуб литовської розмови").click()
    expect(page.get_by_text("Говоримо литовською щосереди")).to_be_visible()
    page.locator("#id_register-household_size").fill("2")
    look(page, "detail-uk-phone")
    page.locator("form[action$='/register/'] button[type=submit]").click()
    expect(page.locator(".notice")).to_contain_text("Ви зареєстровані")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    look(page, "registered-uk-phone")

    page.goto(live_server.url + "/uk/events/mine/")
    expect(page.get_by_text("Клуб литовської розмови")).to_be_visible()
    page.locator("form[action$='/cancel/'] button").click()
    expect(page.get_by_text("Вашу реєстрацію скасовано", exact=False)).to_be_visible()
    look(page, "cancelled-uk-phone")
    registration = Registration.objects.get()
    assert (registration.household_size, registration.status) == (2, "cancelled")
    assert (
        registration.occurrence.starts_at.astimezone(timezone.get_current_timezone()).weekday() == 2
    )
    context.close()


def test_coordinator_creates_an_event_in_four_languages_and_checks_people_in_on_a_phone(
    browser, live_server, look
):
    staff_user(Role.EVENT_COORDINATOR, email="aiste@example.org", language="en")
    page = browser.new_context(bypass_csp=True).new_page()
    _sign_in(page, live_server, "aiste@example.org")
    expect(page).to_have_url(re.compile(r"/en/events/staff/$"))
    page.get_by_role("link", name="New event or group").click()
    titles = {
        "Lithuanian": "Dainų vakaras",
        "English": "Song evening",
        "Ukrainian": "Пісенний вечір",
        "Russian": "Песенный вечер",
    }
    for language, title in titles.items():
        page.get_by_label(f"Title ({language})").fill(title)
    page.get_by_label("Category").select_option(label="Event")
    page.get_by_label("Ukrainian", exact=True).check()
    page.get_by_label(re.compile(r"^Places")).fill("30")
    start = (timezone.localtime() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    page.get_by_label("First session starts").fill(start)
    look(page, "new-event")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Event saved as a draft.")).to_be_visible()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Published.")).to_be_visible()
    event = Event.objects.get()
    assert (event.title_lt, event.title_en, event.title_uk, event.title_ru) == tuple(
        titles.values()
    )
    assert event.missing_translations() == []
    session = event.occurrences.get()
    for name in ("Taras Shevchenko", "Iryna Melnyk", "Oleh Bondar"):
        given, family = name.split()
        registration_create(
            event=event, occurrence=session, visitor=visitor(given_name=given, family_name=family)
        )

    phone = browser.new_context(**PHONE, bypass_csp=True).new_page()
    _sign_in(phone, live_server, "aiste@example.org")
    phone.goto(live_server.url + f"/en/events/staff/sessions/{session.pk}/check-in/")
    phone.get_by_label("Find a name").fill("iryna")
    phone.get_by_role("button", name="Find").click()
    expect(phone.get_by_role("button", name=re.compile("^Here:"))).to_have_count(1)
    phone.get_by_role("button", name="Here: Iryna Melnyk").click()
    expect(phone.get_by_text("here", exact=False).first).to_be_visible()
    phone.get_by_label("Find a name").fill("")
    phone.get_by_role("button", name="Find").click()
    phone.get_by_role("button", name="Here: Taras Shevchenko").click()
    expect(phone.get_by_text("2 people here")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    look(phone, "check-in-phone")
    assert session.attendances.count() == 2
