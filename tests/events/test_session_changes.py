"""Moving a session keeps its length and tells the people registered for it."""

from datetime import timedelta

import pytest

from events.services import occurrence_change, registration_create
from notifications.models import OutgoingEmail
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("hours", [3, -1, 48])
def test_moving_a_session_keeps_its_length_and_tells_the_registrants(club, coordinator, hours):
    session = club.occurrences.get()
    length = session.ends_at - session.starts_at
    person = UserFactory()
    registration_create(event=club, occurrence=session, user=person)
    told = occurrence_change(
        occurrence=session,
        starts_at=session.starts_at + timedelta(hours=hours),
        changed_by=coordinator,
    )
    session.refresh_from_db()
    assert session.ends_at - session.starts_at == length
    assert told == 1
    assert OutgoingEmail.objects.filter(
        recipient=person.email, dedupe_key__contains=":changed:"
    ).exists()
