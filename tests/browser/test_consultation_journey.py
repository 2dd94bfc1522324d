import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from consultations.models import Consultation, PartnerOrganisation, Referral, Service
from consultations.services import consultation_log
from tests.browser.test_desk_journey import _sign_in
from tests.factories import staff_user, visitor
from visitors.services import visit_log

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PSY_NOTE = "Panic attacks since the shelling; sleeps three hours a night."


def _no_psychological_note(page):
    assert PSY_NOTE not in page.content()
    assert "Crisis support" not in page.content()


def test_legal_adviser_queue_consultation_follow_up_referral(page, live_server, look):
    desk = staff_user(Role.RECEPTION)
    lawyer = staff_user(
        Role.LEGAL_ADVISER, email="lawyer@example.org", first_name="Tomas", language="en"
    )
    psychologist = staff_user(Role.PSYCHOLOGIST, first_name="Iryna", last_name="Melnyk")
    person = visitor(given_name="Тарас", family_name="Шевченко", birth_year=1985)
    PartnerOrganisation.objects.create(
        name="Užimtumo tarnyba", services="Job search and training", contacts="Vilnius"
    )
    earlier = consultation_log(
        consultant=psychologist,
        service=Service.objects.get(code="psychological"),
        started_at=timezone.now() - timedelta(days=3),
        duration_minutes=50,
        topics=list(Service.objects.get(code="psychological").topics.filter(code="crisis")),
        visitors=[person],
        notes=PSY_NOTE,
    )
    visit_log(visitor=person, purposes=[Service.objects.get(code="legal")], logged_by=desk)

    _sign_in(page, live_server, "lawyer@example.org")
    expect(page).to_have_url(re.compile(r"/en/consultations/$"))
    page.get_by_role("link", name="Queue: Legal help").click()
    page.get_by_role("button", name="Call the next person").click()
    expect(page.get_by_text("Please call in: Тарас Шевченко.")).to_be_visible()
    page.get_by_role("link", name="Record the consultation").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Consultation: Тарас Шевченко")
    page.get_by_label("Duration (minutes)").fill("0")
    page.get_by_label("Housing").check()
    page.get_by_label("Notes").fill("Landlord keeps the deposit; lease in Lithuanian only.")
    page.get_by_role("button", name="Save the consultation").click()
    # A mistake is explained, and nothing typed is lost.
    expect(page.get_by_text("A consultation lasts at least one minute.")).to_be_visible()
    expect(page.get_by_label("Notes")).to_have_value(
        "Landlord keeps the deposit; lease in Lithuanian only."
    )
    expect(page.get_by_label("Housing")).to_be_checked()
    look(page, "form-error")

    page.get_by_label("Duration (minutes)").fill("40")
    page.get_by_label("Follow-up date").fill(timezone.localdate().isoformat())
    page.get_by_label("Refer to a partner organisation").select_option(label="Užimtumo tarnyba")
    page.get_by_role("button", name="Save the consultation").click()
    expect(page.get_by_text("Consultation recorded.")).to_be_visible()
    expect(page.get_by_text("Nobody is waiting.")).to_be_visible()
    _no_psychological_note(page)

    page.get_by_role("link", name="Consultations", exact=True).first.click()
    due = page.get_by_role("region", name="Follow-ups due")
    expect(due.get_by_text("Тарас Шевченко")).to_be_visible()
    _no_psychological_note(page)
    look(page, "worklist")
    due.get_by_role("link", name=re.compile("Legal help")).click()

    expect(page.get_by_role("cell", name="Užimtumo tarnyba")).to_be_visible()
    page.get_by_label("Status").select_option(label="Confirmed by the partner")
    page.get_by_role("button", name="Update").click()
    expect(page.get_by_text("Referral updated.")).to_be_visible()
    page.get_by_role("button", name="Mark done").click()
    expect(page.get_by_text("Follow-up marked as done.")).to_be_visible()
    page.get_by_role("link", name="Consultations", exact=True).first.click()
    expect(page.get_by_role("region", name="Follow-ups due")).to_contain_text("No follow-ups due.")

    # The person's page: the psychologist's consultation took place, and that is all.
    page.goto(live_server.url + f"/en/desk/visitors/{person.pk}/")
    consultations = page.get_by_role("region", name="Consultations")
    expect(consultations.get_by_text("Psychological help")).to_be_visible()
    expect(consultations.get_by_text("Confidential to the service")).to_be_visible()
    _no_psychological_note(page)
    look(page, "visitor-page")
    response = page.goto(live_server.url + f"/en/consultations/records/{earlier.pk}/")
    assert response.status == 404
    _no_psychological_note(page)

    mine = Consultation.objects.get(consultant=lawyer)
    assert mine.follow_up_done_at is not None
    assert Referral.objects.get().status == "confirmed"
    assert mine.participants.get().visit.queue_entries.get().status == "done"


def test_psychologists_worklist_in_ukrainian_on_a_phone(browser, live_server, look):
    staff_user(Role.PSYCHOLOGIST, email="psy@example.org", first_name="Ірина", language="uk")
    context = browser.new_context(viewport={"width": 360, "height": 740}, bypass_csp=True)
    page = context.new_page()
    _sign_in(page, live_server, "psy@example.org")
    expect(page).to_have_url(re.compile(r"/uk/consultations/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Мій список справ")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    look(page, "worklist-uk-phone")
    page.get_by_role("link", name=re.compile("групов", re.I)).first.click()
    look(page, "group-form-uk-phone")
    context.close()
