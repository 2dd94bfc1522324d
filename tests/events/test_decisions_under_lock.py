"""Registrations, the waitlist, cancellations and capacity changes decide on the rows they
locked, never on the instances a caller holds: a session cancelled or a capacity cut a moment
ago is what counts. On PostgreSQL, real threads race them."""

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEntry
from events.models import Event, Occurrence, Registration
from events.services import (
    event_cancel,
    event_save,
    occurrence_change,
    registration_cancel,
    registration_create,
    registration_email_confirm,
)
from notifications.models import OutgoingEmail
from tests.concurrency import at_once
from tests.events.conftest import make_event
from tests.factories import UserFactory

# --- Stale instances: what the caller holds is not what is decided on ------------------------


@pytest.mark.django_db
def test_a_session_cancelled_after_the_caller_loaded_it_is_refused(club, coordinator):
    session = club.occurrences.get()  # the page loaded it while it was on
    occurrence_change(
        occurrence=Occurrence.objects.get(pk=session.pk), cancel=True, changed_by=coordinator
    )
    assert session.is_cancelled is False  # still the caller's view
    with pytest.raises(ValidationError) as refused:
        registration_create(event=club, occurrence=session, user=UserFactory())
    assert refused.value.code == "cancelled"
    assert not Registration.objects.filter(occurrence=session).exists()


@pytest.mark.django_db
def test_an_event_cancelled_after_the_caller_loaded_it_is_refused(club, coordinator):
    session = club.occurrences.get()
    event_cancel(event=Event.objects.get(pk=club.pk), cancelled_by=coordinator)
    assert club.status == Event.Status.PUBLISHED  # the caller's stale copy
    with pytest.raises(ValidationError) as refused:
        registration_create(event=club, occurrence=session, user=UserFactory())
    assert refused.value.code == "cancelled"


@pytest.mark.django_db
def test_places_are_counted_against_the_capacity_in_the_database(club):
    session = club.occurrences.get()
    Event.objects.filter(pk=club.pk).update(capacity=1)  # cut after the caller loaded it
    assert club.capacity == 5
    first = registration_create(event=club, occurrence=session, user=UserFactory())
    second = registration_create(
        event=club, occurrence=session, user=UserFactory(), join_waitlist=True
    )
    assert (first.status, second.status) == ("confirmed", "waitlisted")


@pytest.mark.django_db
def test_an_email_confirmed_after_the_session_was_cancelled_takes_no_place(club, coordinator):
    session = club.occurrences.get()
    guest = registration_create(
        event=club, occurrence=session, name="Olha", email="olha@example.org", confirm_email=True
    )
    occurrence_change(occurrence=session, cancel=True, changed_by=coordinator)
    from events.services import CONFIRM_SALT, signing

    token = signing.dumps(guest.pk, salt=CONFIRM_SALT)
    guest.refresh_from_db()
    # Awaiting confirmations of a cancelled session are cancelled with it.
    assert (guest.status, guest.cancelled_by_centre) == ("cancelled", True)
    assert registration_email_confirm(token=token).status == "cancelled"


@pytest.mark.django_db
def test_nobody_moves_up_into_a_cancelled_session(coordinator):
    event = make_event(coordinator, capacity=1)
    session = event.occurrences.get()
    holder = registration_create(event=event, occurrence=session, user=UserFactory())
    registration_create(event=event, occurrence=session, user=UserFactory(), join_waitlist=True)
    Occurrence.objects.filter(pk=session.pk).update(is_cancelled=True)  # as if a moment ago
    _cancelled, promoted = registration_cancel(registration=holder)
    assert promoted == []


@pytest.mark.django_db
def test_an_edit_from_a_form_opened_before_the_cancellation_does_not_reopen_the_event(
    club, coordinator
):
    stale = Event.objects.get(pk=club.pk)  # the edit form, opened while published
    event_cancel(event=club, cancelled_by=coordinator)
    stale.title_en = "Renamed"
    event_save(event=stale, saved_by=coordinator)
    club.refresh_from_db()
    assert (club.status, club.title_en) == (Event.Status.CANCELLED, "Renamed")


@pytest.mark.django_db
def test_cancelling_tells_everyone_and_their_registration_says_so(client, club, coordinator):
    session = club.occurrences.get()
    people = [
        registration_create(event=club, occurrence=session, user=UserFactory()) for _ in range(3)
    ]
    phone_only = registration_create(
        event=club, occurrence=session, name="Petro", phone="+37060000001"
    )
    told = event_cancel(event=club, cancelled_by=coordinator)
    assert told == 3  # the phone-only guest has no address to write to
    for registration in [*people, phone_only]:
        registration.refresh_from_db()
        assert (registration.status, registration.cancelled_by_centre) == ("cancelled", True)
        assert registration.status_label == "Cancelled by the centre"
    assert OutgoingEmail.objects.filter(dedupe_key__endswith=":cancelled:event").count() == 3


# --- Real races on PostgreSQL -----------------------------------------------------------------


PEOPLE = 40


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
@pytest.mark.parametrize("what", ["session", "event"])
def test_registrations_racing_a_cancellation_end_refused_or_cancelled_and_told(coordinator, what):
    event = make_event(coordinator, capacity=10)
    session = event.occurrences.get()
    users = [UserFactory() for _ in range(PEOPLE)]

    def register(user):
        return lambda: registration_create(
            event=event, occurrence=session, user=user, join_waitlist=True
        )

    def cancel():
        if what == "session":
            return occurrence_change(occurrence=session, cancel=True, changed_by=coordinator)
        return event_cancel(event=event, cancelled_by=coordinator)

    actions = [register(user) for user in users]
    actions.insert(PEOPLE // 2, cancel)
    answers = at_once(actions)

    refused = [a for a in answers if isinstance(a, ValidationError)]
    assert all(refusal.code == "cancelled" for refusal in refused)
    registrations = Registration.objects.filter(occurrence=session)
    assert registrations.count() + len(refused) == PEOPLE  # nobody lost, nobody twice
    # Whoever got in before the cancellation is cancelled by the centre and told by email.
    assert not registrations.exclude(status="cancelled", cancelled_by_centre=True).exists()
    told = set(
        OutgoingEmail.objects.filter(dedupe_key__contains=":cancelled:").values_list(
            "recipient", flat=True
        )
    )
    assert told == {r.user.email for r in registrations.select_related("user")}


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_registrations_racing_a_capacity_cut_never_exceed_the_new_capacity(coordinator):
    event = make_event(coordinator, capacity=60)
    session = event.occurrences.get()
    users = [UserFactory() for _ in range(PEOPLE)]

    def register(user):
        return lambda: registration_create(
            event=event, occurrence=session, user=user, join_waitlist=True
        )

    def cut():
        edited = Event.objects.get(pk=event.pk)
        edited.capacity = 10
        return event_save(event=edited, saved_by=coordinator)

    actions = [register(user) for user in users]
    actions.insert(PEOPLE // 3, cut)
    at_once(actions)

    cut_at = AuditEntry.objects.get(action="event.change", object_id=str(event.pk)).at
    confirmed = Registration.objects.filter(occurrence=session, status="confirmed")
    before_cut = confirmed.filter(created_at__lt=cut_at).count()
    # Nobody confirmed after the cut beyond the new capacity; the rest wait.
    assert confirmed.count() == max(10, before_cut)
    assert Registration.objects.filter(occurrence=session, status="waitlisted").count() == (
        PEOPLE - confirmed.count()
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_a_cancellation_racing_new_registrations_promotes_in_order(coordinator):
    """Freed places go to the waitlist under the same lock the newcomers take: the places
    never exceed the capacity, and the first waiting moves up."""
    event = make_event(coordinator, capacity=2)
    session = event.occurrences.get()
    holders = [
        registration_create(event=event, occurrence=session, user=UserFactory()) for _ in range(2)
    ]
    waiting = registration_create(
        event=event, occurrence=session, user=UserFactory(), join_waitlist=True
    )
    newcomers = [UserFactory() for _ in range(10)]
    actions = [
        lambda: registration_cancel(registration=Registration.objects.get(pk=holders[0].pk)),
        *[
            (
                lambda user=user: registration_create(
                    event=event, occurrence=session, user=user, join_waitlist=True
                )
            )
            for user in newcomers
        ],
    ]
    at_once(actions)
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    assert Registration.objects.filter(occurrence=session, status="confirmed").count() == 2
