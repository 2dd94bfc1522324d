"""Registration limits and history: a begun session cannot be cancelled, unconfirmed guests
hold no place and learn nothing of who is registered, guest limits, Excel cells that are
not formulas, capacity changes that move the waitlist, made-up guests."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from events.models import Event, Registration
from events.services import check_in, event_save, registration_cancel, registration_create
from tests.events.conftest import make_event
from tests.factories import UserFactory, visitor

pytestmark = pytest.mark.django_db


def _past(registration):
    session = registration.occurrence
    session.starts_at = timezone.now() - timedelta(hours=2)
    session.ends_at = timezone.now() - timedelta(hours=1)
    session.save()


def test_a_session_that_has_begun_cannot_be_cancelled_or_refilled(client, club, coordinator):
    user = UserFactory()
    mine = registration_create(
        event=club, occurrence=club.occurrences.first(), user=user, household_size=5
    )
    waiting = registration_create(
        event=club, occurrence=club.occurrences.first(), user=UserFactory(), join_waitlist=True
    )
    check_in(registration=mine, occurrence=mine.occurrence, checked_in_by=coordinator)
    _past(mine)
    with pytest.raises(ValidationError):
        registration_cancel(registration=mine)
    client.force_login(user)
    page = client.get(reverse("events:mine")).content.decode()
    assert f"events/mine/{mine.pk}/cancel/" not in page
    client.post(reverse("events:mine_cancel", args=[mine.pk]))
    mine.refresh_from_db()
    waiting.refresh_from_db()
    assert (mine.status, waiting.status) == ("confirmed", "waitlisted")


def _guest(client, event, **fields):
    data = {
        "register-occurrence": event.occurrences.first().pk,
        "register-household_size": "1",
        "register-name": "Olena",
        "register-consent": "on",
        **fields,
    }
    return client.post(reverse("events:register", args=[event.pk]), data)


def test_guests_are_not_told_who_is_registered_and_expired_links_free_the_address(client, club):
    first = _guest(client, club, **{"register-email": "olena@example.org"})
    second = _guest(client, club, **{"register-email": "olena@example.org"})
    stranger = _guest(client, club, **{"register-email": "someone@example.org"})
    assert first["Location"] == second["Location"] == stranger["Location"]
    assert Registration.objects.filter(email="olena@example.org").count() == 1
    Registration.objects.filter(email="olena@example.org").update(
        created_at=timezone.now() - timedelta(days=3)
    )
    _guest(client, club, **{"register-email": "olena@example.org"})
    statuses = sorted(
        Registration.objects.filter(email="olena@example.org").values_list("status", flat=True)
    )
    assert statuses == ["awaiting", "cancelled"]


def test_guests_take_at_most_six_places_and_twenty_registrations_an_hour(client, club, settings):
    response = _guest(
        client, club, **{"register-phone": "+37060000000", "register-household_size": "7"}
    )
    assert "up to 6 places" in response.content.decode()
    settings.MICENTER_GUEST_REGISTRATIONS_PER_HOUR = 4  # every attempt counts: 1 above + 3
    big = make_event(club.created_by, capacity=50)
    for number in range(3):
        assert _guest(client, big, **{"register-phone": f"+3706000001{number}"}).status_code == 302
    response = _guest(client, big, **{"register-phone": "+37060000020"})
    assert "Too many registrations" in response.content.decode()
    assert Registration.objects.filter(event=big).count() == 3


def test_excel_attendance_cells_are_not_formulas(client, club, coordinator):
    person = visitor(given_name='=HYPERLINK("http://evil","x")')
    registration_create(event=club, occurrence=club.occurrences.first(), visitor=person)
    client.force_login(coordinator)
    response = client.get(reverse("events:attendance_export", args=[club.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names and all(name.startswith("'") for name in names)


def test_more_places_move_the_waitlist_up_and_the_mode_cannot_change_under_people(
    club, coordinator
):
    session = club.occurrences.first()
    registration_create(event=club, occurrence=session, user=UserFactory(), household_size=5)
    waiting = registration_create(
        event=club, occurrence=session, user=UserFactory(), join_waitlist=True
    )
    event = Event.objects.get(pk=club.pk)
    event.capacity = 6
    event_save(event=event, saved_by=coordinator)
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    event.registration_mode = Event.Mode.COHORT
    with pytest.raises(ValidationError):
        event_save(event=event, saved_by=coordinator)
